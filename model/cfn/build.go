package cfn

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"gopkg.in/yaml.v3"
)

// idPrefix is the prefix AWS gives the physical ID (what Ref returns) of
// each resource type vpcpath models.
var idPrefix = map[string]string{
	"AWS::EC2::VPC":                             "vpc",
	"AWS::EC2::Subnet":                          "subnet",
	"AWS::EC2::RouteTable":                      "rtb",
	"AWS::EC2::InternetGateway":                 "igw",
	"AWS::EC2::EgressOnlyInternetGateway":       "eigw",
	"AWS::EC2::NatGateway":                      "nat",
	"AWS::EC2::VPCEndpoint":                     "vpce",
	"AWS::EC2::SecurityGroup":                   "sg",
	"AWS::EC2::NetworkAcl":                      "acl",
	"AWS::EC2::Instance":                        "i",
	"AWS::EC2::NetworkInterface":                "eni",
	"AWS::EC2::PrefixList":                      "pl",
	"AWS::EC2::DHCPOptions":                     "dopt",
	"AWS::EC2::VPCPeeringConnection":            "pcx",
	"AWS::EC2::TransitGateway":                  "tgw",
	"AWS::EC2::TransitGatewayAttachment":        "tgw-attach",
	"AWS::EC2::TransitGatewayVpcAttachment":     "tgw-attach",
	"AWS::EC2::TransitGatewayRouteTable":        "tgw-rtb",
	"AWS::EC2::VPNGateway":                      "vgw",
	"AWS::EC2::CustomerGateway":                 "cgw",
	"AWS::EC2::VPNConnection":                   "vpn",
	"AWS::EC2::CarrierGateway":                  "cagw",
	"AWS::Route53::HostedZone":                  "Z",
	"AWS::EC2::VPCEndpointService":              "vpce-svc",
	"AWS::EC2::TransitGatewayPeeringAttachment": "tgw-attach",
}

// subTypes are resources that change others (rules, routes, associations):
// Ref gives an ID nothing else uses.
var subTypes = map[string]bool{
	"AWS::EC2::Route": true, "AWS::EC2::SubnetRouteTableAssociation": true, "AWS::EC2::GatewayRouteTableAssociation": true,
	"AWS::EC2::SecurityGroupIngress": true, "AWS::EC2::SecurityGroupEgress": true, "AWS::EC2::NetworkAclEntry": true,
	"AWS::EC2::SubnetNetworkAclAssociation": true, "AWS::EC2::VPCGatewayAttachment": true, "AWS::EC2::VPCCidrBlock": true,
	"AWS::EC2::SubnetCidrBlock": true, "AWS::EC2::EIPAssociation": true, "AWS::EC2::VPCDHCPOptionsAssociation": true,
	"AWS::EC2::NetworkInterfaceAttachment": true, "AWS::Route53::RecordSet": true, "AWS::Route53::RecordSetGroup": true,
	"AWS::EC2::EIP": true, "AWS::EC2::VPNGatewayRoutePropagation": true, "AWS::EC2::TransitGatewayRoute": true,
	"AWS::EC2::TransitGatewayRouteTableAssociation": true, "AWS::EC2::TransitGatewayRouteTablePropagation": true,
	"AWS::EC2::VPCEndpointConnectionNotification": true, "AWS::EC2::PrefixList": false,
}

// outside reports whether a resource type is built outside the template.
func outside(typ string) bool {
	return strings.HasPrefix(typ, "Custom::") || typ == "AWS::CloudFormation::CustomResource" || typ == "AWS::CloudFormation::Stack" || typ == "AWS::Serverless::Application"
}

// builder turns the evaluated template into a model.
type builder struct {
	t    *Template
	ev   *evaluator
	m    *model.Model
	base *model.Model
	err  error
	// region of the stack.
	region string
	taken  map[netip.Addr]bool
	eips   map[string]netip.Addr // EIP logical ID -> placeholder public IP
	pub    int
	// pending interfaces without an address, in logical order.
	pending []*model.ENI
	wantPub []string
	created map[string]bool
	newEPs  []string
	// mapPublic are the stack's subnets and their MapPublicIpOnLaunch
	// (false when undecided); mapPublicWhy says why it is undecided.
	mapPublic    map[string]bool
	mapPublicWhy map[string]string
	// cidrUnknown are VPCs whose CidrBlock is undecided, with why.
	cidrUnknown map[string]string
}

// Model returns the network the template builds, on its own, with what AWS
// creates implicitly (a new VPC's main route table, default network ACL and
// default security group, every table's local routes, the interfaces of
// interface endpoints and NAT gateways).
func (t *Template) Model() (*model.Model, error) { return t.build(nil) }

// Overlay builds the template's stack over base, a loaded network, so that
// a stack that adds to an existing VPC (given as a parameter) is judged in
// it. base is not modified.
func Overlay(base *model.Model, t *Template) (*model.Model, error) { return t.build(base) }

