package check

import (
	"errors"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// Param is one parameter of a built-in profile.
type Param struct {
	Name    string `json:"name"`
	Doc     string `json:"doc"`
	Default string `json:"default,omitempty"`
}

// Profile is a built-in requirement set. Build discovers what it can from
// the model, takes the rest from params, and returns the requirements as an
// intent file, the static shape checks, and how each parameter was decided.
type Profile struct {
	Name   string  `json:"name"`
	Doc    string  `json:"doc"`
	Params []Param `json:"params"`
	build  func(m *model.Model, p params) (*File, []Outcome, []string, error)
}

// Build resolves the profile on m.
func (pr *Profile) Build(m *model.Model, values map[string]string) (*File, []Outcome, []string, error) {
	known := map[string]bool{}
	var names []string
	for _, p := range pr.Params {
		known[p.Name] = true
		names = append(names, p.Name)
	}
	for _, k := range model.SortedKeys(values) {
		if !known[k] {
			return nil, nil, nil, &UnknownParamError{Profile: pr.Name, Name: k, Known: names}
		}
	}
	f, shape, notes, err := pr.build(m, params{values: values, notes: map[string]string{}})
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range f.Requirements {
		if err := f.Requirements[i].compile(); err != nil {
			return nil, nil, nil, fmt.Errorf("profile %s: requirement %q: %v", pr.Name, f.Requirements[i].Name, err)
		}
	}
	return f, shape, notes, nil
}

// Profiles lists the built-in profiles.
func Profiles() []*Profile {
	return []*Profile{databricksPrivateLink, databricksClassic, s3ViaGatewayEndpoint, noInternetIngress, segmentation}
}

// ProfileByName finds a built-in profile.
func ProfileByName(name string) (*Profile, error) {
	var names []string
	for _, p := range Profiles() {
		if p.Name == name {
			return p, nil
		}
		names = append(names, p.Name)
	}
	return nil, fmt.Errorf("no profile %q (have: %s)", name, strings.Join(names, ", "))
}

type params struct {
	values map[string]string
	notes  map[string]string
}

func (p params) get(name string) (string, bool) {
	v, ok := p.values[name]
	return v, ok && v != ""
}

func (p params) list(name string) []string {
	v, ok := p.get(name)
	if !ok {
		return nil
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (p params) flag(name string, def bool) (bool, error) {
	v, ok := p.get(name)
	if !ok {
		return def, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, &ParamError{Name: name, Value: v, Err: errors.New("want true or false")}
	}
	return b, nil
}

// databricksServices are the workspace (REST) and relay endpoint services
// per region (databricks-on-aws.md, "Names").
var databricksServices = map[string][2]string{
	"us-east-1": {"com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04", "com.amazonaws.vpce.us-east-1.vpce-svc-00018a8c3ff62ffdf"},
	"us-west-2": {"com.amazonaws.vpce.us-west-2.vpce-svc-0129f463fcfbc46c5", "com.amazonaws.vpce.us-west-2.vpce-svc-0158114c0c730c3bb"},
	"eu-west-1": {"com.amazonaws.vpce.eu-west-1.vpce-svc-0da6ebf1461278016", "com.amazonaws.vpce.eu-west-1.vpce-svc-09b4eb2bc775f4e8c"},
}

var databricksParams = []Param{
	{Name: "vpc", Doc: "the workspace VPC (discovered: the VPC of the Databricks endpoints, or the only VPC)"},
	{Name: "workspace_sg", Doc: "workspace security groups, comma-separated (discovered: the groups the REST endpoint's group admits)"},
	{Name: "workspace_subnets", Doc: "workspace subnets, IDs or Name tags (discovered: the subnets of interfaces in the workspace groups, else subnets routed to the S3 gateway endpoint or a NAT gateway)"},
	{Name: "rest_endpoint", Doc: "workspace (REST) interface endpoint (discovered by service name)"},
	{Name: "relay_endpoint", Doc: "secure cluster connectivity relay endpoint (discovered by service name)"},
	{Name: "region", Doc: "region (discovered from the snapshot)"},
	{Name: "egress", Doc: "nat or isolated (discovered: nat when the workspace subnets route 0.0.0.0/0 to a NAT gateway, or to a transit gateway towards a shared NAT)"},
	{Name: "compliance", Doc: "compliance security profile: FIPS on TCP 2443", Default: "false"},
	{Name: "legacy_metastore", Doc: "legacy Hive metastore on TCP 3306 through NAT", Default: "false"},
	{Name: "lakebase", Doc: "Lakebase on TCP 5432 through the REST endpoint", Default: "false"},
	{Name: "workspace_host", Doc: "workspace host name (dbc-....cloud.databricks.com): also checked by name, tied to the REST endpoint"},
	{Name: "relay_host", Doc: "relay host name: also checked by name, tied to the relay endpoint"},
	{Name: "min_nodes", Doc: "nodes each workspace subnet must hold (two addresses per node)", Default: "1"},
}

var databricksPrivateLink = &Profile{
	Name:   "databricks-privatelink",
	Doc:    "Databricks workspace with back-end PrivateLink: every flow of databricks-on-aws.md, and the shape Databricks validates",
	Params: databricksParams,
	build:  func(m *model.Model, p params) (*File, []Outcome, []string, error) { return buildDatabricks(m, p, true) },
}

var databricksClassic = &Profile{
	Name:   "databricks-classic",
	Doc:    "Databricks workspace without PrivateLink: control plane and relay through NAT on 443",
	Params: databricksParams,
	build: func(m *model.Model, p params) (*File, []Outcome, []string, error) {
		return buildDatabricks(m, p, false)
	},
}

// dbx is what the Databricks profiles discover.
type dbx struct {
	vpc         *model.VPC
	region      string
	rest, relay *model.VPCEndpoint
	groups      []string
	subnets     []string
	egress      string
	notes       []string
}

func (d *dbx) note(format string, args ...any) {
	d.notes = append(d.notes, fmt.Sprintf(format, args...))
}

func discoverDatabricks(m *model.Model, p params, privateLink bool) (*dbx, error) {
	d := &dbx{}
	// VPC.
	if v, ok := p.get("vpc"); ok {
		d.vpc = m.VPCs[v]
		if d.vpc == nil {
			return nil, &ParamError{Name: "vpc", Value: v, Err: &model.NotFoundError{Kind: model.KindVPC, ID: v, Why: "not in the snapshot"}}
		}
		d.note("vpc: %s (given)", v)
	} else {
		for _, id := range model.SortedKeys(m.Endpoints) {
			ep := m.Endpoints[id]
			for _, svc := range databricksServices {
				if ep.ServiceName == svc[0] || ep.ServiceName == svc[1] {
					d.vpc = m.VPCs[ep.VPCID]
				}
			}
			if d.vpc != nil {
				d.note("vpc: %s (holds the Databricks endpoint %s)", d.vpc.ID, ep.ID)
				break
			}
		}
		if d.vpc == nil && len(m.VPCs) == 1 {
			for _, v := range m.VPCs {
				d.vpc = v
			}
			d.note("vpc: %s (the only VPC)", d.vpc.ID)
		}
		if d.vpc == nil {
			return nil, &NeedParamError{Name: "vpc", Value: "<vpc-id>", Why: "cannot tell which VPC is the workspace's"}
		}
	}
	d.region = d.vpc.Region
	if v, ok := p.get("region"); ok {
		d.region = v
	}
	if d.region == "" {
		return nil, &NeedParamError{Name: "region", Value: "<region>", Why: "the snapshot does not say the region"}
	}
	// Endpoints.
	svc, known := databricksServices[d.region]
	pick := func(param string, service, word string) (*model.VPCEndpoint, error) {
		if v, ok := p.get(param); ok {
			ep := m.Endpoints[v]
			if ep == nil {
				return nil, &ParamError{Name: param, Value: v, Err: &model.NotFoundError{Kind: model.KindVPCEndpoint, ID: v, Why: "not in the snapshot"}}
			}
			d.note("%s: %s (given)", param, v)
			return ep, nil
		}
		var found []*model.VPCEndpoint
		for _, ep := range m.EndpointsOf(d.vpc.ID) {
			if known && ep.ServiceName == service {
				found = append(found, ep)
			}
		}
		if len(found) > 0 {
			d.note("%s: %s (service %s, %s's %s service)", param, found[0].ID, service, d.region, word)
			for _, other := range found[1:] {
				d.note("%s: %s serves the same service and is not checked (give --param %s=... to choose)", param, other.ID, param)
			}
			return found[0], nil
		}
		for _, ep := range m.EndpointsOf(d.vpc.ID) {
			if ep.Type == model.EndpointInterface && strings.Contains(strings.ToLower(ep.Tags.Name()), word) {
				d.note("%s: %s (Name tag %q)", param, ep.ID, ep.Tags.Name())
				return ep, nil
			}
		}
		return nil, nil
	}
	if privateLink {
		var err error
		if d.rest, err = pick("rest_endpoint", svc[0], "rest"); err != nil {
			return nil, err
		}
		if d.relay, err = pick("relay_endpoint", svc[1], "relay"); err != nil {
			return nil, err
		}
	}
	// Workspace groups: given, else those the REST endpoint's groups admit
	// by reference, else groups named like the workspace.
	if g := p.list("workspace_sg"); len(g) > 0 {
		for _, n := range g {
			if !hasGroup(m, n) {
				return nil, &ParamError{Name: "workspace_sg", Err: &model.NotFoundError{Kind: model.KindSecurityGroup, ID: n, Why: fmt.Sprintf("no security group %q", n)}}
			}
		}
		d.groups = g
		d.note("workspace_sg: %s (given)", strings.Join(g, ","))
	} else {
		seen := map[string]bool{}
		if d.rest != nil {
			for _, gid := range d.rest.Groups {
				if sg := m.SecurityGroups[gid]; sg != nil {
					for _, r := range sg.Ingress {
						if r.PeerGroup != "" && r.PeerGroup != gid && !seen[r.PeerGroup] && m.SecurityGroups[r.PeerGroup] != nil {
							seen[r.PeerGroup] = true
							d.groups = append(d.groups, r.PeerGroup)
						}
					}
				}
			}
			if len(d.groups) > 0 {
				d.note("workspace_sg: %s (admitted by %s's groups)", strings.Join(d.groups, ","), d.rest.ID)
			}
		}
		if len(d.groups) == 0 {
			for _, id := range model.SortedKeys(m.SecurityGroups) {
				if g := m.SecurityGroups[id]; g.VPCID == d.vpc.ID && strings.Contains(strings.ToLower(g.Name+" "+g.Tags.Name()), "workspace") {
					d.groups = append(d.groups, id)
				}
			}
			if len(d.groups) > 0 {
				d.note("workspace_sg: %s (named like the workspace)", strings.Join(d.groups, ","))
			}
		}
		if len(d.groups) == 0 {
			return nil, &NeedParamError{Name: "workspace_sg", Value: "<sg-id>[,<sg-id>]", Why: "cannot tell the workspace security groups"}
		}
	}
	// Workspace subnets.
	if s := p.list("workspace_subnets"); len(s) > 0 {
		for _, n := range s {
			found := false
			for id, sub := range m.Subnets {
				if id == n || sub.Tags.Name() == n {
					d.subnets, found = append(d.subnets, id), true
				}
			}
			if !found {
				return nil, &ParamError{Name: "workspace_subnets", Err: &model.NotFoundError{Kind: model.KindSubnet, ID: n, Why: fmt.Sprintf("no subnet %q", n)}}
			}
		}
		d.note("workspace_subnets: %s (given)", strings.Join(d.subnets, ","))
	} else {
		seen := map[string]bool{}
		for _, g := range d.groups {
			for _, e := range m.GroupMembers(g) {
				if e.VPCID == d.vpc.ID && !seen[e.SubnetID] {
					seen[e.SubnetID] = true
					d.subnets = append(d.subnets, e.SubnetID)
				}
			}
		}
		how := "where interfaces of the workspace groups are"
		if len(d.subnets) == 0 {
			how = "no endpoint or NAT interfaces, routed to a NAT gateway or the S3 gateway endpoint"
			for _, id := range model.SortedKeys(m.Subnets) {
				if s := m.Subnets[id]; s.VPCID == d.vpc.ID && workloadSubnet(m, s) {
					d.subnets = append(d.subnets, id)
				}
			}
		}
		sort.Strings(d.subnets)
		if len(d.subnets) == 0 {
			return nil, &NeedParamError{Name: "workspace_subnets", Value: "<subnet-id>,<subnet-id>", Why: "cannot tell the workspace subnets"}
		}
		d.note("workspace_subnets: %s (%s)", strings.Join(d.subnets, ","), how)
	}
	// Egress.
	if v, ok := p.get("egress"); ok {
		if v != "nat" && v != "isolated" {
			return nil, &ParamError{Name: "egress", Value: v, Err: errors.New("want nat or isolated")}
		}
		d.egress = v
		d.note("egress: %s (given)", v)
	} else {
		d.egress = "isolated"
		how := "the workspace subnets' default route"
		for _, s := range d.subnets {
			if rt, _ := m.SubnetRouteTable(s); rt != nil {
				for _, r := range rt.Routes {
					if r.Dest.Bits() != 0 || r.Blackhole {
						continue
					}
					switch r.Target.Kind {
					case model.TargetNAT:
						d.egress = "nat"
					case model.TargetTransitGateway:
						// A shared egress (NAT or inspection) VPC behind a
						// transit gateway: the NAT requirements follow the
						// route there and fail at the hop that drops it.
						d.egress = "nat"
						how = "the workspace subnets' default route goes to " + r.Target.ID + ", towards a shared NAT"
					}
				}
			}
		}
		d.note("egress: %s (%s)", d.egress, how)
	}
	return d, nil
}

// workloadSubnet is a subnet that holds no endpoint or NAT interface and
// routes to a NAT gateway or a gateway endpoint: a guess at where clusters
// run, stated as such.
func workloadSubnet(m *model.Model, s *model.Subnet) bool {
	for _, e := range m.ENIs {
		if e.SubnetID == s.ID && managedTypes[e.Type] {
			return false
		}
	}
	rt, _ := m.SubnetRouteTable(s.ID)
	if rt == nil {
		return false
	}
	for _, r := range rt.Routes {
		if r.Target.Kind == model.TargetNAT || r.Target.Kind == model.TargetVPCEndpoint {
			return true
		}
		if r.Target.Kind == model.TargetIGW {
			return false
		}
	}
	return false
}

func buildDatabricks(m *model.Model, p params, privateLink bool) (*File, []Outcome, []string, error) {
	d, err := discoverDatabricks(m, p, privateLink)
	if err != nil {
		return nil, nil, nil, err
	}
	if v, ok := p.get("min_nodes"); ok {
		if n, err := strconv.Atoi(v); err != nil || n < 1 {
			return nil, nil, nil, &ParamError{Name: "min_nodes", Value: v, Err: errors.New("want a whole number of nodes, 1 or more")}
		}
	}
	compliance, err := p.flag("compliance", false)
	if err != nil {
		return nil, nil, nil, err
	}
	metastore, err := p.flag("legacy_metastore", false)
	if err != nil {
		return nil, nil, nil, err
	}
	lakebase, err := p.flag("lakebase", false)
	if err != nil {
		return nil, nil, nil, err
	}
	ws := Selector{Subnet: d.subnets, SecurityGroup: d.groups}
	f := &File{DNS: &DNS{EndpointNames: map[string]string{}}}
	add := func(in Intent) { f.Requirements = append(f.Requirements, in) }
	add(Intent{Name: "intra-cluster TCP", From: ws, To: ws, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.AllPorts}, Why: "flow 1: workspace SG to itself, all ports"})
	add(Intent{Name: "intra-cluster UDP", From: ws, To: ws, Protocol: model.ProtoUDP, Ports: []model.PortRange{model.AllPorts}, Why: "flow 1: workspace SG to itself, all ports"})
	cp := Selector{Internet: true}
	if privateLink {
		if d.rest == nil {
			return nil, nil, nil, &NeedParamError{Name: "rest_endpoint", Value: "<vpce-id>", Why: "no Databricks workspace (REST) endpoint found in " + d.vpc.ID}
		}
		if d.relay == nil {
			return nil, nil, nil, &NeedParamError{Name: "relay_endpoint", Value: "<vpce-id>", Why: "no Databricks relay endpoint found in " + d.vpc.ID}
		}
		cp = Selector{Endpoint: d.rest.ID}
		add(Intent{Name: "REST API", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"vpc-endpoint"}, Why: "flow 2"})
		add(Intent{Name: "control plane internal API, lineage, logging", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{{First: 8443, Last: 8451}}, Via: []string{"vpc-endpoint"}, Why: "flow 3"})
		add(Intent{Name: "secure cluster connectivity relay", From: ws, To: Selector{Endpoint: d.relay.ID}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(6666)}, Via: []string{"vpc-endpoint"}, Why: "flow 4"})
		if compliance {
			add(Intent{Name: "FIPS (compliance security profile), REST", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(2443)}, Why: "flow 5"})
			add(Intent{Name: "FIPS (compliance security profile), relay", From: ws, To: Selector{Endpoint: d.relay.ID}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(2443)}, Why: "flow 5"})
		}
		if lakebase {
			add(Intent{Name: "Lakebase", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(5432)}, Why: "flow 12"})
		}
		if h, ok := p.get("workspace_host"); ok {
			f.DNS.EndpointNames[h] = d.rest.ID
			add(Intent{Name: "workspace name resolves to the REST endpoint", From: ws, To: Selector{Host: h}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, ResolvesTo: d.rest.ID, Why: "private DNS on the REST endpoint"})
		}
		if h, ok := p.get("relay_host"); ok {
			f.DNS.EndpointNames[h] = d.relay.ID
			add(Intent{Name: "relay name resolves to the relay endpoint", From: ws, To: Selector{Host: h}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(6666)}, ResolvesTo: d.relay.ID, Why: "private DNS on the relay endpoint"})
		}
	} else {
		if d.egress != "nat" {
			return nil, nil, nil, fmt.Errorf("databricks-classic needs a way out: the workspace subnets have no default route to a NAT gateway")
		}
		add(Intent{Name: "control plane (REST) through NAT", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"nat-gateway"}, Why: "flow 2 without PrivateLink"})
		add(Intent{Name: "control plane internal API through NAT", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{{First: 8443, Last: 8451}}, Via: []string{"nat-gateway"}, Why: "flow 3 without PrivateLink"})
		add(Intent{Name: "relay tunnel through NAT", From: ws, To: cp, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"nat-gateway"}, Why: "flow 4 without PrivateLink: tunnel.<region>.cloud.databricks.com on 443"})
	}
	add(Intent{Name: "DNS (Amazon resolver)", From: ws, To: Selector{Resolver: true}, Protocol: model.ProtoUDP, Ports: []model.PortRange{model.Port(53)}, Why: "flow 6"})
	add(Intent{Name: "DNS over TCP (Amazon resolver)", From: ws, To: Selector{Resolver: true}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(53)}, Severity: "medium", Why: "flow 6"})
	s3 := "com.amazonaws." + d.region + ".s3"
	// Checked even when the list's addresses are not known: without a
	// route to an endpoint it fails whatever they are, else it is unknown.
	add(Intent{Name: "S3 through the gateway endpoint", From: ws, To: Selector{PrefixList: s3}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"vpc-endpoint"}, NotVia: []string{"nat-gateway"}, Why: "flow 7"})
	if pl := m.PrefixListByName(s3); pl == nil || !pl.CIDRsKnown {
		d.note("S3: the addresses of prefix list %s are not known (add describe-prefix-lists output, or a data \"aws_prefix_list\" to the plan)", s3)
	}
	for _, svc := range []struct{ name, service, flow string }{{"STS", "sts", "flow 8"}, {"Kinesis", "kinesis-streams", "flow 9"}} {
		full := "com.amazonaws." + d.region + "." + svc.service
		found := false
		for _, ep := range m.EndpointsOf(d.vpc.ID) {
			if ep.ServiceName == full {
				found = true
			}
		}
		switch {
		case found:
			add(Intent{Name: svc.name + " through its interface endpoint", From: ws, To: Selector{EndpointService: full}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Why: svc.flow})
		case d.egress == "nat":
			add(Intent{Name: svc.name + " through NAT (no interface endpoint)", From: ws, To: Selector{Internet: true}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"nat-gateway"}, Severity: "medium", Why: svc.flow})
		default:
			add(Intent{Name: svc.name + " interface endpoint", From: ws, To: Selector{EndpointService: full}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Why: svc.flow + ": an isolated workspace needs the endpoint"})
		}
	}
	if metastore {
		add(Intent{Name: "legacy Hive metastore", From: ws, To: Selector{Internet: true}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(3306)}, Via: []string{"nat-gateway"}, Why: "flow 10"})
	}
	if d.egress == "nat" {
		add(Intent{Name: "internet (libraries) through NAT", From: ws, To: Selector{Internet: true}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"nat-gateway"}, Severity: "medium", Why: "flow 11"})
	} else {
		add(Intent{Name: "isolated: no internet egress", From: ws, To: Selector{Internet: true}, Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Expect: "blocked", Severity: "medium", Why: "flow 11: an isolated workspace"})
	}
	if len(f.DNS.EndpointNames) == 0 {
		f.DNS = nil
	}
	shape := databricksShape(m, d, p, privateLink)
	return f, shape, d.notes, nil
}

