package simulate

import (
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// Values a plan or template leaves undecided until apply stay in the model
// with Unknown set; every answer they could decide is unknown, naming them.

const afterApply = "aws_security_group.x ingress.security_groups is known only after apply"

func TestSecurityGroupUnknownRules(t *testing.T) {
	tests := []struct {
		name    string
		rule    model.SGRule // an ingress rule of sg-dst, Unknown set
		known   []string     // known ingress rules of sg-dst
		verdict Verdict
	}{
		{"unknown peer may match", model.SGRule{Protocol: model.ProtoTCP, Ports: model.Port(443)}, nil, Unknown},
		{"a known rule allows whatever the unknown one does", model.SGRule{Protocol: model.ProtoTCP, Ports: model.Port(443)}, []string{"tcp 443 10.0.1.0/24"}, Reachable},
		{"unknown peer on another port cannot match", model.SGRule{Protocol: model.ProtoTCP, Ports: model.Port(22)}, nil, Blocked},
		{"unknown protocol may match", model.SGRule{Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: pfx("10.0.1.0/24")}, nil, Unknown},
		{"known peer that does not match cannot match", model.SGRule{Protocol: model.ProtoAll, Ports: model.AllPorts, CIDR: pfx("192.168.0.0/16")}, nil, Blocked},
		{"known peer that matches still may not", model.SGRule{Protocol: model.ProtoTCP, Ports: model.Port(443), PeerGroup: "sg-src"}, nil, Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			g := n.sg("sg-dst", tt.known, nil)
			r := tt.rule
			r.GroupID, r.ICMP, r.Unknown, r.Source = "sg-dst", model.AnyICMP, afterApply, "aws_security_group.x"
			g.Ingress = append([]model.SGRule{r}, g.Ingress...)
			n.sg("sg-src", nil, []string{"all 0.0.0.0/0"})
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-src")
			n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-dst")
			res := n.trace("eni-src", "eni-dst", "tcp", 443)
			switch tt.verdict {
			case Reachable:
				expect(t, res, Reachable, "", "", false)
			default:
				expect(t, res, tt.verdict, CompSecurityGroup, "sg-dst", false)
			}
			if tt.verdict == Unknown {
				if !strings.Contains(res.BlockedBy.Reason, afterApply) || !strings.Contains(res.BlockedBy.Reason, "aws_security_group.x") {
					t.Fatalf("the unknown should name the resource and attribute: %s", res.BlockedBy.Reason)
				}
				if res.Fix == nil || !strings.Contains(*res.Fix, "after apply") {
					t.Fatalf("fix should say the value is known after apply: %v", res.Fix)
				}
			}
		})
	}
}