func (t *Template) build(base *model.Model) (*model.Model, error) {
	t.Warnings = t.Warnings[:0:0]
	t.regionAssumed = false
	if t.transformWarning != "" {
		t.warn("", "%s", t.transformWarning)
	}
	b := &builder{t: t, base: base, taken: map[netip.Addr]bool{}, eips: map[string]netip.Addr{}, created: map[string]bool{}, mapPublic: map[string]bool{}, mapPublicWhy: map[string]string{}, cidrUnknown: map[string]string{}}
	if base != nil {
		b.m = base.Clone()
		if t.opts.AZs == nil {
			t.opts.AZs = map[string][]string{}
			for _, id := range model.SortedKeys(base.Subnets) {
				s := base.Subnets[id]
				r := base.VPCRegion[s.VPCID]
				if r != "" && s.AZ != "" {
					t.opts.AZs[r] = appendUniq(t.opts.AZs[r], s.AZ)
				}
			}
			for r := range t.opts.AZs {
				t.opts.AZs[r] = sorted(t.opts.AZs[r])
			}
		}
	} else {
		b.m = model.New()
		for _, k := range []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup,
			model.KindNetworkACL, model.KindENI, model.KindInstance, model.KindVPCEndpoint, model.KindNATGateway,
			model.KindInternetGateway, model.KindPrefixList, model.KindPeering, model.KindTransitGateway,
			model.KindTGWAttachment, model.KindVPCAttribute} {
			b.m.Present[k] = true
		}
	}
	b.m.SourceKind = model.SourceCloudFormation
	for _, e := range b.m.ENIs {
		for _, a := range e.PrivateIPs {
			b.taken[a] = true
		}
	}
	b.ev = newEvaluator(t)
	b.ev.refOf = b.refOf
	b.ev.getAtt = b.getAtt
	b.region = t.region()
	if err := b.run(); err != nil {
		return nil, err
	}
	for logical, texts := range b.ev.assumed {
		if r := t.resources[logical]; r != nil && r.id != "" {
			for _, x := range texts {
				b.assume(r.id, x)
			}
		}
	}
	b.m.Index()
	return b.m, nil
}

func (b *builder) assume(id, text string) {
	for _, a := range b.m.Assumptions[id] {
		if a == text {
			return
		}
	}
	b.m.Assumptions[id] = append(b.m.Assumptions[id], text)
}

func (b *builder) warn(logical, format string, args ...any) { b.t.warn(logical, format, args...) }

// refOf is what Ref returns for a resource.
func (b *builder) refOf(logical string) any {
	r := b.t.resources[logical]
	switch {
	case outside(r.typ):
		return unknown{fmt.Sprintf("%s (%s) is built outside the template", logical, r.typ)}
	case r.typ == "AWS::EC2::EIP":
		return b.eipAddr(logical).String()
	case idPrefix[r.typ] != "":
		return r.id
	case subTypes[r.typ]:
		return r.id
	}
	return unknown{fmt.Sprintf("%s (%s) is not a network resource vpcpath models", logical, r.typ)}
}

// eipAddr is the stand-in public IP of an Elastic IP the stack allocates.
func (b *builder) eipAddr(logical string) netip.Addr {
	if a, ok := b.eips[logical]; ok {
		return a
	}
	if st := b.t.opts.Stack; st != nil && !st.Replaced[logical] {
		if a, err := netip.ParseAddr(st.Physical[logical]); err == nil {
			b.eips[logical] = a
			return a
		}
	}
	b.pub++
	a := netip.AddrFrom4([4]byte{198, 51, 100, byte(b.pub)})
	b.eips[logical] = a
	return a
}

// vals evaluates a resource's properties once.
func (b *builder) vals(r *resource) (map[string]any, error) {
	if r.evaluated {
		return r.vals, nil
	}
	if r.busy {
		return nil, b.t.errAt(r.props, r.logical, "its properties refer to themselves through Fn::GetAtt")
	}
	r.busy = true
	saved := b.ev.logical
	b.ev.logical = r.logical
	v, err := b.ev.eval(r.props)
	b.ev.logical = saved
	r.busy = false
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	r.vals, r.evaluated = m, true
	return m, nil
}