// databricksShape is what Databricks' own configuration check looks at.
func databricksShape(m *model.Model, d *dbx, p params, privateLink bool) []Outcome {
	var out []Outcome
	add := func(name string, st Status, detail string, fix string) {
		o := Outcome{Name: name, Section: "shape", Severity: "high", Status: st, Detail: detail, SharedBy: []string{}}
		if fix != "" && st != Pass {
			o.Fix = &fix
		}
		out = append(out, o)
	}
	tri := func(name string, v model.Tri, flag string) {
		switch v {
		case model.Yes:
			add(name, Pass, d.vpc.ID+": on", "")
		case model.No:
			add(name, Fail, d.vpc.ID+": off", fmt.Sprintf("aws ec2 modify-vpc-attribute --vpc-id %s --%s", d.vpc.ID, flag))
		default:
			add(name, Unknown, "the snapshot lacks describe-vpc-attribute output for "+d.vpc.ID, "")
		}
	}
	tri("VPC enableDnsSupport", d.vpc.DNSSupport, "enable-dns-support")
	tri("VPC enableDnsHostnames", d.vpc.DNSHostnames, "enable-dns-hostnames")
	// Subnets: at least two, in different AZs, /17 to /26, private.
	azs := map[string]bool{}
	for _, s := range d.subnets {
		azs[m.Subnets[s].AZ] = true
	}
	st := Pass
	if len(d.subnets) < 2 || len(azs) < 2 {
		st = Fail
	}
	add("workspace subnets: two or more, in different AZs", st, fmt.Sprintf("%d subnets in %s", len(d.subnets), strings.Join(sortedSet(azs), ", ")),
		"add a workspace subnet in another availability zone")
	minNodes := 1
	if v, ok := p.get("min_nodes"); ok {
		minNodes, _ = strconv.Atoi(v)
	}
	for _, sid := range d.subnets {
		s := m.Subnets[sid]
		bits := s.CIDR.Bits()
		st := Pass
		switch {
		case !s.CIDR.IsValid():
			st = Unknown // the input does not decide the block (a template or plan value)
		case bits < 17 || bits > 26:
			st = Fail
		}
		add("netmask /17 to /26: "+sid, st, s.CIDR.String(), "")
		if rt, _ := m.SubnetRouteTable(sid); rt != nil {
			private := Pass
			for _, r := range rt.Routes {
				switch {
				case r.Target.Kind == model.TargetIGW && !r.Blackhole && r.Unknown == "":
					private = Fail
				case r.Unknown != "" && (r.Target.Kind == model.TargetIGW || r.Target.Kind == model.TargetUnknown) && private == Pass:
					private = Unknown // a route the input does not decide may go to an internet gateway
				}
			}
			add("private (no route to an internet gateway): "+sid, private, "route table "+rt.ID, "")
		}
		if s.AvailableIPs >= 0 {
			nodes := s.AvailableIPs / 2
			st := Pass
			if nodes < minNodes {
				st = Fail
			}
			add("capacity: "+sid, st, fmt.Sprintf("%d free addresses hold %d nodes (two addresses each; min_nodes %d)", s.AvailableIPs, nodes, minNodes),
				"use a larger workspace subnet (Databricks allows /17 to /26)")
		}
		out = append(out, naclShape(m, d, sid)...)
	}
	st = Pass
	if len(d.groups) < 1 || len(d.groups) > 5 {
		st = Fail
	}
	add("workspace security groups: 1 to 5", st, strings.Join(d.groups, ","), "")
	if privateLink {
		for _, ep := range []*model.VPCEndpoint{d.rest, d.relay} {
			st := Pass
			if !strings.EqualFold(ep.State, "available") {
				st = Fail
			}
			state := ep.State
			if as := m.Assumptions[ep.ID]; len(as) > 0 { // a planned endpoint: its state is assumed, not known
				state += " (assumed: " + strings.Join(as, "; ") + ")"
			}
			add("endpoint available: "+ep.ID, st, state, "")
			st, detail := Pass, fmt.Sprintf("PrivateDnsEnabled %v", ep.PrivateDNS)
			switch {
			case ep.PrivateDNSUnknown != "":
				st, detail = Unknown, "PrivateDnsEnabled undecided: "+ep.PrivateDNSUnknown
			case !ep.PrivateDNS:
				st = Fail
			}
			add("private DNS on: "+ep.ID, st, detail,
				fmt.Sprintf("aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --private-dns-enabled", ep.ID))
		}
	}
	// No two endpoints claiming private DNS for one service in the VPC.
	// An endpoint whose private DNS is undecided may be one of them.
	bySvc, maybe := map[string][]string{}, map[string][]string{}
	for _, ep := range m.EndpointsOf(d.vpc.ID) {
		switch {
		case ep.PrivateDNS:
			bySvc[ep.ServiceName] = append(bySvc[ep.ServiceName], ep.ID)
		case ep.PrivateDNSUnknown != "":
			maybe[ep.ServiceName] = append(maybe[ep.ServiceName], ep.ID+" (undecided: "+ep.PrivateDNSUnknown+")")
		}
	}
	dups, maybeDups := []string{}, []string{}
	for svc, eps := range bySvc {
		if len(eps) > 1 {
			dups = append(dups, svc+": "+strings.Join(eps, ","))
		}
	}
	for svc, eps := range maybe {
		if all := append(append([]string{}, bySvc[svc]...), eps...); len(all) > 1 {
			maybeDups = append(maybeDups, svc+": "+strings.Join(all, ","))
		}
	}
	sort.Strings(dups)
	sort.Strings(maybeDups)
	st = Pass
	switch {
	case len(dups) > 0:
		st = Fail
	case len(maybeDups) > 0:
		st, dups = Unknown, maybeDups
	}
	add("one private-DNS endpoint per service", st, strings.Join(dups, "; "),
		"keep one endpoint per service with private DNS: delete the others or turn their private DNS off (aws ec2 modify-vpc-endpoint --vpc-endpoint-id ... --no-private-dns-enabled)")
	return out
}

