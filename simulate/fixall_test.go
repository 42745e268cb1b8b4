package simulate

import (
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// TestChangeApply: for each kind of change, the trace proposes it at the
// hop that drops the flow; applied to a copy of the network, the copy
// passes that hop, and the original is unchanged.
func TestChangeApply(t *testing.T) {
	rows := []struct {
		name  string
		build func(n *testNet)
		to    string
		port  uint16
		kind  ChangeKind
		comp  Component
		id    string
		ret   bool
		text  string // the fix, word for word
	}{
		{"security group egress", func(n *testNet) {
			n.sg("sg-a", nil, nil)
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-a")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
		}, "eni-b", 443, AddSecurityGroupRule, CompSecurityGroup, "sg-a", false,
			"add to sg-a an egress rule tcp/443 to sg-open (aws ec2 authorize-security-group-egress --group-id sg-a --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-open}]')"},
		{"security group ingress", func(n *testNet) {
			n.sg("sg-b", nil, []string{"all 0.0.0.0/0"})
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-b")
		}, "eni-b", 5432, AddSecurityGroupRule, CompSecurityGroup, "sg-b", false,
			"add to sg-b an ingress rule tcp/5432 from sg-open (aws ec2 authorize-security-group-ingress --group-id sg-b --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,UserIdGroupPairs=[{GroupId=sg-open}]')"},
		{"security group ingress from the internet", func(n *testNet) {
			n.internet()
			n.sg("sg-p", nil, []string{"all 0.0.0.0/0"})
			e := n.eni("eni-p", "subnet-pub", "10.0.0.7", "sg-p")
			e.PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.0.7"): addr("203.0.113.7")}
		}, "eni-p", 443, AddSecurityGroupRule, CompSecurityGroup, "sg-p", false,
			"add to sg-p an ingress rule tcp/443 from 0.0.0.0/0 (aws ec2 authorize-security-group-ingress --group-id sg-p --ip-permissions 'IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]')"},
		{"network ACL inbound below a deny", func(n *testNet) {
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
			n.nacl("acl-b", []string{"subnet-b"}, []string{"100 deny tcp 443 0.0.0.0/0", "200 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
		}, "eni-b", 443, AddNetworkACLEntry, CompNetworkACL, "acl-b", false,
			"add to acl-b an inbound entry #99 allow tcp/443 from 10.0.0.0/16, before #100 (aws ec2 create-network-acl-entry --network-acl-id acl-b --ingress --rule-number 99 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow)"},
		{"network ACL outbound for the reply", func(n *testNet) {
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
			n.nacl("acl-b", []string{"subnet-b"}, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow tcp 443 0.0.0.0/0", "* deny all 0.0.0.0/0"})
		}, "eni-b", 443, AddNetworkACLEntry, CompNetworkACL, "acl-b", true,
			"add to acl-b an outbound entry #110 allow tcp/32768-60999 to 10.0.0.0/16, before the final * deny (aws ec2 create-network-acl-entry --network-acl-id acl-b --egress --rule-number 110 --protocol tcp --port-range From=32768,To=60999 --cidr-block 10.0.0.0/16 --rule-action allow)"},
		{"default route to the NAT gateway", func(n *testNet) {
			n.internet()
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.routes("rtb-a", []string{"subnet-a"})
		}, "8.8.8.8", 443, CreateRoute, CompRouteTable, "rtb-a", false,
			"add a default route to nat-1 in rtb-a (aws ec2 create-route --route-table-id rtb-a --destination-cidr-block 0.0.0.0/0 --nat-gateway-id nat-1)"},
		{"gateway endpoint to the table", func(n *testNet) {
			n.s3()
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.routes("rtb-a", []string{"subnet-a"})
		}, "52.216.10.20", 443, AddEndpointRouteTable, CompRouteTable, "rtb-a", false,
			"associate vpce-s3 (com.amazonaws.us-east-1.s3) with rtb-a (aws ec2 modify-vpc-endpoint --vpc-endpoint-id vpce-s3 --add-route-table-ids rtb-a)"},
		{"an Elastic IP in a public subnet", func(n *testNet) {
			n.internet()
			n.eni("eni-p", "subnet-pub", "10.0.0.7", "sg-open")
		}, "8.8.8.8", 443, AssociateAddress, CompInternetGateway, "igw-1", false,
			"give eni-p a public address (aws ec2 associate-address --network-interface-id eni-p --allocation-id <eipalloc-...>), or move it to a private subnet whose route table sends 0.0.0.0/0 to a NAT gateway (rtb-pub also carries nat-1's traffic to the internet gateway)"},
		{"a return route over a peering", func(n *testNet) {
			n.vpc("vpc-2", "10.1.0.0/16", "us-east-1")
			n.peering("pcx-1", "vpc-1", "vpc-2")
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-2", "vpc-2-a", "10.1.1.5", "sg-vpc-2")
			n.routes("rtb-a", []string{"subnet-a"}, "10.1.0.0/16 pcx-1")
		}, "eni-2", 443, CreateRoute, CompRouteTable, "vpc-2-main", true,
			"add a route for 10.0.0.0/16 to pcx-1 in vpc-2-main (aws ec2 create-route --route-table-id vpc-2-main --destination-cidr-block 10.0.0.0/16 --vpc-peering-connection-id pcx-1)"},
		{"an Elastic IP for a destination on the internet", func(n *testNet) {
			n.internet()
			n.eni("eni-p", "subnet-pub", "10.0.0.7", "sg-open")
		}, "eni-p", 443, AssociateAddress, CompInternetGateway, "igw-1", false,
			"give eni-p a public address (aws ec2 associate-address --network-interface-id eni-p --allocation-id <eipalloc-...>), or reach it through a load balancer"},
		{"a route that exists is replaced, not created again", func(n *testNet) {
			n.internet()
			n.eni("eni-p", "subnet-a", "10.0.1.7", "sg-open").PublicIPs = map[netip.Addr]netip.Addr{addr("10.0.1.7"): addr("203.0.113.7")}
			n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1")
		}, "eni-p", 443, ReplaceRoute, CompRouteTable, "rtb-a", true,
			"route 0.0.0.0/0 to igw-1 in rtb-a (aws ec2 replace-route --route-table-id rtb-a --destination-cidr-block 0.0.0.0/0 --gateway-id igw-1); today it goes to nat-1, for every flow that takes it"},
		{"a stopped instance", func(n *testNet) {
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
			n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open").InstanceID = "i-b"
			n.m.Instances["i-b"] = &model.Instance{ID: "i-b", State: "stopped", SubnetID: "subnet-b", VPCID: "vpc-1", ENIs: []string{"eni-b"}}
		}, "eni-b", 22, StartInstances, CompENI, "eni-b", false,
			"start i-b (aws ec2 start-instances --instance-ids i-b)"},
		{"DNS support off", func(n *testNet) {
			n.m.VPCs["vpc-1"].DNSSupport = model.No
			n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		}, "10.0.0.2", 53, EnableDNSSupport, CompAWSService, "10.0.0.2", false,
			"turn on DNS support (aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-support)"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			n := newNet(t)
			r.build(n)
			from := "eni-a"
			switch {
			case r.to == "eni-p":
				from = "internet"
			case n.m.ENIs[from] == nil:
				from = "eni-p"
			}
			res := n.trace(from, r.to, "tcp", r.port)
			expect(t, res, Blocked, r.comp, r.id, r.ret)
			if res.Change == nil {
				t.Fatalf("fix %q carries no change", deref(res.Fix))
			}
			c := *res.Change
			if c.Kind != r.kind {
				t.Errorf("kind %s, want %s", c.Kind, r.kind)
			}
			if got := deref(res.Fix); got != r.text || c.Text() != r.text {
				t.Errorf("fix\n%s\nchange text\n%s\nwant\n%s", got, c.Text(), r.text)
			}
			before := n.m.Clone()
			cp := n.m.Clone()
			if err := c.Apply(cp); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(before, n.m.Clone()) {
				t.Error("Apply on a copy changed the original")
			}
			again, err := Trace(n.m, Query{From: from, To: r.to, Protocol: model.ProtoTCP, Port: r.port})
			if err != nil {
				t.Fatal(err)
			}
			expect(t, again, Blocked, r.comp, r.id, r.ret)
			after, err := Trace(cp, Query{From: from, To: r.to, Protocol: model.ProtoTCP, Port: r.port})
			if err != nil {
				t.Fatal(err)
			}
			if after.Verdict != Reachable {
				t.Errorf("after the change: %s at %+v (fix %s)", after.Verdict, after.BlockedBy, deref(after.Fix))
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

// TestFixAllReachable: a flow that needs six changes (the source group's
// egress, the destination group's ingress, the destination subnet's ACL
// both ways, and the return route over a peering) gets all of them, in
// the order the packet meets the hops, and is reachable after them.
func TestFixAllReachable(t *testing.T) {
	n := newNet(t)
	n.vpc("vpc-2", "10.1.0.0/16", "us-east-1")
	n.peering("pcx-1", "vpc-1", "vpc-2")
	n.sg("sg-a", nil, nil)
	n.sg("sg-b", nil, nil).VPCID = "vpc-2"
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-a")
	n.eni("eni-b", "vpc-2-a", "10.1.1.5", "sg-b")
	n.routes("rtb-a", []string{"subnet-a"}, "10.1.0.0/16 pcx-1")
	n.nacl("acl-b", []string{"vpc-2-a"}, []string{"* deny all 0.0.0.0/0"}, []string{"* deny all 0.0.0.0/0"})
	n.m.Index()
	q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}
	orig := n.m.Clone()
	res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return Trace(m, q) })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(orig, n.m.Clone()) {
		t.Error("FixAll changed the model it was given")
	}
	expect(t, res, Blocked, CompSecurityGroup, "sg-a", false) // the first trace is the answer
	var got []string
	for _, s := range res.FixesAll {
		where := "forward"
		if s.Fixes.Return {
			where = "return"
		}
		got = append(got, string(s.Change.Kind)+" "+s.Fixes.ID+" "+where)
	}
	want := []string{
		"add-security-group-rule sg-a forward",
		"add-network-acl-entry acl-b forward",
		"add-security-group-rule sg-b forward",
		"create-route vpc-2-main return",
		"add-network-acl-entry acl-b return",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if a := res.AfterFixes; a == nil || a.Verdict != Reachable || a.BlockedBy != nil || a.Fix != nil || a.Stopped != "" {
		t.Errorf("after fixes: %+v", a)
	}
	// Making the listed changes by hand reaches the same answer.
	m := n.m.Clone()
	for _, s := range res.FixesAll {
		applyData(t, m, s.Change)
	}
	if r, _ := Trace(m, q); r.Verdict != Reachable {
		t.Errorf("the listed changes made by hand: %s at %+v", r.Verdict, r.BlockedBy)
	}
}

// applyData makes a change from its JSON form, as a consumer of the
// contract would: the data alone is enough to make it.
func applyData(t *testing.T, m *model.Model, d ChangeData) {
	t.Helper()
	c := Change{Kind: d.Kind}
	proto, err := model.ParseProtocol(d.Protocol)
	if err != nil && (d.Kind == AddSecurityGroupRule || d.Kind == AddNetworkACLEntry) {
		t.Fatal(err)
	}
	ports, icmp := model.AllPorts, model.AnyICMP
	if d.Ports != "" {
		ports, _ = model.ParsePortRange(d.Ports)
	}
	if d.ICMPType != nil {
		icmp = model.ICMPMatch{Type: int16(*d.ICMPType), Code: -1}
	}
	switch d.Kind {
	case AddSecurityGroupRule:
		c.Rule = model.SGRule{GroupID: d.GroupID, Egress: d.Direction == Egress, Protocol: proto, Ports: ports, ICMP: icmp, PeerGroup: d.PeerGroupID}
		if d.CIDR != "" {
			c.Rule.CIDR = netip.MustParsePrefix(d.CIDR)
		}
	case AddNetworkACLEntry:
		c.ACLID = d.NetworkACLID
		c.Entry = model.NACLEntry{Number: d.RuleNumber, Egress: d.Direction == Egress, Allow: true, Protocol: proto, Ports: ports, ICMP: icmp, CIDR: netip.MustParsePrefix(d.CIDR)}
	case CreateRoute, ReplaceRoute:
		c.RouteTableID = d.RouteTableID
		c.Route = model.Route{Dest: netip.MustParsePrefix(d.Destination), Target: model.Target{Kind: model.TargetKind(d.TargetKind), ID: d.TargetID}}
	case AddEndpointRouteTable:
		c.EndpointID, c.RouteTableID, c.PrefixListID = d.EndpointID, d.RouteTableID, d.PrefixListID
	case AssociateAddress:
		c.ENIID = d.NetworkInterfaceID
	case StartInstances:
		c.InstanceID = d.InstanceID
	case EnableDNSSupport:
		c.VPCID = d.VPCID
	}
	if err := c.Apply(m); err != nil {
		t.Fatal(err)
	}
}

// TestFixAllStops: FixAll makes the changes it can and stops, saying why,
// where the next fix is not a change to the network.
func TestFixAllStops(t *testing.T) {
	t.Run("a route the model cannot write", func(t *testing.T) {
		n := newNet(t)
		n.vpc("vpc-2", "10.1.0.0/16", "us-east-1")
		n.peering("pcx-1", "vpc-1", "vpc-2")
		n.sg("sg-a", nil, nil)
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-a")
		n.eni("eni-b", "vpc-2-a", "10.1.1.5", "sg-vpc-2")
		n.m.Index()
		q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}
		res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return Trace(m, q) })
		if err != nil {
			t.Fatal(err)
		}
		if len(res.FixesAll) != 1 || res.FixesAll[0].Change.Kind != AddSecurityGroupRule {
			t.Fatalf("changes %+v, want the source group's egress rule", res.FixesAll)
		}
		a := res.AfterFixes
		if a == nil || a.Verdict != Blocked || a.BlockedBy == nil || a.BlockedBy.Component != CompRouteTable || a.BlockedBy.ID != "rtb-main" {
			t.Fatalf("after fixes: %+v", a)
		}
		if a.Stopped != "no change to the network can be proposed for this hop" || !strings.Contains(deref(a.Fix), "to the peering connection, transit gateway or VPN that reaches it") {
			t.Errorf("stopped %q, fix %q", a.Stopped, deref(a.Fix))
		}
	})
	t.Run("advice, not a change", func(t *testing.T) {
		n := newNet(t)
		n.sg("sg-ep", nil, nil)
		n.interfaceEndpoint("vpce-1", "sg-ep", "subnet-b", "10.0.2.50")
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		n.m.Index()
		q := Query{From: "eni-a", To: "vpce-1", Protocol: model.ProtoUDP, Port: 53}
		res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return Trace(m, q) })
		if err != nil {
			t.Fatal(err)
		}
		if len(res.FixesAll) != 0 || res.AfterFixes == nil || res.AfterFixes.Verdict != Blocked {
			t.Fatalf("changes %+v after %+v", res.FixesAll, res.AfterFixes)
		}
		if !strings.HasPrefix(deref(res.AfterFixes.Fix), "use TCP") {
			t.Errorf("fix %q", deref(res.AfterFixes.Fix))
		}
	})
	t.Run("a change that does not alter the result", func(t *testing.T) {
		n := newNet(t)
		n.sg("sg-a", nil, nil)
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-a")
		n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
		n.m.Index()
		q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}
		// A trace that forgets the change: the same fix comes back.
		res, err := FixAll(n.m, func(*model.Model) (Result, error) { return Trace(n.m, q) })
		if err != nil {
			t.Fatal(err)
		}
		if len(res.FixesAll) != 1 || !strings.Contains(res.AfterFixes.Stopped, "was proposed again") {
			t.Errorf("changes %d, stopped %q", len(res.FixesAll), res.AfterFixes.Stopped)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		n := newNet(t)
		n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
		n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-open")
		n.m.NetworkACLs["acl-default"].Inbound[0].Unknown = "aws_network_acl_rule.x: cidr_block known after apply"
		n.m.Index()
		q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}
		res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return Trace(m, q) })
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != Unknown || len(res.FixesAll) != 0 || res.AfterFixes.Verdict != Unknown || !strings.Contains(res.AfterFixes.Stopped, "cannot decide") {
			t.Errorf("verdict %s, changes %d, after %+v", res.Verdict, len(res.FixesAll), res.AfterFixes)
		}
	})
}