// getAtt is Fn::GetAtt for the attributes networks use.
func (b *builder) getAtt(logical, attr string, at *yaml.Node) (any, error) {
	r := b.t.resources[logical]
	if outside(r.typ) {
		return unknown{fmt.Sprintf("%s.%s: %s (%s) is built outside the template", logical, attr, logical, r.typ)}, nil
	}
	afterCreate := unknown{fmt.Sprintf("%s.%s is known only after the stack creates %s", logical, attr, logical)}
	prop := func(k string) (any, error) {
		v, err := b.vals(r)
		if err != nil {
			return nil, err
		}
		if x, ok := v[k]; ok {
			return x, nil
		}
		return afterCreate, nil
	}
	switch r.typ + "." + attr {
	case "AWS::EC2::VPC.CidrBlock", "AWS::EC2::Subnet.CidrBlock", "AWS::EC2::Subnet.AvailabilityZone", "AWS::EC2::Subnet.VpcId",
		"AWS::EC2::SecurityGroup.VpcId", "AWS::EC2::Instance.AvailabilityZone", "AWS::EC2::VPCEndpoint.VpcId":
		return prop(attr[strings.LastIndex(attr, ".")+1:])
	case "AWS::EC2::Instance.PrivateIp":
		v, err := b.vals(r)
		if err != nil {
			return nil, err
		}
		if l, ok := v["NetworkInterfaces"].([]any); ok && len(l) > 0 {
			if m, ok := l[0].(map[string]any); ok && m["PrivateIpAddress"] != nil {
				return m["PrivateIpAddress"], nil
			}
		}
		return prop("PrivateIpAddress")
	case "AWS::EC2::NetworkInterface.PrimaryPrivateIpAddress":
		return prop("PrivateIpAddress")
	case "AWS::EC2::VPC.DefaultSecurityGroup":
		if id := b.baseDefaultSG(r.id); id != "" {
			return id, nil
		}
		return placeholder("sg", logical+":default"), nil
	case "AWS::EC2::VPC.DefaultNetworkAcl":
		if b.base != nil {
			for _, id := range model.SortedKeys(b.base.NetworkACLs) {
				if a := b.base.NetworkACLs[id]; a.VPCID == r.id && a.IsDefault {
					return id, nil
				}
			}
		}
		return placeholder("acl", logical+":default"), nil
	case "AWS::EC2::VPC.CidrBlockAssociations":
		return []any{placeholder("vpc-cidr-assoc", logical)}, nil
	case "AWS::EC2::EIP.AllocationId":
		return placeholder("eipalloc", logical), nil
	case "AWS::EC2::EIP.PublicIp":
		return b.eipAddr(logical).String(), nil
	case "AWS::EC2::Instance.NetworkInterfaceId", "AWS::EC2::NatGateway.NetworkInterfaceId":
		return placeholder("eni", logical), nil
	case "AWS::EC2::NatGateway.NatGatewayId", "AWS::EC2::Subnet.SubnetId", "AWS::EC2::VPC.VpcId", "AWS::EC2::SecurityGroup.GroupId",
		"AWS::EC2::NetworkInterface.Id", "AWS::EC2::VPCEndpoint.Id", "AWS::EC2::PrefixList.PrefixListId", "AWS::EC2::TransitGateway.Id",
		"AWS::EC2::TransitGatewayAttachment.Id", "AWS::EC2::TransitGatewayVpcAttachment.Id", "AWS::EC2::InternetGateway.InternetGatewayId",
		"AWS::EC2::VPCPeeringConnection.Id", "AWS::Route53::HostedZone.Id", "AWS::EC2::NetworkAcl.Id", "AWS::EC2::RouteTable.RouteTableId",
		"AWS::EC2::Instance.InstanceId", "AWS::EC2::TransitGatewayRouteTable.TransitGatewayRouteTableId":
		return r.id, nil
	case "AWS::EC2::VPCEndpoint.NetworkInterfaceIds":
		v, err := b.vals(r)
		if err != nil {
			return nil, err
		}
		subs, why := listOf(logical, "SubnetIds", v["SubnetIds"], v["SubnetIds"] != nil)
		if why != "" {
			return unknown{why}, nil
		}
		var out []any
		for i := range subs {
			out = append(out, placeholder("eni", fmt.Sprintf("%s#%d", logical, i+1)))
		}
		return out, nil
	}
	if idPrefix[r.typ] == "" && !subTypes[r.typ] {
		return unknown{fmt.Sprintf("%s.%s: %s (%s) is not a network resource vpcpath models", logical, attr, logical, r.typ)}, nil
	}
	return afterCreate, nil
}