// naclShape checks the ACL of a workspace subnet the way Databricks asks:
// the lowest-numbered inbound rule allows all traffic from 0.0.0.0/0, and
// outbound allows the VPC's CIDR and the ports of the control plane.
func naclShape(m *model.Model, d *dbx, sid string) []Outcome {
	acl, _ := m.SubnetACL(sid)
	if acl == nil {
		return []Outcome{{Name: "network ACL: " + sid, Section: "shape", Severity: "high", Status: Unknown, Detail: "no network ACL known for " + sid, SharedBy: []string{}}}
	}
	var out []Outcome
	in := Outcome{Name: "ACL inbound: lowest rule allows all from 0.0.0.0/0: " + acl.ID, Section: "shape", Severity: "medium", Status: Fail, SharedBy: []string{}}
	if len(acl.Inbound) > 0 {
		e := acl.Inbound[0]
		in.Detail = e.String()
		if e.Allow && e.Protocol == model.ProtoAll && e.CIDR.Bits() == 0 && e.CIDR.Addr().Is4() {
			in.Status = Pass
		}
	}
	out = append(out, in)
	outb := Outcome{Name: "ACL outbound: VPC CIDR and control-plane ports: " + acl.ID, Section: "shape", Severity: "medium", Status: Pass, SharedBy: []string{}}
	var missing []string
	for _, c := range d.vpc.CIDRs {
		if !aclAllows(acl.Outbound, c.Masked().Addr().Next(), model.ProtoAll, 0) {
			missing = append(missing, "all traffic to "+c.String())
		}
	}
	for _, port := range []uint16{443, 3306, 6666, 8443, 8451} {
		if !aclAllows(acl.Outbound, internetAddr, model.ProtoTCP, port) {
			missing = append(missing, fmt.Sprintf("tcp %d to 0.0.0.0/0", port))
		}
	}
	outb.Detail = "allows all traffic to the VPC and tcp 443, 3306, 6666, 8443-8451 to 0.0.0.0/0"
	if len(missing) > 0 {
		outb.Status, outb.Detail = Fail, "does not allow "+strings.Join(missing, ", ")
	}
	out = append(out, outb)
	return out
}