// TestFixAllRange: with a port range, each run of ports that fails gets
// its change, widened to the run, and the whole range passes after them.
func TestFixAllRange(t *testing.T) {
	n := newNet(t)
	n.sg("sg-b", []string{"tcp 8443 10.0.0.0/16"}, []string{"all 0.0.0.0/0"})
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-b")
	n.nacl("acl-b", []string{"subnet-b"}, []string{"100 allow tcp 8443-8449 0.0.0.0/0", "* deny all 0.0.0.0/0"}, []string{"100 allow all 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.m.Index()
	q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP}
	ports := model.PortRange{First: 8443, Last: 8451}
	res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return TraceRange(m, q, ports) })
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range res.FixesAll {
		got = append(got, s.Change.Command)
	}
	want := []string{
		"aws ec2 authorize-security-group-ingress --group-id sg-b --ip-permissions 'IpProtocol=tcp,FromPort=8444,ToPort=8449,UserIdGroupPairs=[{GroupId=sg-open}]'",
		"aws ec2 create-network-acl-entry --network-acl-id acl-b --ingress --rule-number 110 --protocol tcp --port-range From=8450,To=8451 --cidr-block 10.0.0.0/16 --rule-action allow",
		"aws ec2 authorize-security-group-ingress --group-id sg-b --ip-permissions 'IpProtocol=tcp,FromPort=8450,ToPort=8451,UserIdGroupPairs=[{GroupId=sg-open}]'",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.AfterFixes == nil || res.AfterFixes.Verdict != Reachable {
		t.Errorf("after fixes: %+v", res.AfterFixes)
	}
}