// run builds the model.
func (b *builder) run() error {
	// Which resources exist.
	for _, l := range b.t.order {
		r := b.t.resources[l]
		r.exists, r.condKnown, r.evaluated, r.vals = true, true, false, nil
		if r.cond != "" {
			b.ev.logical = l
			c, err := b.ev.cond(r.cond, mapGet(r.node, "Condition"))
			if err != nil {
				return err
			}
			switch c {
			case false:
				r.exists = false
			case true:
			default:
				r.condKnown = false
			}
		}
		prefix := idPrefix[r.typ]
		if prefix == "" {
			prefix = "cfn"
		}
		r.id = placeholder(prefix, l)
		if r.typ == "AWS::Route53::HostedZone" {
			r.id = "Z-(" + l + ")"
		}
		if st := b.t.opts.Stack; st != nil && st.Physical[l] != "" && !st.Replaced[l] && idPrefix[r.typ] != "" {
			r.id = st.Physical[l]
			if r.typ == "AWS::Route53::HostedZone" {
				r.id = strings.TrimPrefix(r.id, "/hostedzone/")
			}
		}
	}
	b.applyChangeSet()
	// Conditions the template defines are checked even when unused, as
	// CloudFormation does.
	for name := range b.t.conditions {
		b.ev.logical = ""
		if _, err := b.ev.cond(name, b.t.conditions[name]); err != nil {
			return err
		}
	}
	// Evaluate every resource that exists, so that a bad Ref anywhere is an
	// error, and warn about what is built outside the template.
	for _, l := range b.t.order {
		r := b.t.resources[l]
		if !r.exists {
			continue
		}
		if _, err := b.vals(r); err != nil {
			return err
		}
		if outside(r.typ) {
			what := "a custom resource (its provider, often a Lambda function, decides what it builds)"
			if r.typ == "AWS::CloudFormation::Stack" || r.typ == "AWS::Serverless::Application" {
				what = "a nested stack (its template is not read)"
			}
			b.warn(l, "%s is %s: what depends on it is unknown", r.typ, what)
		}
		if !r.condKnown {
			b.warn(l, "its Condition %s depends on a value the template does not decide: taken as true", r.cond)
			b.assume(r.id, fmt.Sprintf("%s exists only when its condition %s holds, which the template does not decide: taken as true", l, r.cond))
		}
	}
	steps := []struct {
		typ string
		fn  func(*resource, map[string]any)
	}{
		{"AWS::EC2::VPC", b.vpc},
		{"AWS::EC2::VPCCidrBlock", b.vpcCIDR},
		{"", nil}, // implicitDefaults, before anything that takes a VPC's default group
		{"AWS::EC2::Subnet", b.subnet},
		{"AWS::EC2::PrefixList", b.prefixList},
		{"AWS::EC2::InternetGateway", b.igw},
		{"AWS::EC2::VPCGatewayAttachment", b.gatewayAttachment},
		{"AWS::EC2::NatGateway", b.nat},
		{"AWS::EC2::VPCPeeringConnection", b.peering},
		{"AWS::EC2::TransitGateway", b.tgw},
		{"AWS::EC2::TransitGatewayAttachment", b.tgwAttachment},
		{"AWS::EC2::TransitGatewayVpcAttachment", b.tgwAttachment},
		{"AWS::EC2::DHCPOptions", b.dhcp},
		{"AWS::EC2::VPCDHCPOptionsAssociation", b.dhcpAssociation},
		{"AWS::EC2::SecurityGroup", b.securityGroup},
		{"AWS::EC2::NetworkAcl", b.networkACL},
		{"AWS::EC2::RouteTable", b.routeTable},
		{"AWS::EC2::VPCEndpoint", b.endpoint},
		{"AWS::EC2::NetworkInterface", b.networkInterface},
		{"AWS::EC2::Instance", b.instance},
		{"AWS::Route53::HostedZone", b.zone},
	}
	byType := map[string][]*resource{}
	for _, l := range b.t.order {
		if r := b.t.resources[l]; r.exists {
			byType[r.typ] = append(byType[r.typ], r)
		}
	}
	for _, s := range steps {
		if s.fn == nil {
			b.implicitDefaults()
			continue
		}
		for _, r := range byType[s.typ] {
			s.fn(r, r.vals)
			if b.err != nil {
				return b.err
			}
		}
	}
	b.assignAddresses()
	subSteps := []struct {
		typ string
		fn  func(*resource, map[string]any)
	}{
		{"AWS::EC2::SecurityGroupIngress", b.sgRuleResource},
		{"AWS::EC2::SecurityGroupEgress", b.sgRuleResource},
		{"AWS::EC2::NetworkAclEntry", b.naclEntryResource},
		{"AWS::EC2::SubnetNetworkAclAssociation", b.naclAssociation},
		{"AWS::EC2::Route", b.route},
		{"AWS::EC2::SubnetRouteTableAssociation", b.rtAssociation},
		{"AWS::EC2::GatewayRouteTableAssociation", b.gatewayRTAssociation},
		{"AWS::EC2::NetworkInterfaceAttachment", b.eniAttachment},
		{"AWS::EC2::EIPAssociation", b.eipAssociation},
		{"AWS::EC2::EIP", b.eipAssociation},
		{"AWS::Route53::RecordSet", b.recordSet},
		{"AWS::Route53::RecordSetGroup", b.recordSetGroup},
	}
	for _, s := range subSteps {
		for _, r := range byType[s.typ] {
			s.fn(r, r.vals)
			if b.err != nil {
				return b.err
			}
		}
	}
	b.endpointRoutes()
	b.endpointInterfaces()
	b.natInterfaces()
	b.localRoutes()
	b.capacity()
	for _, l := range b.t.order {
		r := b.t.resources[l]
		if r.exists && !outside(r.typ) && idPrefix[r.typ] == "" && !subTypes[r.typ] && strings.HasPrefix(r.typ, "AWS::EC2::") {
			b.warn(l, "%s is not modelled by vpcpath: left out", r.typ)
		}
	}
	return nil
}

// f reads a property of r as a field.
func (b *builder) f(r *resource, v map[string]any, k string) field {
	x, ok := get(v, k)
	return fieldOf(r.logical, k, x, ok)
}

func (b *builder) l(r *resource, v map[string]any, k string) ([]string, string) {
	x, ok := get(v, k)
	return listOf(r.logical, k, x, ok)
}

// ref reads a property that names another resource. A known one that no
// source describes is recorded as dangling so that answers that depend on
// it are unknown; an undecided one becomes a placeholder named after the
// property ("vpc-(Subnet.VpcId)"), dangling too, never left out.
func (b *builder) ref(r *resource, v map[string]any, k string, kind model.Kind, exists func(string) bool) string {
	f := b.f(r, v, k)
	if f.why != "" {
		return b.undecided(r, k, kind, f.why)
	}
	if f.s != "" && exists != nil && !exists(f.s) {
		b.outsideRef(r, k, f.s, kind)
	}
	return f.s
}

// undecided is the placeholder of a reference the template does not decide.
func (b *builder) undecided(r *resource, k string, kind model.Kind, why string) string {
	id := placeholder(kindPrefix[kind], r.logical+"."+k)
	b.warn(r.logical, "%s: what depends on it is unknown", why)
	for _, d := range b.m.Dangling {
		if d.ID == id {
			return id
		}
	}
	b.m.Dangling = append(b.m.Dangling, model.Dangling{Origin: b.t.File, Field: r.logical + "." + k + " (" + why + ")", ID: id, Kind: kind})
	return id
}