func TestNetworkACLUnknownEntries(t *testing.T) {
	unknownEntry := func(num int, allow bool, cidr string, proto model.Protocol, ports model.PortRange) model.NACLEntry {
		e := model.NACLEntry{Number: num, Allow: allow, Protocol: proto, Ports: ports, ICMP: model.AnyICMP, Unknown: "aws_network_acl.x ingress.cidr_block comes from a module local", Source: "aws_network_acl.x"}
		if cidr != "" {
			e.CIDR = pfx(cidr)
		}
		return e
	}
	tests := []struct {
		name    string
		entry   model.NACLEntry
		known   []string
		verdict Verdict
	}{
		{"unknown CIDR before the deciding allow", unknownEntry(90, false, "", model.ProtoTCP, model.Port(443)), []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Unknown},
		{"unknown CIDR before the final deny", unknownEntry(90, true, "", model.ProtoAll, model.AllPorts), []string{"* deny all 0.0.0.0/0"}, Unknown},
		{"unknown entry after the deciding allow", unknownEntry(200, false, "", model.ProtoAll, model.AllPorts), []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Reachable},
		{"unknown entry after the deciding deny", unknownEntry(200, true, "", model.ProtoAll, model.AllPorts), []string{"100 deny tcp 443 0.0.0.0/0", "110 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Blocked},
		{"unknown entry on other ports", unknownEntry(90, false, "", model.ProtoTCP, model.Port(22)), []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Reachable},
		{"unknown entry whose known CIDR does not hold the source", unknownEntry(90, false, "192.168.0.0/16", model.ProtoAll, model.AllPorts), []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, Reachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			n.nacl("acl-b", []string{"subnet-b"}, tt.known, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
			a := n.m.NetworkACLs["acl-b"]
			a.Inbound = append(a.Inbound, tt.entry)
			n.eni("eni-src", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-dst", "subnet-b", "10.0.2.5", "sg-open")
			res := n.trace("eni-src", "eni-dst", "tcp", 443)
			if tt.verdict == Reachable {
				expect(t, res, Reachable, "", "", false)
				return
			}
			expect(t, res, tt.verdict, CompNetworkACL, "acl-b", false)
			if tt.verdict == Unknown && !strings.Contains(res.BlockedBy.Reason, "module local") {
				t.Fatalf("the unknown should say why: %s", res.BlockedBy.Reason)
			}
		})
	}
}

func TestRouteUnknownDestinationsAndTargets(t *testing.T) {
	unknownDest := model.Route{Target: model.Target{Kind: model.TargetNAT, ID: "nat-1"}, Unknown: "aws_route.x destination_cidr_block comes from a module local", Source: "aws_route.x"}
	unknownTarget := model.Route{Dest: pfx("0.0.0.0/0"), Target: model.Target{Kind: model.TargetUnknown}, Unknown: "aws_route_table.x route.gateway_id is known only after apply", Source: "aws_route_table.x"}
	tests := []struct {
		name    string
		extra   model.Route
		routes  []string
		to      string
		verdict Verdict
	}{
		{"unknown destination may beat the default route", unknownDest, []string{"0.0.0.0/0 nat-1"}, "54.1.2.3", Unknown},
		{"unknown destination never beats the local route", unknownDest, []string{"0.0.0.0/0 nat-1"}, "eni-b", Reachable},
		{"unknown destination may be the only match", unknownDest, nil, "54.1.2.3", Unknown},
		{"unknown target on the chosen route", unknownTarget, nil, "54.1.2.3", Unknown},
		{"unknown target on a route that loses", unknownTarget, []string{"54.1.0.0/16 nat-1"}, "54.1.2.3", Reachable},
		{"unknown target under the local route", unknownTarget, nil, "eni-b", Reachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := newNet(t)
			n.internet()
			rt := n.routes("rtb-a", []string{"subnet-a"}, tt.routes...)
			rt.Routes = append(rt.Routes, tt.extra)
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
			res := n.trace("eni-a", tt.to, "tcp", 443)
			if tt.verdict == Reachable {
				expect(t, res, Reachable, "", "", false)
				return
			}
			expect(t, res, tt.verdict, CompRouteTable, "rtb-a", false)
			if !strings.Contains(res.BlockedBy.Reason, tt.extra.Unknown) || !strings.Contains(res.BlockedBy.Reason, tt.extra.Source) {
				t.Fatalf("the unknown should name the route's resource and attribute: %s", res.BlockedBy.Reason)
			}
		})
	}
}

func TestInterfaceOutsideTheModelIsUnknown(t *testing.T) {
	n := newNet(t)
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	out := n.eni("eni-out", "subnet-a", "10.0.1.6", "sg-open")
	out.SubnetID, out.PrivateIPs = "subnet-0notinplan", nil
	n.m.Sources["eni-out"] = "aws_instance.web"
	nosub := n.eni("eni-default", "subnet-a", "10.0.1.7", "sg-open")
	nosub.SubnetID, nosub.PrivateIPs = "", nil
	for _, tt := range []struct{ from, to, want string }{
		{"eni-out", "eni-a", "subnet-0notinplan is not in the snapshot"},
		{"eni-a", "eni-out", "aws_instance.web"},
		{"eni-default", "eni-a", "default VPC"},
	} {
		r := n.trace(tt.from, tt.to, "tcp", 443)
		if r.Verdict != Unknown || r.BlockedBy == nil || !strings.Contains(r.BlockedBy.Reason, tt.want) {
			t.Errorf("%s -> %s: %s %+v, want unknown naming %q", tt.from, tt.to, r.Verdict, r.BlockedBy, tt.want)
		}
	}
}
