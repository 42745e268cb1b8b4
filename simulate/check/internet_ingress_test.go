package check

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// no-internet-ingress-to-private says, for every interface with a public
// IP, whether it was evaluated as a host or why it is not one; only when no
// interface has a public IP does it say so.
func TestNoInternetIngressSaysWhatWasConsidered(t *testing.T) {
	pub := func(m *model.Model, eni, addr string) {
		e := m.ENIs[eni]
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrimaryIP(): netip.MustParseAddr(addr)}
	}
	for _, tc := range []struct {
		name   string
		change func(m *model.Model)
		want   map[string]Status // outcome name -> status
		about  string            // the outcome whose detail must hold detail
		detail []string
	}{
		{"the example: only the NAT gateway's interface is public", func(m *model.Model) {},
			map[string]Status{"internet ingress: eni-0a0000000000000e0": Pass}, "internet ingress: eni-0a0000000000000e0",
			[]string{"public IP 203.0.113.10 is NAT gateway nat-0a00000000000000e's: not a host", "accepts no connection the internet initiates"}},
		{"no public IP at all", func(m *model.Model) { m.ENIs["eni-0a0000000000000e0"].PublicIPs = nil },
			map[string]Status{"internet ingress": Pass}, "internet ingress",
			[]string{"no interface has a public IP"}},
		{"an endpoint interface with a public IP is no host", func(m *model.Model) {
			m.ENIs["eni-0a0000000000000e0"].PublicIPs = nil
			pub(m, "eni-0a0000000000e0031", "198.51.100.7")
		},
			map[string]Status{"internet ingress: eni-0a0000000000e0031": Pass}, "internet ingress: eni-0a0000000000e0031",
			[]string{"public IP 198.51.100.7 is on an AWS-managed vpc_endpoint interface"}},
		{"a workload interface without recorded groups is unknown", func(m *model.Model) {
			m.ENIs["eni-0a0000000000000e0"].PublicIPs = nil
			pub(m, "eni-0a0000000000c0001", "198.51.100.8")
			m.ENIs["eni-0a0000000000c0001"].Groups = nil
		},
			map[string]Status{"internet ingress: eni-0a0000000000c0001": Unknown}, "internet ingress: eni-0a0000000000c0001",
			[]string{"records no security groups on eni-0a0000000000c0001"}},
		{"a workload interface is evaluated as a host, beside the NAT's", func(m *model.Model) {
			pub(m, "eni-0a0000000000c0001", "198.51.100.8")
		},
			map[string]Status{"internet ingress: eni-0a0000000000c0001": Pass, "internet ingress: eni-0a0000000000000e0": Pass}, "internet ingress: eni-0a0000000000c0001",
			[]string{"its subnet has no default route to an internet gateway"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			tc.change(m)
			_, out, _, err := noInternetIngress.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Status{}
			details := map[string]string{}
			for _, o := range out {
				got[o.Name], details[o.Name] = o.Status, o.Detail
			}
			if len(got) != len(tc.want) {
				t.Errorf("outcomes %v, want %v", got, tc.want)
			}
			for name, st := range tc.want {
				if got[name] != st {
					t.Errorf("%s: %q, want %q (outcomes %v)", name, got[name], st, got)
				}
			}
			for _, d := range tc.detail {
				if !strings.Contains(details[tc.about], d) {
					t.Errorf("%s: detail %q lacks %q", tc.about, details[tc.about], d)
				}
			}
		})
	}
}