var kindPrefix = map[model.Kind]string{model.KindVPC: "vpc", model.KindSubnet: "subnet", model.KindRouteTable: "rtb", model.KindSecurityGroup: "sg",
	model.KindNetworkACL: "acl", model.KindInternetGateway: "igw", model.KindVPCEndpoint: "vpce", model.KindPrefixList: "pl", model.KindENI: "eni"}

// refs reads a list property of references; undecided elements become one
// dangling placeholder (see ref).
func (b *builder) refs(r *resource, v map[string]any, k string, kind model.Kind) []string {
	list, why := b.l(r, v, k)
	if why != "" {
		list = append(list, b.undecided(r, k, kind, why))
	}
	return list
}

// outsideRef records a reference to a resource neither the template nor
// the network under it describes (an existing VPC given as a parameter).
func (b *builder) outsideRef(r *resource, k, id string, kind model.Kind) {
	for _, d := range b.m.Dangling {
		if d.ID == id && d.Field == r.logical+"."+k {
			return
		}
	}
	b.m.Dangling = append(b.m.Dangling, model.Dangling{Origin: b.t.File, Field: r.logical + "." + k, ID: id, Kind: kind})
	b.warn(r.logical, "%s %s is not in the template or the network under it: what depends on it is unknown", k, id)
}

func (b *builder) source(id string, r *resource) { b.m.Sources[id] = r.logical }

func (b *builder) fail(r *resource, k string, format string, args ...any) {
	if b.err == nil {
		var n *yaml.Node
		if r.props != nil {
			n = mapGet(r.props, k)
		}
		if n == nil {
			n = r.node
		}
		b.err = b.t.errAt(n, r.logical, "%s: %s", k, fmt.Sprintf(format, args...))
	}
}

func (b *builder) prefix(r *resource, v map[string]any, k string) (netip.Prefix, string, bool) {
	f := b.f(r, v, k)
	if f.why != "" {
		return netip.Prefix{}, f.why, true
	}
	if !f.present {
		return netip.Prefix{}, "", false
	}
	p, err := parsePrefix(f.s)
	if err != nil {
		b.fail(r, k, "%v", err)
		return netip.Prefix{}, "", false
	}
	return p, "", true
}

func (b *builder) vpc(r *resource, v map[string]any) {
	x := &model.VPC{ID: r.id, Region: b.region, OwnerID: b.account(), DHCPOptionsID: "default", Tags: tags(v)}
	old := b.inBase(func(m *model.Model) bool { return m.VPCs[r.id] != nil })
	if old {
		o := b.base.VPCs[r.id]
		x.Region, x.OwnerID, x.DHCPOptionsID, x.IPv6CIDRs = o.Region, o.OwnerID, o.DHCPOptionsID, o.IPv6CIDRs
	}
	p, why, ok := b.prefix(r, v, "CidrBlock")
	switch {
	case why != "":
		b.warn(r.logical, "%s: the VPC has no address range in the model", why)
		b.cidrUnknown[x.ID] = why
	case !ok && b.err == nil:
		b.warn(r.logical, "CidrBlock is not given (IPAM pool?): the VPC has no address range in the model")
		b.cidrUnknown[x.ID] = r.logical + ".CidrBlock is not given (an IPAM pool assigns it at creation)"
	case ok:
		x.CIDRs = []netip.Prefix{p}
	}
	x.DNSSupport = model.TriOf(boolField(b.f(r, v, "EnableDnsSupport"), true))
	x.DNSHostnames = model.TriOf(boolField(b.f(r, v, "EnableDnsHostnames"), false))
	for _, k := range []string{"EnableDnsSupport", "EnableDnsHostnames"} {
		if f := b.f(r, v, k); f.why != "" {
			if k == "EnableDnsSupport" {
				x.DNSSupport = model.Unknown
			} else {
				x.DNSHostnames = model.Unknown
			}
			b.warn(r.logical, "%s", f.why)
		}
	}
	if b.t.regionAssumed {
		b.assume(x.ID, fmt.Sprintf("%s's region is not given: taken as %s (service names and zones follow it)", r.logical, b.region))
	}
	b.m.VPCs[x.ID] = x
	if x.Region != "" {
		b.m.VPCRegion[x.ID] = x.Region
	}
	b.source(x.ID, r)
	b.created[x.ID] = !old
}

func (b *builder) account() string {
	v, _ := b.t.pseudo("AWS::AccountId")
	s, _ := v.(string)
	return s
}

func (b *builder) vpcExists(id string) bool    { return b.m.VPCs[id] != nil }
func (b *builder) subnetExists(id string) bool { return b.m.Subnets[id] != nil }
func (b *builder) rtExists(id string) bool     { return b.m.RouteTables[id] != nil }
func (b *builder) aclExists(id string) bool    { return b.m.NetworkACLs[id] != nil }

func (b *builder) vpcCIDR(r *resource, v map[string]any) {
	id := b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists)
	x := b.m.VPCs[id]
	if x == nil {
		return
	}
	if p, why, ok := b.prefix(r, v, "CidrBlock"); ok && why == "" {
		x.CIDRs = append(x.CIDRs, p)
	} else if why != "" {
		b.warn(r.logical, "%s: the block is not in the model", why)
	}
	if f := b.f(r, v, "Ipv6CidrBlock"); f.known() {
		if p, err := parsePrefix(f.s); err == nil {
			x.IPv6CIDRs = append(x.IPv6CIDRs, p)
		}
	}
}