// TestChangeCommandsAsAWSDocuments reads each proposed AWS CLI command back
// by its documented flags and checks that it makes the change Apply makes,
// and what AWS documents about it: network ACL entries are evaluated in
// rule-number order, lowest first, so an allow entry must be numbered
// below the entry that denied
// (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html);
// a security group rule names one protocol, its ports or ICMP type, and
// one peer (https://docs.aws.amazon.com/cli/latest/reference/ec2/authorize-security-group-ingress.html).
func TestChangeCommandsAsAWSDocuments(t *testing.T) {
	n := newNet(t)
	n.sg("sg-b", nil, []string{"all 0.0.0.0/0"})
	n.eni("eni-a", "subnet-a", "10.0.1.5", "sg-open")
	n.eni("eni-b", "subnet-b", "10.0.2.5", "sg-b")
	n.nacl("acl-b", []string{"subnet-b"},
		[]string{"50 allow tcp 22 0.0.0.0/0", "99 allow udp 53 0.0.0.0/0", "100 deny tcp 0-1023 0.0.0.0/0", "* deny all 0.0.0.0/0"},
		[]string{"100 allow tcp 443 0.0.0.0/0", "* deny all 0.0.0.0/0"})
	n.m.Index()
	q := Query{From: "eni-a", To: "eni-b", Protocol: model.ProtoTCP, Port: 443}
	res, err := FixAll(n.m, func(m *model.Model) (Result, error) { return Trace(m, q) })
	if err != nil {
		t.Fatal(err)
	}
	if res.AfterFixes.Verdict != Reachable || len(res.FixesAll) != 3 {
		t.Fatalf("after %d changes: %+v", len(res.FixesAll), res.AfterFixes)
	}
	for _, s := range res.FixesAll {
		flags := cliFlags(t, s.Change.Command)
		switch s.Change.Kind {
		case AddNetworkACLEntry:
			num, _ := strconv.Atoi(flags["--rule-number"])
			if num != s.Change.RuleNumber || num < 1 || num >= s.Change.DeniedAt {
				t.Errorf("%s: rule number %d, denied at %d: the allow entry is not evaluated first", s.Change.Command, num, s.Change.DeniedAt)
			}
			acl := n.m.NetworkACLs[flags["--network-acl-id"]]
			for _, e := range append(acl.Inbound, acl.Outbound...) {
				if e.Number == num && e.Egress == (flags["--egress"] == "true") {
					t.Errorf("%s: rule number %d is taken in that direction", s.Change.Command, num)
				}
			}
			pr, _ := model.ParsePortRange(s.Change.Ports)
			if flags["--rule-action"] != "allow" || flags["--protocol"] != s.Change.Protocol || flags["--cidr-block"] != s.Change.CIDR ||
				flags["--port-range"] != "From="+strconv.Itoa(int(pr.First))+",To="+strconv.Itoa(int(pr.Last)) {
				t.Errorf("%s: flags %v do not say %+v", s.Change.Command, flags, s.Change)
			}
		case AddSecurityGroupRule:
			perm := flags["--ip-permissions"]
			want := "IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId=sg-open}]"
			if flags["--group-id"] != "sg-b" || perm != "'"+want+"'" || s.Change.PeerGroupID != "sg-open" || s.Change.Ports != "443" {
				t.Errorf("%s: %+v", s.Change.Command, s.Change)
			}
		default:
			t.Errorf("unexpected change %+v", s.Change)
		}
	}
	// The inbound entry is numbered below #100, which denies tcp 0-1023,
	// and not #99, which is taken; the return entry goes after #100 (the
	// last numbered entry), before the final *.
	if c := res.FixesAll[0].Change; c.RuleNumber != 98 || c.DeniedAt != 100 {
		t.Errorf("inbound entry #%d before #%d, want #98 before #100", c.RuleNumber, c.DeniedAt)
	}
	if c := res.FixesAll[2].Change; c.Direction != Egress || c.RuleNumber != 110 || c.DeniedAt != model.FinalRuleNumber || c.Ports != "32768-60999" {
		t.Errorf("return entry %+v", c)
	}
}

