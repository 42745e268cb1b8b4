package diff

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// A requirement that still passes, by another way, is a path change: not
// worse, and only when both sides pass by a known path.
func TestRequirementPathChanges(t *testing.T) {
	o := func(s check.Status, detail string) check.Outcome {
		return check.Outcome{Name: "s3", Section: "functional", SourceSubnet: "s1", Status: s, Detail: detail}
	}
	viaEP := "reachable via route-table rtb-1 > vpc-endpoint vpce-1"
	viaNAT := "reachable via route-table rtb-1 > nat-gateway nat-1 > route-table rtb-2 > internet-gateway igw-1"
	for _, r := range []struct {
		name          string
		before, after check.Outcome
		want          string
	}{
		{"endpoint to NAT", o(check.Pass, viaEP), o(check.Pass, viaNAT), "path: route-table rtb-1 > vpc-endpoint vpce-1 => route-table rtb-1 > nat-gateway nat-1 > route-table rtb-2 > internet-gateway igw-1"},
		{"same path", o(check.Pass, viaEP), o(check.Pass, viaEP), ""},
		{"a shape check's detail is no path", o(check.Pass, "250 free addresses"), o(check.Pass, "249 free addresses"), ""},
		{"failing both sides", o(check.Fail, "blocked at x"), o(check.Fail, "blocked at y"), ""},
	} {
		got := Requirements([]check.Outcome{r.before}, []check.Outcome{r.after}, []Cause{{Address: "aws_vpc_endpoint_route_table_association.a", Verb: "deleting", IDs: []string{"rtb-1"}}})
		switch {
		case r.want == "" && len(got) != 0:
			t.Errorf("%s: %+v, want no change", r.name, got)
		case r.want != "" && (len(got) != 1 || got[0].Detail != r.want || !got[0].PathChanged || got[0].Worse || len(got[0].Causes) != 1):
			t.Errorf("%s: %+v, want %q, not worse, caused by the association", r.name, got, r.want)
		}
	}
}

// The internet is a destination of the reachability diff: a route to it
// removed is REMOVED on the ports the source's egress rules mention.
func TestReachabilityToTheInternet(t *testing.T) {
	withIGW := func(route bool) *model.Model {
		m := net()
		m.InternetGateways["igw-1"] = &model.InternetGateway{ID: "igw-1", VPCs: []string{"vpc-1"}}
		m.SecurityGroups["sg-a"].Egress = []model.SGRule{{GroupID: "sg-a", Egress: true, Protocol: model.ProtoTCP, Ports: model.PortRange{First: 443, Last: 443}, ICMP: model.AnyICMP, CIDR: netip.MustParsePrefix("0.0.0.0/0")}}
		e := m.ENIs["eni-a"]
		e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: netip.MustParseAddr("203.0.113.7")}
		if route {
			rt := m.RouteTables["rtb-1"]
			rt.Routes = append(rt.Routes, model.Route{Dest: netip.MustParsePrefix("0.0.0.0/0"), Target: model.Target{Kind: model.TargetIGW, ID: "igw-1"}})
		}
		m.Index()
		return m
	}
	got := Reachability(withIGW(true), withIGW(false), []Cause{{Address: "aws_route.default", Verb: "deleting", IDs: []string{"rtb-1"}}}, check.Options{})
	var lines []string
	for _, c := range got {
		lines = append(lines, c.Line())
	}
	want := "REMOVED sg-a -> internet tcp 443, by deleting aws_route.default"
	if len(lines) != 1 || lines[0] != want {
		t.Errorf("Reachability:\n%s\nwant %s", strings.Join(lines, "\n"), want)
	}
}
