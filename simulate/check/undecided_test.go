package check

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestUndecidedPrivateDNSIsUnknown: an endpoint whose private DNS the input
// leaves undecided makes the Databricks "private DNS on" shape check (and
// "one private-DNS endpoint per service", when a second endpoint of the
// service has it on) UNKNOWN, naming why; never PASS or FAIL.
func TestUndecidedPrivateDNSIsUnknown(t *testing.T) {
	const rest, why = "vpce-0a0000000000e0001", "RestEndpoint.PrivateDnsEnabled: Fn::ImportValue Dns is exported by another stack"
	for _, tc := range []struct {
		name string
		more func(m *model.Model)
		want map[string]Status
	}{
		{"alone", func(*model.Model) {}, map[string]Status{"private DNS on: " + rest: Unknown, "one private-DNS endpoint per service": Pass}},
		{"beside an endpoint of the same service with it on", func(m *model.Model) {
			twin := *m.Endpoints[rest]
			twin.ID, twin.PrivateDNS, twin.PrivateDNSUnknown = "vpce-twin", true, ""
			m.Endpoints[twin.ID] = &twin
		}, map[string]Status{"private DNS on: " + rest: Unknown, "one private-DNS endpoint per service": Unknown}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			ep := m.Endpoints[rest]
			ep.PrivateDNS, ep.PrivateDNSUnknown = false, why
			tc.more(m)
			m.Index()
			p, _ := ProfileByName("databricks-privatelink")
			_, shape, _, err := p.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]Outcome{}
			for _, o := range shape {
				got[o.Name] = o
			}
			for name, st := range tc.want {
				if o := got[name]; o.Status != st || st == Unknown && !strings.Contains(o.Detail, why) {
					t.Errorf("%s: %s %q, want %s naming %q", name, o.Status, o.Detail, st, why)
				}
			}
		})
	}
}

// TestUndecidedPublicIPIngress: an interface in a private, routed subnet
// whose groups admit the internet is UNKNOWN when whether it has a public
// IP is undecided, FAIL when it has one, and PASS without one.
func TestUndecidedPublicIPIngress(t *testing.T) {
	const eni, why = "eni-0a0000000000c0001", "Web sets no AssociatePublicIpAddress, and Private.MapPublicIpOnLaunch: undecided"
	for _, tc := range []struct {
		name   string
		set    func(e *model.ENI)
		status Status
		detail string
	}{
		{"undecided", func(e *model.ENI) { e.PublicIPUnknown = why }, Unknown, "reachable from the internet if it has a public IP, which is undecided (" + why + ")"},
		{"public", func(e *model.ENI) {
			e.PublicIPs = map[netip.Addr]netip.Addr{e.PrimaryIP(): netip.MustParseAddr("198.51.100.8")}
		}, Fail, "reachable from the internet: "},
		{"neither", func(e *model.ENI) {}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := example(t)
			m.ENIs["eni-0a0000000000000e0"].PublicIPs = nil // the NAT's: not under test
			e := m.ENIs[eni]
			tc.set(e)
			m.Subnets[e.SubnetID].Tags["Name"] = "private-a"
			rt, _ := m.SubnetRouteTable(e.SubnetID)
			for i, r := range rt.Routes {
				if r.Dest.IsValid() && r.Dest.Bits() == 0 {
					rt.Routes[i].Target = model.Target{Kind: model.TargetIGW, ID: "igw-0a00000000000000f"}
				}
			}
			g := m.SecurityGroups[e.Groups[0]]
			g.Ingress = append(g.Ingress, model.SGRule{GroupID: g.ID, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 22, Last: 22}, CIDR: netip.MustParsePrefix("0.0.0.0/0")})
			m.Index()
			_, out, _, err := noInternetIngress.Build(m, nil)
			if err != nil {
				t.Fatal(err)
			}
			var o *Outcome
			for i := range out {
				if out[i].Name == "internet ingress: "+eni {
					o = &out[i]
				}
			}
			switch {
			case tc.status == "" && o != nil:
				t.Errorf("an interface without a public IP was judged: %+v", *o)
			case tc.status != "" && o == nil:
				t.Fatalf("no outcome for %s: %+v", eni, out)
			case tc.status != "" && (o.Status != tc.status || !strings.Contains(o.Detail, tc.detail)):
				t.Errorf("%s %q, want %s with %q", o.Status, o.Detail, tc.status, tc.detail)
			}
		})
	}
}