// cliFlags splits an AWS CLI command into its flags ("--egress" alone is
// "true").
func cliFlags(t *testing.T, cmd string) map[string]string {
	t.Helper()
	f := strings.Fields(cmd)
	if len(f) < 3 || f[0] != "aws" || f[1] != "ec2" {
		t.Fatalf("not an aws ec2 command: %s", cmd)
	}
	out := map[string]string{}
	for i := 3; i < len(f); i++ {
		if !strings.HasPrefix(f[i], "--") {
			t.Fatalf("%s: %q is not a flag", cmd, f[i])
		}
		if i+1 < len(f) && !strings.HasPrefix(f[i+1], "--") {
			out[f[i]] = f[i+1]
			i++
			continue
		}
		out[f[i]] = "true"
	}
	return out
}

// TestChangeRetarget: widening a change to a run of ports (trace --port
// A-B) says what widening its text does, so the fix a segment shows and
// the change FixAll makes are one.
func TestChangeRetarget(t *testing.T) {
	r := model.PortRange{First: 8443, Last: 8451}
	for _, c := range []Change{
		{Kind: AddSecurityGroupRule, Rule: model.SGRule{GroupID: "sg-1", Protocol: model.ProtoTCP, Ports: model.Port(8443), ICMP: model.AnyICMP, PeerGroup: "sg-2"}},
		{Kind: AddSecurityGroupRule, Rule: model.SGRule{GroupID: "sg-1", Egress: true, Protocol: model.ProtoUDP, Ports: model.Port(8443), ICMP: model.AnyICMP, CIDR: pfx("10.0.1.5/32")}},
		{Kind: AddNetworkACLEntry, ACLID: "acl-1", DeniedAt: 100, Entry: model.NACLEntry{Number: 99, Allow: true, Protocol: model.ProtoTCP, Ports: model.Port(8443), CIDR: pfx("10.0.0.0/16")}},
		// Ports that are not the run's first port stay (an ACL entry for
		// the reply's ephemeral ports).
		{Kind: AddNetworkACLEntry, ACLID: "acl-1", DeniedAt: model.FinalRuleNumber, Entry: model.NACLEntry{Number: 110, Egress: true, Allow: true, Protocol: model.ProtoTCP, Ports: EphemeralLinux, CIDR: pfx("10.0.0.0/16")}},
	} {
		if got, want := c.Retarget(r).Text(), retargetFix(c.Text(), r); got != want {
			t.Errorf("retargeted change\n%s\nretargeted text\n%s", got, want)
		}
	}
}