func (b *builder) subnet(r *resource, v map[string]any) {
	s := &model.Subnet{ID: r.id, AvailableIPs: -1, Tags: tags(v)}
	s.VPCID = b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists)
	if f := b.f(r, v, "AvailabilityZone"); f.known() {
		s.AZ = f.s
	} else if f.why != "" {
		b.warn(r.logical, "%s", f.why)
	}
	if f := b.f(r, v, "AvailabilityZoneId"); f.known() {
		s.AZID = f.s
	}
	if p, why, ok := b.prefix(r, v, "CidrBlock"); ok && why == "" {
		s.CIDR = p
	} else if why != "" {
		b.warn(r.logical, "%s: the subnet has no address range in the model", why)
	}
	if f := b.f(r, v, "Ipv6CidrBlock"); f.known() {
		if p, err := parsePrefix(f.s); err == nil {
			s.IPv6CIDRs = []netip.Prefix{p}
		}
	}
	b.mapPublic[s.ID] = boolField(b.f(r, v, "MapPublicIpOnLaunch"), false)
	s.MapPublicIP = model.TriOf(b.mapPublic[s.ID])
	if f := b.f(r, v, "MapPublicIpOnLaunch"); f.why != "" {
		s.MapPublicIP = model.Unknown
		b.mapPublicWhy[s.ID] = f.why
		b.warn(r.logical, "%s: whether instances launched into the subnet get a public IP is unknown", f.why)
	}
	if s.AZ == "" && s.AZID == "" {
		b.assume(s.ID, fmt.Sprintf("%s gives no AvailabilityZone: AWS picks one at creation", r.logical))
	}
	if o := b.baseSubnet(s.ID); o != nil {
		s.AvailableIPs = o.AvailableIPs
	}
	b.m.Subnets[s.ID] = s
	b.source(s.ID, r)
	b.created[s.ID] = b.baseSubnet(s.ID) == nil
}

func (b *builder) prefixList(r *resource, v map[string]any) {
	pl := &model.PrefixList{ID: r.id, OwnerID: b.account(), CIDRsKnown: true}
	if f := b.f(r, v, "PrefixListName"); f.known() {
		pl.Name = f.s
	}
	if l, ok := v["Entries"].([]any); ok {
		for _, e := range l {
			m, _ := e.(map[string]any)
			f := fieldOf(r.logical, "Entries.Cidr", m["Cidr"], m != nil)
			if f.why != "" {
				b.warn(r.logical, "%s: the list's entries are unknown", f.why)
				pl.CIDRsKnown = false
				continue
			}
			if p, err := parsePrefix(f.s); err == nil {
				pl.CIDRs = append(pl.CIDRs, p)
			} else {
				b.fail(r, "Entries", "%v", err)
			}
		}
	} else if u, ok := v["Entries"].(unknown); ok {
		b.warn(r.logical, "Entries: %s: the list's entries are unknown", u.why)
		pl.CIDRsKnown = false
	}
	b.m.PrefixLists[pl.ID] = pl
	b.source(pl.ID, r)
}

func (b *builder) igw(r *resource, v map[string]any) {
	b.m.InternetGateways[r.id] = &model.InternetGateway{ID: r.id, Tags: tags(v)}
	b.source(r.id, r)
}

func (b *builder) gatewayAttachment(r *resource, v map[string]any) {
	vpc, gw := b.f(r, v, "VpcId"), b.f(r, v, "InternetGatewayId")
	if !gw.present {
		return // a VPN gateway attachment: routes to the vgw leave the model
	}
	if vpc.why != "" || gw.why != "" {
		// Which gateway is attached to which VPC is undecided: the
		// gateways it may be leave the model, so that what goes through
		// them is unknown, naming this attachment.
		why := strings.Trim(vpc.why+"; "+gw.why, "; ")
		for _, id := range model.SortedKeys(b.m.InternetGateways) {
			if g := b.m.InternetGateways[id]; (gw.why == "" && id == gw.s) || (gw.why != "" && len(g.VPCs) == 0) {
				delete(b.m.InternetGateways, id)
				b.m.Dangling = append(b.m.Dangling, model.Dangling{Origin: b.t.File, Field: r.logical + " (" + why + ")", ID: id, Kind: model.KindInternetGateway})
				b.warn(r.logical, "%s: whether %s is attached is undecided: what goes through it is unknown", why, id)
			}
		}
		return
	}
	if g := b.m.InternetGateways[gw.s]; g != nil && vpc.s != "" {
		g.VPCs = appendUniq(g.VPCs, vpc.s)
	} else if g == nil {
		b.outsideRef(r, "InternetGatewayId", gw.s, model.KindInternetGateway)
	}
}