// aclAllows is the first-match decision of sorted entries for one packet.
func aclAllows(entries []model.NACLEntry, dst netip.Addr, proto model.Protocol, port uint16) bool {
	for _, e := range entries {
		if !e.CIDR.Contains(dst) {
			continue
		}
		if proto == model.ProtoAll {
			if e.Protocol == model.ProtoAll {
				return e.Allow
			}
			if !e.Allow {
				return false
			}
			continue
		}
		if e.Protocol != model.ProtoAll && e.Protocol != proto || !e.Ports.Contains(port) {
			continue
		}
		return e.Allow
	}
	return false
}

var s3ViaGatewayEndpoint = &Profile{
	Name: "s3-via-gateway-endpoint",
	Doc:  "S3 from the given subnets goes through the region's S3 gateway endpoint, never NAT or the internet gateway",
	Params: []Param{
		{Name: "subnets", Doc: "source subnets, IDs or Name tags (required)"},
		{Name: "region", Doc: "region (discovered from the subnets' VPC)"},
	},
	build: func(m *model.Model, p params) (*File, []Outcome, []string, error) {
		subs := p.list("subnets")
		if len(subs) == 0 {
			return nil, nil, nil, &NeedParamError{Name: "subnets", Value: "subnet-...[,subnet-...]"}
		}
		region, ok := p.get("region")
		if !ok {
			for id, s := range m.Subnets {
				if id == subs[0] || s.Tags.Name() == subs[0] {
					region = m.VPCRegion[s.VPCID]
				}
			}
		}
		if region == "" {
			return nil, nil, nil, &NeedParamError{Name: "region", Value: "<region>", Why: "the snapshot does not say the region"}
		}
		s3 := "com.amazonaws." + region + ".s3"
		f := &File{Requirements: []Intent{{Name: "S3 through the gateway endpoint", From: Selector{Subnet: subs}, To: Selector{PrefixList: s3},
			Protocol: model.ProtoTCP, Ports: []model.PortRange{model.Port(443)}, Via: []string{"vpc-endpoint"}, NotVia: []string{"nat-gateway", "internet-gateway"}}}}
		return f, nil, []string{"region: " + region}, nil
	},
}