// TestChangeApplyRefuses: Apply refuses what AWS refuses, naming why: a
// route for a destination the table has (a blackhole one too), an ACL
// rule number in use, a resource not in the model.
func TestChangeApplyRefuses(t *testing.T) {
	n := newNet(t)
	n.internet()
	n.routes("rtb-a", []string{"subnet-a"}, "0.0.0.0/0 nat-1 blackhole")
	n.m.Index()
	rows := []struct {
		c    Change
		want string
	}{
		{newRoute("rtb-a", defaultRoute, model.Target{Kind: model.TargetNAT, ID: "nat-1"}, ""), "already has a blackhole route for 0.0.0.0/0"},
		{Change{Kind: AddNetworkACLEntry, ACLID: "acl-default", Entry: model.NACLEntry{Number: 100, Protocol: model.ProtoAll, CIDR: defaultRoute}}, "already has an entry #100"},
		{Change{Kind: AddNetworkACLEntry, ACLID: "acl-default", Entry: model.NACLEntry{Number: model.FinalRuleNumber, Protocol: model.ProtoAll, CIDR: defaultRoute}}, "outside 1-32766"},
		{Change{Kind: AddSecurityGroupRule, Rule: model.SGRule{GroupID: "sg-nope"}}, "sg-nope is not in the model"},
	}
	for _, r := range rows {
		m := n.m.Clone()
		if err := r.c.Apply(m); err == nil || !strings.Contains(err.Error(), r.want) {
			t.Errorf("%s: error %v, want %q", r.c.Command(), err, r.want)
		}
	}
}