func (b *builder) nat(r *resource, v map[string]any) {
	n := &model.NATGateway{ID: r.id, State: "available", Connectivity: "public", Tags: tags(v)}
	n.SubnetID = b.ref(r, v, "SubnetId", model.KindSubnet, b.subnetExists)
	if f := b.f(r, v, "ConnectivityType"); f.known() {
		n.Connectivity = f.s
	}
	if s := b.m.Subnets[n.SubnetID]; s != nil {
		n.VPCID = s.VPCID
	}
	if f := b.f(r, v, "PrivateIpAddress"); f.known() {
		if a, err := netip.ParseAddr(f.s); err == nil {
			n.PrivateIP = a
		}
	}
	if n.Connectivity == "public" {
		alloc := b.f(r, v, "AllocationId")
		for l, x := range b.t.resources {
			if x.typ == "AWS::EC2::EIP" && placeholder("eipalloc", l) == alloc.s {
				n.PublicIP = b.eipAddr(l)
				b.assume(n.ID, fmt.Sprintf("%s's Elastic IP (%s) is allocated at creation: %s stands for it (TEST-NET-2, a documentation range)", r.logical, l, n.PublicIP))
			}
		}
		if !n.PublicIP.IsValid() {
			if alloc.why != "" {
				b.warn(r.logical, "%s", alloc.why)
			}
			n.PublicIP = b.eipAddr(r.logical + ".AllocationId")
			b.assume(n.ID, fmt.Sprintf("%s's Elastic IP (AllocationId %s) is not allocated by the template: %s stands for it", r.logical, alloc.s, n.PublicIP))
		}
	}
	if b.inBase(func(m *model.Model) bool { return m.NATGateways[n.ID] != nil }) {
		o := b.base.NATGateways[n.ID]
		n.ENIID, n.PrivateIP, n.PublicIP = o.ENIID, o.PrivateIP, o.PublicIP
		delete(b.m.Assumptions, n.ID)
	}
	b.m.NATGateways[n.ID] = n
	b.source(n.ID, r)
	b.created[n.ID] = n.ENIID == ""
}

func (b *builder) peering(r *resource, v map[string]any) {
	pc := &model.Peering{ID: r.id, Tags: tags(v)}
	pc.Requester = model.PeeringSide{VPCID: b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists), OwnerID: b.account(), Region: b.region}
	pc.Accepter = model.PeeringSide{VPCID: b.f(r, v, "PeerVpcId").s, OwnerID: b.account(), Region: b.region}
	if f := b.f(r, v, "PeerOwnerId"); f.known() {
		pc.Accepter.OwnerID = f.s
	}
	if f := b.f(r, v, "PeerRegion"); f.known() {
		pc.Accepter.Region = f.s
	}
	for _, side := range []*model.PeeringSide{&pc.Requester, &pc.Accepter} {
		if x := b.m.VPCs[side.VPCID]; x != nil {
			side.CIDRs = x.CIDRs
		}
	}
	// CloudFormation accepts a same-account, same-region peering itself;
	// another account's accepts through PeerRoleArn (CloudFormation
	// Template Reference, AWS::EC2::VPCPeeringConnection).
	sameAccount := pc.Accepter.OwnerID == pc.Requester.OwnerID
	pc.Status = "pending-acceptance"
	if sameAccount || b.f(r, v, "PeerRoleArn").present {
		pc.Status = "active"
		if !sameAccount {
			b.assume(pc.ID, fmt.Sprintf("%s is accepted through its PeerRoleArn: taken as active", r.logical))
		}
	}
	b.m.Peerings[pc.ID] = pc
	b.source(pc.ID, r)
}

func (b *builder) tgw(r *resource, v map[string]any) {
	b.m.TransitGateways[r.id] = &model.TransitGateway{ID: r.id, OwnerID: b.account(), State: "available", Tags: tags(v)}
	b.source(r.id, r)
}

func (b *builder) tgwAttachment(r *resource, v map[string]any) {
	subs, why := b.l(r, v, "SubnetIds")
	if why != "" {
		b.warn(r.logical, "%s", why)
	}
	a := &model.TGWAttachment{ID: r.id, TransitGatewayID: b.f(r, v, "TransitGatewayId").s, ResourceType: "vpc", ResourceID: b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists), State: "available", Subnets: subs}
	b.m.TGWAttachments[a.ID] = a
	b.source(a.ID, r)
}

func (b *builder) dhcp(r *resource, v map[string]any) {
	d := &model.DHCPOptions{ID: r.id}
	servers, why := b.l(r, v, "DomainNameServers")
	if why != "" {
		b.warn(r.logical, "%s", why)
		servers = append(servers, "unknown")
	}
	d.DNSServers = servers
	if len(d.DNSServers) == 0 {
		d.DNSServers = []string{"AmazonProvidedDNS"}
	}
	b.m.DHCPOptions[d.ID] = d
	b.m.Present[model.KindDHCPOptions] = true
	b.source(d.ID, r)
}

func (b *builder) dhcpAssociation(r *resource, v map[string]any) {
	if x := b.m.VPCs[b.ref(r, v, "VpcId", model.KindVPC, b.vpcExists)]; x != nil {
		x.DHCPOptionsID = b.f(r, v, "DhcpOptionsId").s
	}
}

func (b *builder) zone(r *resource, v map[string]any) {
	z := &model.HostedZone{ID: r.id, Name: model.FQDN(b.f(r, v, "Name").s), VPCsKnown: true, RecordsKnown: true}
	if l, ok := v["VPCs"].([]any); ok {
		for _, e := range l {
			m, _ := e.(map[string]any)
			f := fieldOf(r.logical, "VPCs.VPCId", m["VPCId"], m != nil)
			if f.why != "" {
				b.warn(r.logical, "%s", f.why)
				z.VPCsKnown = false
				continue
			}
			z.VPCs = appendUniq(z.VPCs, f.s)
		}
	}
	z.Private = len(z.VPCs) > 0 || !z.VPCsKnown
	b.m.HostedZones[z.ID] = z
	b.m.Present[model.KindHostedZone] = true
	b.m.Present[model.KindRecordSet] = true
	b.source(z.ID, r)
}