var noInternetIngress = &Profile{
	Name: "no-internet-ingress-to-private",
	Doc:  "no interface in a private subnet (one without a route to an internet gateway) is reachable from the internet, and every interface with a public IP says which ports the internet reaches",
	Params: []Param{
		{Name: "vpc", Doc: "limit to one VPC"},
		{Name: "private_subnets", Doc: "subnets that must not be reachable from the internet, IDs or Name tags (default: subnets named *private*, and every subnet without a default route to an internet gateway)"},
	},
	build: func(m *model.Model, p params) (*File, []Outcome, []string, error) {
		vpc, _ := p.get("vpc")
		declared := map[string]bool{}
		for _, n := range p.list("private_subnets") {
			found := false
			for id, s := range m.Subnets {
				if id == n || s.Tags.Name() == n {
					declared[id], found = true, true
				}
			}
			if !found {
				return nil, nil, nil, &ParamError{Name: "private_subnets", Err: &model.NotFoundError{Kind: model.KindSubnet, ID: n, Why: fmt.Sprintf("no subnet %q", n)}}
			}
		}
		var out []Outcome
		for _, id := range model.SortedKeys(m.ENIs) {
			e := m.ENIs[id]
			// An interface whose public IP is undecided is judged as if it
			// had one: where that would fail, the answer is unknown.
			undecided := len(e.PublicIPs) == 0 && e.PublicIPUnknown != ""
			if vpc != "" && e.VPCID != vpc || len(e.PublicIPs) == 0 && !undecided {
				continue
			}
			if o, ok := notAHost(m, e); ok {
				out = append(out, o)
				continue
			}
			private := declared[e.SubnetID]
			if len(declared) == 0 {
				if s := m.Subnets[e.SubnetID]; s != nil && strings.Contains(strings.ToLower(s.Tags.Name()), "private") {
					private = true
				}
			}
			rt, _ := m.SubnetRouteTable(e.SubnetID)
			routed := false
			if rt != nil {
				for _, r := range rt.Routes {
					routed = routed || r.Target.Kind == model.TargetIGW && r.Dest.Bits() == 0 && !r.Blackhole
				}
			}
			open := openToInternet(m, e)
			o := Outcome{Name: "internet ingress: " + e.ID, Section: "shape", Severity: "high", Status: Pass, SharedBy: []string{}, Source: label(e)}
			switch {
			case !routed:
				o.Detail = "has a public IP, but its subnet has no default route to an internet gateway: unreachable from the internet"
			case len(open) == 0:
				o.Detail = "public and routed, but no ingress rule admits 0.0.0.0/0"
			case !private:
				o.Detail = "in a public subnet, reachable from the internet (as a public subnet may be): " + strings.Join(open, "; ")
			case undecided:
				o.Status = Unknown
				o.Detail = "reachable from the internet if it has a public IP, which is undecided (" + e.PublicIPUnknown + "): " + strings.Join(open, "; ")
			default:
				o.Status = Fail
				o.Detail = "reachable from the internet: " + strings.Join(open, "; ")
				fix := "remove the 0.0.0.0/0 ingress rules from " + strings.Join(e.Groups, ",") + ", or the public IP from " + e.ID
				o.Fix = &fix
			}
			if undecided && o.Status == Pass {
				o.Detail = "whether it has a public IP is undecided (" + e.PublicIPUnknown + "); if it has one: " + o.Detail
			}
			out = append(out, o)
		}
		if len(out) == 0 {
			out = append(out, Outcome{Name: "internet ingress", Section: "shape", Severity: "high", Status: Pass, Detail: "no interface has a public IP", SharedBy: []string{}})
		}
		return &File{}, out, nil, nil
	},
}

