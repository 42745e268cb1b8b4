package probe

import (
	"slices"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/model/snapshot"
	"github.com/vpcpath/vpcpath/simulate"
	"github.com/vpcpath/vpcpath/simulate/check"
)

func example(t *testing.T) *model.Model {
	t.Helper()
	fsys, err := vpcpath.Example("databricks-privatelink")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := snapshot.LoadFS(fsys, "example")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func find(p *Plan, kind, key string) *Check {
	for i, c := range p.Checks {
		if c.Kind == kind && (c.Name == key || c.Ports != nil && c.Host+":"+c.Ports.String() == key) {
			return &p.Checks[i]
		}
	}
	return nil
}

func TestPlanProfile(t *testing.T) {
	m := example(t)
	pl := &Planner{M: m}
	if _, err := pl.NewPlan("10.0.1.5"); err != nil {
		t.Fatal(err)
	}
	prof, _ := check.ProfileByName("databricks-privatelink")
	f, _, _, err := prof.Build(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pl.AddRequirements(f); err != nil {
		t.Fatal(err)
	}
	p := pl.Finish()
	if p.Source.ENI != "eni-0a0000000000c0001" || p.Resolver != "10.0.0.2:53" {
		t.Errorf("source %+v resolver %s", p.Source, p.Resolver)
	}
	if c := find(p, KindDNS, "sts.us-east-1.amazonaws.com"); c == nil || strings.Join(c.Expect.Answers, ",") != "10.0.3.7,10.0.3.71" || !c.Expect.Private {
		t.Errorf("sts DNS check: %+v", c)
	}
	c := find(p, KindTCP, "10.0.3.69:8443-8451")
	if c == nil || c.Expect.Verdict != "reachable" || c.Target != "eni-0a0000000000e0012" || !strings.Contains(c.Expect.Reason, "vpce-0a0000000000e0001") {
		t.Errorf("8443-8451 to the second AZ: %+v", c)
	}
	if p.Checks[0].Kind != KindDNS {
		t.Error("DNS checks do not come first")
	}
	skipped := strings.Join(p.Skipped, "\n")
	for _, want := range []string{"intra-cluster UDP: udp has no handshake", "internet (libraries) through NAT", "S3 through the gateway endpoint"} {
		if !strings.Contains(skipped, want) {
			t.Errorf("skipped lacks %q:\n%s", want, skipped)
		}
	}
}

func TestPlanRangeSplitsAndCaps(t *testing.T) {
	m := example(t)
	pl := &Planner{M: m}
	if _, err := pl.NewPlan("i-0a0000000000c0001"); err != nil {
		t.Fatal(err)
	}
	if err := pl.Add(Want{Requirement: "r", To: "10.0.3.5", Ports: []model.PortRange{{First: 8440, Last: 8452}}}); err != nil {
		t.Fatal(err)
	}
	if err := pl.Add(Want{Requirement: "wide", To: "10.0.3.5", Ports: []model.PortRange{{First: 1, Last: 1000}}}); err != nil {
		t.Fatal(err)
	}
	p := pl.Finish()
	if len(p.Checks) != 1 {
		t.Fatalf("checks %+v", p.Checks)
	}
	e := p.Checks[0].Expect
	if e.Verdict != "blocked" || len(e.Segments) != 3 || e.Segments[1].Ports != (model.PortRange{First: 8443, Last: 8451}) || e.Segments[1].Verdict != "reachable" {
		t.Errorf("expectation %+v", e)
	}
	if len(p.Skipped) != 1 || !strings.Contains(p.Skipped[0], "scan") {
		t.Errorf("skipped %v", p.Skipped)
	}
}

// report makes a report from a plan with the given TCP outcomes per host:port.
func report(p *Plan, host []string, tcp map[string]string, dns map[string]DNSObservation) *Report {
	r := &Report{SchemaVersion: 1, Kind: "vpcpath-probe-report", Source: p.Source, Host: Host{Hostname: "node", Addresses: host}, DNS: p.DNS}
	for _, c := range p.Checks {
		res := Result{Check: c}
		if c.Kind == KindDNS {
			o, ok := dns[c.Name]
			if !ok {
				o = DNSObservation{Resolver: "10.0.0.2:53", Outcome: Answered, Rcode: "NOERROR", Answers: c.Expect.Answers}
			}
			res.DNS = &o
		} else {
			pr := c.Ports
			for port := int(pr.First); port <= int(pr.Last); port++ {
				out := tcp[c.Host+":"+model.Port(uint16(port)).String()]
				if out == "" {
					out = Open
				}
				res.TCP = append(res.TCP, TCPObservation{Port: uint16(port), Outcome: out})
			}
		}
		r.Results = append(r.Results, res)
	}
	return r
}

func TestValidateClasses(t *testing.T) {
	m := example(t)
	pl := &Planner{M: m}
	if _, err := pl.NewPlan("10.0.1.5"); err != nil {
		t.Fatal(err)
	}
	for _, w := range []Want{
		{Requirement: "rest", To: "vpce-0a0000000000e0001", Ports: []model.PortRange{model.Port(443)}},
		{Requirement: "ssh", To: "10.0.3.5", Ports: []model.PortRange{model.Port(22)}},
		{Requirement: "sts", To: "sts.us-east-1.amazonaws.com", Ports: []model.PortRange{model.Port(443)}},
	} {
		if err := pl.Add(w); err != nil {
			t.Fatal(err)
		}
	}
	p := pl.Finish()
	cases := []struct {
		name  string
		tcp   map[string]string
		dns   map[string]DNSObservation
		class map[string]string // target -> class
		cause string
	}{
		{"all as modelled (22 dropped, 443 refused is still a path)", map[string]string{"10.0.3.5:22": Timeout, "10.0.3.69:443": Refused}, nil,
			map[string]string{"10.0.3.5 tcp/22": Agree, "10.0.3.69 tcp/443": Agree}, ""},
		{"443 dropped", map[string]string{"10.0.3.5:22": Timeout, "10.0.3.5:443": Timeout}, nil,
			map[string]string{"10.0.3.5 tcp/443": ReachableButDropped}, "host firewall"},
		{"443 unreachable", map[string]string{"10.0.3.5:22": Unreachable, "10.0.3.69:443": Unreachable}, nil,
			map[string]string{"10.0.3.69 tcp/443": ReachableButDropped, "10.0.3.5 tcp/22": Agree}, "unreachable comes from the probe host itself"},
		{"22 open", map[string]string{"10.0.3.5:22": Open}, nil,
			map[string]string{"10.0.3.5 tcp/22": BlockedButOpen}, "re-collect"},
		{"22 refused is open too", map[string]string{"10.0.3.5:22": Refused}, nil,
			map[string]string{"10.0.3.5 tcp/22": BlockedButOpen}, "re-collect"},
		{"sts resolves publicly through another resolver", map[string]string{"10.0.3.5:22": Timeout},
			map[string]DNSObservation{"sts.us-east-1.amazonaws.com": {Resolver: "192.168.0.53:53", Outcome: Answered, Rcode: "NOERROR", Answers: []string{"209.54.177.164"}, Class: "public"}},
			map[string]string{"sts.us-east-1.amazonaws.com": DNSOtherwise}, "not the VPC's Amazon resolver"},
		{"NXDOMAIN where the model answers", map[string]string{"10.0.3.5:22": Timeout},
			map[string]DNSObservation{"sts.us-east-1.amazonaws.com": {Resolver: "10.0.0.2:53", Outcome: Answered, Rcode: "NXDOMAIN"}},
			map[string]string{"sts.us-east-1.amazonaws.com": DNSOtherwise}, "forwarding rule"},
		{"not run is inconclusive", map[string]string{"10.0.3.5:22": NotRun}, nil,
			map[string]string{"10.0.3.5 tcp/22": Inconclusive}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := Validate(m, report(p, []string{"10.0.1.5", "172.17.0.1"}, c.tcp, c.dns), model.PortRange{}, "")
			if err != nil {
				t.Fatal(err)
			}
			bad := 0
			for _, it := range v.Items {
				want, named := c.class[it.Target]
				if !named {
					want = Agree
				}
				if it.Class != want {
					t.Errorf("%s: %s (%s), want %s", it.Target, it.Class, it.Detail, want)
				}
				// The prediction's why is a code, for DNS always, for TCP
				// when it stopped somewhere.
				stopped := it.Kind == KindDNS || strings.Contains(it.Predicted, " at ")
				if stopped != (it.PredictedCode != "") || stopped && !slices.Contains(simulate.Codes, it.PredictedCode) {
					t.Errorf("%s: predicted %q with code %q", it.Target, it.Predicted, it.PredictedCode)
				}
				if it.Target == "10.0.3.5 tcp/22" && (it.PredictedCode != simulate.CodeSGNoMatchingEgress || it.PredictedRef == nil || it.PredictedRef.Kind != simulate.RefSGs) {
					t.Errorf("%s: predicted %q, code %q ref %+v, want the source group without an egress rule for it", it.Target, it.Predicted, it.PredictedCode, it.PredictedRef)
				}
				if want != Agree && want != Inconclusive {
					bad++
					found := false
					for _, cs := range it.Causes {
						found = found || strings.Contains(cs.Text, c.cause)
					}
					if !found {
						t.Errorf("%s: no cause mentions %q: %+v", it.Target, c.cause, it.Causes)
					}
				}
			}
			if v.Disagreements() != bad {
				t.Errorf("Disagreements() = %d, want %d", v.Disagreements(), bad)
			}
		})
	}
}

func TestValidateFindsSourceByAddress(t *testing.T) {
	m := example(t)
	r := &Report{SchemaVersion: 1, Host: Host{Addresses: []string{"192.168.1.9", "10.0.2.5"}}}
	v, err := Validate(m, r, model.PortRange{}, "")
	if err != nil || v.Source.ENI != "eni-0a0000000000c0002" {
		t.Errorf("source %+v %v, want eni-0a0000000000c0002", v, err)
	}
	r.Host.Addresses = []string{"192.168.1.9"}
	if _, err := Validate(m, r, model.PortRange{}, ""); err == nil || !strings.Contains(err.Error(), "192.168.1.9") {
		t.Errorf("a host the snapshot does not hold: %v", err)
	}
}

// TestValidateNamesTransitGatewayHops: beyond one VPC, the plan's reason and
// a dropped check's detail name the transit gateway route table and the
// route it took, the hop to look at when the gateway's routes drifted (the
// two-VPC lab's snapshot, probe/labtest).
func TestValidateNamesTransitGatewayHops(t *testing.T) {
	m, _, err := snapshot.LoadDir("labtest/testdata/tgw-two-vpcs")
	if err != nil {
		t.Fatal(err)
	}
	pl := &Planner{M: m}
	if _, err := pl.NewPlan("10.1.1.10"); err != nil {
		t.Fatal(err)
	}
	for _, to := range []string{"10.2.1.10", "10.2.1.20"} {
		if err := pl.Add(Want{Requirement: "lab-b", To: to, Ports: []model.PortRange{model.Port(443)}}); err != nil {
			t.Fatal(err)
		}
	}
	p := pl.Finish()
	for _, c := range []struct{ host, route string }{
		{"10.2.1.10", "10.2.0.0/16 -> tgw-attach-0000000000000000b (propagated)"},
		{"10.2.1.20", "10.2.1.16/28 -> tgw-attach-0000000000000000b (static)"},
	} {
		ck := find(p, KindTCP, c.host+":443")
		if ck == nil || ck.Expect.Verdict != "reachable" || !strings.Contains(ck.Expect.Reason, "transit-gateway tgw-rtb-0000000000000000a") {
			t.Errorf("%s: %+v, want reachable via transit-gateway tgw-rtb-0000000000000000a", c.host, ck)
		}
		v, err := Validate(m, report(p, []string{"10.1.1.10"}, map[string]string{c.host + ":443": Timeout}, nil), model.PortRange{}, "")
		if err != nil {
			t.Fatal(err)
		}
		want := "transit-gateway tgw-rtb-0000000000000000a forward (" + c.route + ")"
		for _, it := range v.Items {
			if it.Target == c.host+" tcp/443" && (it.Class != ReachableButDropped || !strings.Contains(it.Detail, want)) {
				t.Errorf("%s dropped: %s %q, want %s naming %q", c.host, it.Class, it.Detail, ReachableButDropped, want)
			}
		}
	}
}