func (b *builder) recordSet(r *resource, v map[string]any) { b.record(r, v, "") }

func (b *builder) recordSetGroup(r *resource, v map[string]any) {
	l, _ := v["RecordSets"].([]any)
	for i, e := range l {
		m, _ := e.(map[string]any)
		if m == nil {
			continue
		}
		for _, k := range []string{"HostedZoneId", "HostedZoneName"} {
			if _, has := m[k]; !has {
				if x, ok := v[k]; ok {
					m[k] = x
				}
			}
		}
		b.record(r, m, fmt.Sprintf("RecordSets[%d].", i))
	}
}

func (b *builder) record(r *resource, v map[string]any, at string) {
	zid := b.f(r, v, "HostedZoneId")
	var z *model.HostedZone
	if zid.known() {
		z = b.m.HostedZones[strings.TrimPrefix(zid.s, "/hostedzone/")]
	} else if zn := b.f(r, v, "HostedZoneName"); zn.known() {
		for _, id := range model.SortedKeys(b.m.HostedZones) {
			if b.m.HostedZones[id].Name == model.FQDN(zn.s) {
				z = b.m.HostedZones[id]
			}
		}
	}
	if z == nil {
		b.warn(r.logical, "%sthe record's zone is not in the template or the network under it: left out", at)
		return
	}
	name := b.f(r, v, "Name")
	if !name.known() {
		b.warn(r.logical, "%sName: %s: the zone's records are unknown", at, name.why)
		z.RecordsKnown = false
		return
	}
	rec := model.Record{Name: model.FQDN(name.s), Type: b.f(r, v, "Type").s}
	vals, why := b.l(r, v, "ResourceRecords")
	if why != "" {
		b.warn(r.logical, "%s%s: the zone's records are unknown", at, why)
		z.RecordsKnown = false
		return
	}
	rec.Values = vals
	if f := b.f(r, v, "TTL"); f.known() {
		fmt.Sscan(f.s, &rec.TTL)
	}
	if a, ok := v["AliasTarget"].(map[string]any); ok {
		dn := fieldOf(r.logical, "AliasTarget.DNSName", a["DNSName"], true)
		if dn.why != "" {
			b.warn(r.logical, "%s%s: the zone's records are unknown", at, dn.why)
			z.RecordsKnown = false
			return
		}
		hz, _ := a["HostedZoneId"].(string)
		rec.Alias = &model.Alias{DNSName: model.FQDN(dn.s), HostedZoneID: hz}
	}
	z.Records = append(z.Records, rec)
}

// inBase reports whether the network under the template has something.
func (b *builder) inBase(has func(*model.Model) bool) bool { return b.base != nil && has(b.base) }

func (b *builder) baseSubnet(id string) *model.Subnet {
	if b.base == nil {
		return nil
	}
	return b.base.Subnets[id]
}

func (b *builder) baseDefaultSG(vpcID string) string {
	if b.base == nil {
		return ""
	}
	for _, id := range model.SortedKeys(b.base.SecurityGroups) {
		if g := b.base.SecurityGroups[id]; g.VPCID == vpcID && g.Name == "default" {
			return id
		}
	}
	return ""
}

// applyChangeSet takes out of the network under the template what a change
// set removes or replaces (the replacement is built with a new ID).
func (b *builder) applyChangeSet() {
	st := b.t.opts.Stack
	if st == nil {
		return
	}
	for _, l := range st.Conditional {
		b.warn(l, "the change set may replace it (Replacement Conditional): taken as kept, with its physical ID %s", st.Physical[l])
	}
	gone := append([]string{}, st.Removed...)
	for l := range st.Replaced {
		gone = append(gone, l)
	}
	for _, l := range gone {
		if id := st.Physical[l]; id != "" {
			b.deleteID(id)
		}
	}
}

// deleteID removes a resource and what AWS deletes with it.
func (b *builder) deleteID(id string) {
	m := b.m
	if in := m.Instances[id]; in != nil {
		for _, e := range in.ENIs {
			if x := m.ENIs[e]; x != nil && x.DeviceIndex == 0 {
				delete(m.ENIs, e)
			}
		}
	}
	if n := m.NATGateways[id]; n != nil {
		delete(m.ENIs, n.ENIID)
	}
	if ep := m.Endpoints[id]; ep != nil {
		for _, e := range ep.ENIs {
			delete(m.ENIs, e)
		}
	}
	for _, rt := range m.RouteTables {
		var keep []model.Route
		for _, x := range rt.Routes {
			if x.Target.ID != id {
				keep = append(keep, x)
			}
		}
		rt.Routes = keep
	}
	delete(m.VPCs, id)
	delete(m.Subnets, id)
	delete(m.RouteTables, id)
	delete(m.SecurityGroups, id)
	delete(m.NetworkACLs, id)
	delete(m.ENIs, id)
	delete(m.Instances, id)
	delete(m.Endpoints, id)
	delete(m.NATGateways, id)
	delete(m.InternetGateways, id)
	delete(m.PrefixLists, id)
	delete(m.Peerings, id)
	delete(m.TransitGateways, id)
	delete(m.TGWAttachments, id)
	delete(m.HostedZones, strings.TrimPrefix(id, "/hostedzone/"))
}