// notAHost says why an interface with a public IP is not a host the
// internet can open connections to, or, with no security groups recorded,
// that the profile cannot tell; ok is false for a host to evaluate.
func notAHost(m *model.Model, e *model.ENI) (o Outcome, ok bool) {
	o = Outcome{Name: "internet ingress: " + e.ID, Section: "shape", Severity: "high", Status: Pass, SharedBy: []string{}, Source: label(e)}
	var pubs []string
	for _, a := range e.PrivateIPs {
		if p, has := e.PublicIPs[a]; has {
			pubs = append(pubs, p.String())
		}
	}
	public := "public IP " + strings.Join(pubs, ", ")
	if len(pubs) == 0 {
		public = "an undecided public IP (" + e.PublicIPUnknown + ")"
	}
	switch {
	case e.Type == "nat_gateway":
		owner := "a NAT gateway"
		for _, id := range model.SortedKeys(m.NATGateways) {
			if m.NATGateways[id].ENIID == e.ID {
				owner = "NAT gateway " + id
			}
		}
		// https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html:
		// instances behind it "can connect to services outside your VPC but
		// external services cannot initiate a connection with those instances".
		o.Detail = public + " is " + owner + "'s: not a host; a NAT gateway accepts no connection the internet initiates, only replies to connections it translated"
	case managedTypes[e.Type]:
		o.Detail = public + " is on an AWS-managed " + e.Type + " interface: not a host that accepts connections from the internet"
	case len(e.Groups) == 0:
		o.Status = Unknown
		o.Detail = public + ", but the snapshot records no security groups on " + e.ID + ": cannot tell what the internet reaches"
	default:
		return Outcome{}, false
	}
	return o, true
}

// openToInternet lists the ingress rules of e's groups that admit the
// whole internet.
func openToInternet(m *model.Model, e *model.ENI) []string {
	var out []string
	for _, g := range e.Groups {
		if sg := m.SecurityGroups[g]; sg != nil {
			for _, r := range sg.Ingress {
				if r.CIDR.IsValid() && r.CIDR.Bits() == 0 {
					out = append(out, g+" "+r.String())
				}
			}
		}
	}
	return out
}
