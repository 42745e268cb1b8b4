package snapshot

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

type loader struct {
	fsys  fs.FS
	root  string
	m     *model.Model
	warns []Warning

	origin   map[string]string // resource ID -> file that defined it
	dups     map[[3]string]int // kind, earlier file, later file -> IDs redefined
	ignored  map[string]map[string]int
	azRegion map[string]string

	instances []pendingInstance
	entries   []pendingEntries
	attrs     []pendingAttr
	records   []pendingRecords
	ruleVPCs  []pendingRuleAssoc
	vpcFile   map[string]string // VPC ID -> region from its file's folder

	tgwRoutes    []pendingTGWRoutes
	tgwLinks     []pendingTGWLinks
	dxAssocs     []pendingDXAssoc
	dxAssocsRead bool
	bgpTables    []string        // TGW route tables missing BGP-learned routes
	staticFiles  []string        // Batfish's TransitGatewayStaticRoutes files read
	accounts     map[string]bool // account folders seen
}

type pendingInstance struct {
	file, region string
	in           wInstance
}

type pendingEntries struct {
	file, plID string
	cidrs      []string
}

type pendingRecords struct {
	file, zone string
	sets       []wRecordSet
}

type pendingRuleAssoc struct {
	file, rule, vpc string
}

type pendingAttr struct {
	file, vpc, attr string
	val             *bool
}

func newLoader(fsys fs.FS, root string) *loader {
	return &loader{
		fsys:     fsys,
		root:     root,
		m:        model.New(),
		origin:   map[string]string{},
		dups:     map[[3]string]int{},
		ignored:  map[string]map[string]int{},
		azRegion: map[string]string{},
		vpcFile:  map[string]string{},
	}
}

func (l *loader) display(p string) string {
	if l.root == "" {
		return p
	}
	return path.Join(strings.ReplaceAll(l.root, "\\", "/"), p)
}

func (l *loader) warn(p, msg string) {
	l.warns = append(l.warns, Warning{File: l.display(p), Message: msg})
}

func (l *loader) warnings() []Warning {
	var out []Warning
	for _, k := range sortedDupKeys(l.dups) {
		out = append(out, Warning{File: k[2], Message: fmt.Sprintf(
			"%d %s already defined in %s; the later file's copy is used", l.dups[k], k[0], k[1])})
	}
	if len(l.ignored) > 0 {
		keys := make([]string, 0, len(l.ignored))
		for k := range l.ignored {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s (%d files)", k, len(l.ignored[k])))
		}
		out = append(out, Warning{File: l.root, Message: "read but not modelled yet, ignored: " + strings.Join(parts, ", ")})
	}
	return append(l.warns, out...)
}

func sortedDupKeys(m map[[3]string]int) [][3]string {
	keys := make([][3]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a[2] != b[2] {
			return a[2] < b[2]
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		return a[1] < b[1]
	})
	return keys
}

// known but not modelled: read without complaint, summarised once.
var notModelled = map[string]bool{
	"Addresses": true, "ServiceNames": true,
	"Tags": true, "DBInstances": true, "DomainStatusList": true,
	"LoadBalancers": true, "LoadBalancerListeners": true, "LoadBalancerAttributes": true,
	"LoadBalancerTargetHealth": true, "TargetGroups": true,
	"InstanceStatuses": true, "PlacementGroups": true,
	"MovingAddressStatuses": true, "Hosts": true, "Instances": true, "EgressOnlyInternetGateways": true,
	"ClassicLinkInstances":    true,
	"LocalGatewayRouteTables": true, "CarrierGateways": true, "ElasticsearchDomains": true,
}

// metadata keys carried by describe output that say nothing of the network.
var metaKeys = map[string]bool{
	"NextToken": true, "ResponseMetadata": true, "IsTruncated": true, "MaxItems": true,
	"Marker": true, "NextMarker": true, "DelegationSet": true,
	// The request parameter vpcpath collect writes beside
	// describe-direct-connect-gateway-associations output.
	"directConnectGatewayId": true,
}

var plIDRE = regexp.MustCompile(`pl-[0-9a-f]{8,17}`)

func (l *loader) loadFile(p string) error {
	file := l.display(p)
	if a := accountOf(p); a != "" {
		if l.accounts == nil {
			l.accounts = map[string]bool{}
		}
		l.accounts[a] = true
	}
	if st, err := fs.Stat(l.fsys, p); err == nil && st.Size() > maxFileSize {
		return &Error{File: file, Err: fmt.Errorf("file is %d bytes, over the %d-byte limit", st.Size(), maxFileSize)}
	}
	data, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		return &Error{File: file, Err: err}
	}
	if int64(len(data)) > maxFileSize {
		return &Error{File: file, Err: fmt.Errorf("file is over the %d-byte limit", maxFileSize)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		l.warn(p, "empty file; skipped")
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return decodeError(file, "", data, syntaxOf(data, err))
	}
	if tok != json.Delim('{') {
		if !json.Valid(data) {
			return decodeError(file, "", data, syntaxOf(data, nil))
		}
		l.warn(p, "not AWS describe output (top level is not an object); skipped")
		return nil
	}
	if err := l.object(p, file, data, dec, true); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return decodeError(file, "", data, syntaxOf(data, err))
	}
	return nil
}

// syntaxOf returns the syntax error json.Unmarshal reports for data (the
// streaming decoder's errors lack the offset), or err.
func syntaxOf(data []byte, err error) error {
	var v any
	if uerr := json.Unmarshal(data, &v); uerr != nil {
		return uerr
	}
	if err == nil {
		return fmt.Errorf("malformed JSON")
	}
	return fmt.Errorf("malformed JSON: %v", err)
}

// object reads one JSON object whose opening brace dec has consumed. Lists
// of resources are decoded straight from the stream, element by element, so
// each file is parsed once; other values are kept raw and interpreted once
// the whole object is read (their meaning depends on their neighbours).
func (l *loader) object(p, file string, data []byte, dec *json.Decoder, top bool) error {
	region := regionOf(p)
	raws := map[string]json.RawMessage{}
	var keys []string
	used := false
	handled := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return decodeError(file, "", data, syntaxOf(data, err))
		}
		key, _ := tok.(string)
		if h, ok := handlers[key]; ok {
			if err := h(l, file, region, key, data, dec); err != nil {
				return err
			}
			used = true
			handled[key] = true
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return decodeError(file, key, data, syntaxOf(data, err))
		}
		raws[key] = raw
		keys = append(keys, key)
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return decodeError(file, "", data, syntaxOf(data, err))
	}
	if raw, ok := raws["data"]; ok && top && raws["status_code"] != nil {
		// A boto recording: {"status_code": 200, "data": {...}}.
		inner := json.NewDecoder(bytes.NewReader(raw))
		if tok, err := inner.Token(); err != nil || tok != json.Delim('{') {
			l.warn(p, "recording whose data is not an object; skipped")
			return nil
		}
		return l.object(p, file, raw, inner, false)
	}
	if e, ok := raws["Error"]; ok {
		l.warn(p, "recorded error response "+compact(e)+"; skipped")
		return nil
	}
	switch {
	case raws["format_version"] != nil && raws["calls"] != nil:
		return l.manifest(p, file, raws)
	case raws["VpcId"] != nil:
		return l.vpcAttribute(p, file, raws)
	case raws["Entries"] != nil:
		return l.prefixListEntries(p, file, raws, raws["Entries"])
	case raws["HostedZone"] != nil:
		return l.hostedZone(file, raws, raws["HostedZone"])
	case raws["ResourceRecordSets"] != nil:
		return l.recordSets(p, file, raws, raws["ResourceRecordSets"])
	case raws["Routes"] != nil:
		return l.searchedRoutes(p, file, raws)
	case raws["Associations"] != nil:
		return l.tableLinks(p, file, "Associations", raws)
	case raws["TransitGatewayRouteTablePropagations"] != nil:
		return l.tableLinks(p, file, "TransitGatewayRouteTablePropagations", raws)
	}
	var unknown []string
	sort.Strings(keys)
	for _, key := range keys {
		switch {
		case metaKeys[key]:
		case key == "ServiceNames" && handled["ServiceDetails"]:
			// describe-vpc-endpoint-services lists every name twice: alone
			// and in the ServiceDetails read above.
		case notModelled[key]:
			if l.ignored[key] == nil {
				l.ignored[key] = map[string]int{}
			}
			l.ignored[key][p]++
			used = true
		default:
			unknown = append(unknown, key)
		}
	}
	if len(unknown) > 0 {
		l.warn(p, "unrecognised top-level key(s) "+strings.Join(unknown, ", ")+"; skipped")
	} else if !used {
		l.warn(p, "holds no resources vpcpath reads (only metadata); skipped")
	}
	return nil
}

func compact(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return "(unreadable)"
	}
	s := b.String()
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}

// define records that file defines id, noting a redefinition.
func (l *loader) define(kind, id, file string) {
	if prev, ok := l.origin[kind+"\x00"+id]; ok && prev != file {
		l.dups[[3]string{kind, prev, file}]++
	}
	l.origin[kind+"\x00"+id] = file
}

func (l *loader) fileOf(kind, id string) string { return l.origin[kind+"\x00"+id] }

type handler func(l *loader, file, region, key string, data []byte, dec *json.Decoder) error

var handlers = map[string]handler{
	"Vpcs":                             (*loader).vpcs,
	"Subnets":                          (*loader).subnets,
	"RouteTables":                      (*loader).routeTables,
	"SecurityGroups":                   (*loader).securityGroups,
	"NetworkAcls":                      (*loader).networkACLs,
	"NetworkInterfaces":                (*loader).networkInterfaces,
	"Reservations":                     (*loader).reservations,
	"VpcEndpoints":                     (*loader).vpcEndpoints,
	"NatGateways":                      (*loader).natGateways,
	"InternetGateways":                 (*loader).internetGateways,
	"PrefixLists":                      (*loader).prefixLists,
	"VpcPeeringConnections":            (*loader).peerings,
	"TransitGateways":                  (*loader).transitGateways,
	"TransitGatewayAttachments":        (*loader).tgwAttachments,
	"TransitGatewayVpcAttachments":     (*loader).tgwAttachments,
	"TransitGatewayPeeringAttachments": (*loader).tgwPeeringAttachments,
	"TransitGatewayRouteTables":        (*loader).tgwRouteTables,
	"TransitGatewayStaticRoutes":       (*loader).tgwStaticRoutes,
	"TransitGatewayPropagations":       (*loader).tgwPropagations,
	"VpnGateways":                      (*loader).vpnGateways,
	"VpnConnections":                   (*loader).vpnConnections,
	"CustomerGateways":                 (*loader).customerGateways,
	"directConnectGateways":            (*loader).dxGateways,
	"DirectConnectGateways":            (*loader).dxGateways,
	"directConnectGatewayAssociations": (*loader).dxAssociations,
	"DirectConnectGatewayAssociations": (*loader).dxAssociations,
	"virtualInterfaces":                (*loader).virtualInterfaces,
	"VirtualInterfaces":                (*loader).virtualInterfaces,
	"AvailabilityZones":                (*loader).availabilityZones,
	"HostedZones":                      (*loader).hostedZones,
	"ResolverRules":                    (*loader).resolverRules,
	"ResolverRuleAssociations":         (*loader).resolverRuleAssociations,
	"ServiceDetails":                   (*loader).serviceDetails,
	"DhcpOptions":                      (*loader).dhcpOptions,
}

// decodeList decodes a top-level list from the stream element by element,
// so that a value of the wrong type is reported with its index. null is an
// empty list.
func decodeList[T any](file, key string, data []byte, dec *json.Decoder) ([]T, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, decodeError(file, key, data, syntaxOf(data, err))
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, &Error{File: file, Field: key, Err: fmt.Errorf("want a list, found %v", tok)}
	}
	var out []T
	for i := 0; dec.More(); i++ {
		var v T
		if err := dec.Decode(&v); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				return nil, decodeError(file, fmt.Sprintf("%s[%d]", key, i), data, err)
			}
			return nil, decodeError(file, key, data, syntaxOf(data, err))
		}
		out = append(out, v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, decodeError(file, key, data, syntaxOf(data, err))
	}
	return out, nil
}

func rawDecoder(raw json.RawMessage) *json.Decoder { return json.NewDecoder(bytes.NewReader(raw)) }

func field(key string, i int, id, name string) string {
	if id != "" {
		return fmt.Sprintf("%s[%d] (%s).%s", key, i, id, name)
	}
	return fmt.Sprintf("%s[%d].%s", key, i, name)
}

func missing() error { return fmt.Errorf("missing") }

func parsePrefix(s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("bad CIDR %q", s)
	}
	return p.Masked(), nil
}

func parseAddr(s string) (netip.Addr, error) {
	a, err := netip.ParseAddr(strings.TrimSpace(s))
	if err != nil {
		return netip.Addr{}, fmt.Errorf("bad IP address %q", s)
	}
	return a.Unmap(), nil
}

func (l *loader) vpcs(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVpc](file, "Vpcs", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVPC] = true
	for i, w := range list {
		if w.VpcId == "" {
			return &Error{File: file, Field: field("Vpcs", i, "", "VpcId"), Err: missing()}
		}
		v := &model.VPC{ID: w.VpcId, OwnerID: w.OwnerId, Region: region, IsDefault: w.IsDefault, DHCPOptionsID: w.DhcpOptionsId, Tags: tags(w.Tags)}
		if old := l.m.VPCs[w.VpcId]; old != nil {
			v.DNSSupport, v.DNSHostnames = old.DNSSupport, old.DNSHostnames
		}
		seen := map[netip.Prefix]bool{}
		add := func(s, name string) error {
			p, err := parsePrefix(s)
			if err != nil {
				return &Error{File: file, Field: field("Vpcs", i, w.VpcId, name), Err: err}
			}
			if !seen[p] {
				seen[p] = true
				v.CIDRs = append(v.CIDRs, p)
			}
			return nil
		}
		if w.CidrBlock != "" {
			if err := add(w.CidrBlock, "CidrBlock"); err != nil {
				return err
			}
		}
		for j, a := range w.CidrBlockAssociationSet {
			if st := a.CidrBlockState.State; st != "" && st != "associated" {
				continue
			}
			if err := add(a.CidrBlock, fmt.Sprintf("CidrBlockAssociationSet[%d].CidrBlock", j)); err != nil {
				return err
			}
		}
		for j, a := range w.Ipv6CidrBlockAssociationSet {
			if st := a.Ipv6CidrBlockState.State; st != "" && st != "associated" {
				continue
			}
			p, err := parsePrefix(a.Ipv6CidrBlock)
			if err != nil {
				return &Error{File: file, Field: field("Vpcs", i, w.VpcId, fmt.Sprintf("Ipv6CidrBlockAssociationSet[%d].Ipv6CidrBlock", j)), Err: err}
			}
			v.IPv6CIDRs = append(v.IPv6CIDRs, p)
		}
		l.define("VPCs", v.ID, file)
		l.m.VPCs[v.ID] = v
		if region != "" {
			l.vpcFile[v.ID] = region
		}
	}
	return nil
}

func (l *loader) subnets(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wSubnet](file, "Subnets", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindSubnet] = true
	for i, w := range list {
		if w.SubnetId == "" {
			return &Error{File: file, Field: field("Subnets", i, "", "SubnetId"), Err: missing()}
		}
		if w.VpcId == "" {
			return &Error{File: file, Field: field("Subnets", i, w.SubnetId, "VpcId"), Err: missing()}
		}
		s := &model.Subnet{ID: w.SubnetId, VPCID: w.VpcId, AZ: w.AvailabilityZone, AZID: w.AvailabilityZoneId, AvailableIPs: -1, Tags: tags(w.Tags)}
		if w.AvailableIpAddressCount != nil {
			s.AvailableIPs = *w.AvailableIpAddressCount
		}
		if w.MapPublicIpOnLaunch != nil {
			s.MapPublicIP = model.TriOf(*w.MapPublicIpOnLaunch)
		}
		if w.CidrBlock != "" {
			p, err := parsePrefix(w.CidrBlock)
			if err != nil {
				return &Error{File: file, Field: field("Subnets", i, w.SubnetId, "CidrBlock"), Err: err}
			}
			s.CIDR = p
		}
		for j, a := range w.Ipv6CidrBlockAssociationSet {
			if st := a.Ipv6CidrBlockState.State; st != "" && st != "associated" {
				continue
			}
			p, err := parsePrefix(a.Ipv6CidrBlock)
			if err != nil {
				return &Error{File: file, Field: field("Subnets", i, w.SubnetId, fmt.Sprintf("Ipv6CidrBlockAssociationSet[%d].Ipv6CidrBlock", j)), Err: err}
			}
			s.IPv6CIDRs = append(s.IPv6CIDRs, p)
		}
		if !s.CIDR.IsValid() && len(s.IPv6CIDRs) == 0 {
			return &Error{File: file, Field: field("Subnets", i, w.SubnetId, "CidrBlock"), Err: missing()}
		}
		l.define("Subnets", s.ID, file)
		l.m.Subnets[s.ID] = s
		if r := region; r != "" {
			l.m.VPCRegion[s.VPCID] = r
		} else if r := regionOfAZ(s.AZ); r != "" && l.m.VPCRegion[s.VPCID] == "" {
			l.m.VPCRegion[s.VPCID] = r
		}
	}
	return nil
}

func routeTarget(w wRoute) model.Target {
	switch {
	case w.GatewayId == "local":
		return model.Target{Kind: model.TargetLocal, ID: "local"}
	case strings.HasPrefix(w.GatewayId, "igw-"):
		return model.Target{Kind: model.TargetIGW, ID: w.GatewayId}
	case strings.HasPrefix(w.GatewayId, "vpce-"):
		return model.Target{Kind: model.TargetVPCEndpoint, ID: w.GatewayId}
	case strings.HasPrefix(w.GatewayId, "vgw-"):
		return model.Target{Kind: model.TargetVPNGateway, ID: w.GatewayId}
	case w.NatGatewayId != "":
		return model.Target{Kind: model.TargetNAT, ID: w.NatGatewayId}
	case w.TransitGatewayId != "":
		return model.Target{Kind: model.TargetTransitGateway, ID: w.TransitGatewayId}
	case w.VpcPeeringConnectionId != "":
		return model.Target{Kind: model.TargetPeering, ID: w.VpcPeeringConnectionId}
	case w.EgressOnlyInternetGatewayId != "":
		return model.Target{Kind: model.TargetEgressOnlyIGW, ID: w.EgressOnlyInternetGatewayId}
	case w.NetworkInterfaceId != "":
		return model.Target{Kind: model.TargetENI, ID: w.NetworkInterfaceId}
	case w.InstanceId != "":
		return model.Target{Kind: model.TargetInstance, ID: w.InstanceId}
	case w.LocalGatewayId != "":
		return model.Target{Kind: model.TargetLocalGateway, ID: w.LocalGatewayId}
	case w.CarrierGatewayId != "":
		return model.Target{Kind: model.TargetCarrierGateway, ID: w.CarrierGatewayId}
	case w.CoreNetworkArn != "":
		return model.Target{Kind: model.TargetCoreNetwork, ID: w.CoreNetworkArn}
	case w.GatewayId != "":
		return model.Target{Kind: model.TargetUnknown, ID: w.GatewayId}
	}
	return model.Target{Kind: model.TargetUnknown}
}

func (l *loader) routeTables(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wRouteTable](file, "RouteTables", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindRouteTable] = true
	for i, w := range list {
		if w.RouteTableId == "" {
			return &Error{File: file, Field: field("RouteTables", i, "", "RouteTableId"), Err: missing()}
		}
		rt := &model.RouteTable{ID: w.RouteTableId, VPCID: w.VpcId, Tags: tags(w.Tags)}
		for _, a := range w.Associations {
			if a.AssociationState != nil && a.AssociationState.State != "" && a.AssociationState.State != "associated" {
				continue
			}
			if a.Main {
				rt.Main = true
			}
			if a.SubnetId != "" {
				rt.Subnets = append(rt.Subnets, a.SubnetId)
			}
			if a.GatewayId != "" {
				rt.Gateways = append(rt.Gateways, a.GatewayId)
			}
		}
		for j, wr := range w.Routes {
			r := model.Route{Target: routeTarget(wr), Blackhole: wr.State == "blackhole", Origin: wr.Origin, DestPrefixList: wr.DestinationPrefixListId}
			dest, name := wr.DestinationCidrBlock, "DestinationCidrBlock"
			if dest == "" {
				dest, name = wr.DestinationIpv6CidrBlock, "DestinationIpv6CidrBlock"
			}
			switch {
			case dest != "":
				p, err := parsePrefix(dest)
				if err != nil {
					return &Error{File: file, Field: field("RouteTables", i, w.RouteTableId, fmt.Sprintf("Routes[%d].%s", j, name)), Err: err}
				}
				r.Dest = p
			case r.DestPrefixList == "":
				return &Error{File: file, Field: field("RouteTables", i, w.RouteTableId, fmt.Sprintf("Routes[%d]", j)), Err: fmt.Errorf("route has no destination")}
			}
			if r.Target.Kind == model.TargetUnknown && r.Target.ID == "" && !r.Blackhole {
				return &Error{File: file, Field: field("RouteTables", i, w.RouteTableId, fmt.Sprintf("Routes[%d]", j)), Err: fmt.Errorf("route to %s has no target", r.DestString())}
			}
			rt.Routes = append(rt.Routes, r)
		}
		l.define("RouteTables", rt.ID, file)
		l.m.RouteTables[rt.ID] = rt
	}
	return nil
}

func (l *loader) securityGroups(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wSecurityGroup](file, "SecurityGroups", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindSecurityGroup] = true
	for i, w := range list {
		if w.GroupId == "" {
			return &Error{File: file, Field: field("SecurityGroups", i, "", "GroupId"), Err: missing()}
		}
		g := &model.SecurityGroup{ID: w.GroupId, Name: w.GroupName, VPCID: w.VpcId, OwnerID: w.OwnerId, Tags: tags(w.Tags)}
		for j, p := range w.IpPermissions {
			rules, err := sgRules(w.GroupId, false, p)
			if err != nil {
				return &Error{File: file, Field: field("SecurityGroups", i, w.GroupId, fmt.Sprintf("IpPermissions[%d]", j)), Err: err}
			}
			g.Ingress = append(g.Ingress, rules...)
		}
		for j, p := range w.IpPermissionsEgress {
			rules, err := sgRules(w.GroupId, true, p)
			if err != nil {
				return &Error{File: file, Field: field("SecurityGroups", i, w.GroupId, fmt.Sprintf("IpPermissionsEgress[%d]", j)), Err: err}
			}
			g.Egress = append(g.Egress, rules...)
		}
		l.define("SecurityGroups", g.ID, file)
		l.m.SecurityGroups[g.ID] = g
	}
	return nil
}

// sgRules flattens one IpPermission into one rule per peer.
func sgRules(group string, egress bool, p wIpPermission) ([]model.SGRule, error) {
	proto, err := model.ParseProtocol(p.IpProtocol)
	if err != nil {
		return nil, fmt.Errorf("IpProtocol: %v", err)
	}
	base := model.SGRule{GroupID: group, Egress: egress, Protocol: proto, Ports: model.AllPorts, ICMP: model.AnyICMP}
	switch {
	case proto.HasPorts():
		if p.FromPort == nil || p.ToPort == nil {
			return nil, fmt.Errorf("FromPort/ToPort: missing for %s", proto)
		}
		from, to := *p.FromPort, *p.ToPort
		if from == -1 && to == -1 {
			from, to = 0, 65535
		}
		if from < 0 || to > 65535 || from > to {
			return nil, fmt.Errorf("FromPort/ToPort: bad port range %d-%d", from, to)
		}
		base.Ports = model.PortRange{First: uint16(from), Last: uint16(to)}
	case proto.IsICMP():
		// For ICMP, FromPort is the type and ToPort the code; -1 is any.
		if p.FromPort != nil {
			base.ICMP.Type = int16(*p.FromPort)
		}
		if p.ToPort != nil {
			base.ICMP.Code = int16(*p.ToPort)
		}
	}
	var out []model.SGRule
	for k, r := range p.IpRanges {
		pre, err := parsePrefix(r.CidrIp)
		if err != nil {
			return nil, fmt.Errorf("IpRanges[%d].CidrIp: %v", k, err)
		}
		x := base
		x.CIDR, x.Description = pre, r.Description
		out = append(out, x)
	}
	for k, r := range p.Ipv6Ranges {
		pre, err := parsePrefix(r.CidrIpv6)
		if err != nil {
			return nil, fmt.Errorf("Ipv6Ranges[%d].CidrIpv6: %v", k, err)
		}
		x := base
		x.CIDR, x.Description = pre, r.Description
		out = append(out, x)
	}
	for k, r := range p.PrefixListIds {
		if r.PrefixListId == "" {
			return nil, fmt.Errorf("PrefixListIds[%d].PrefixListId: missing", k)
		}
		x := base
		x.PrefixListID, x.Description = r.PrefixListId, r.Description
		out = append(out, x)
	}
	for k, r := range p.UserIdGroupPairs {
		if r.GroupId == "" {
			return nil, fmt.Errorf("UserIdGroupPairs[%d].GroupId: missing", k)
		}
		x := base
		x.PeerGroup, x.PeerAccount, x.PeerPeering, x.Description = r.GroupId, r.UserId, r.VpcPeeringConnectionId, r.Description
		out = append(out, x)
	}
	return out, nil
}

func (l *loader) networkACLs(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wNetworkAcl](file, "NetworkAcls", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindNetworkACL] = true
	for i, w := range list {
		if w.NetworkAclId == "" {
			return &Error{File: file, Field: field("NetworkAcls", i, "", "NetworkAclId"), Err: missing()}
		}
		acl := &model.NetworkACL{ID: w.NetworkAclId, VPCID: w.VpcId, IsDefault: w.IsDefault, Tags: tags(w.Tags)}
		for j, e := range w.Entries {
			fieldName := field("NetworkAcls", i, w.NetworkAclId, fmt.Sprintf("Entries[%d]", j))
			proto, err := model.ParseProtocol(e.Protocol)
			if err != nil {
				return &Error{File: file, Field: fieldName + ".Protocol", Err: err}
			}
			if e.RuleNumber < 1 || e.RuleNumber > model.FinalRuleNumber {
				return &Error{File: file, Field: fieldName + ".RuleNumber", Err: fmt.Errorf("rule number %d outside 1-32767", e.RuleNumber)}
			}
			ent := model.NACLEntry{Number: e.RuleNumber, Egress: e.Egress, Protocol: proto, Ports: model.AllPorts, ICMP: model.AnyICMP}
			switch strings.ToLower(e.RuleAction) {
			case "allow":
				ent.Allow = true
			case "deny":
			default:
				return &Error{File: file, Field: fieldName + ".RuleAction", Err: fmt.Errorf("want allow or deny, found %q", e.RuleAction)}
			}
			cidr, name := e.CidrBlock, "CidrBlock"
			if cidr == "" {
				cidr, name = e.Ipv6CidrBlock, "Ipv6CidrBlock"
			}
			p, err := parsePrefix(cidr)
			if err != nil {
				return &Error{File: file, Field: fieldName + "." + name, Err: err}
			}
			ent.CIDR = p
			if proto.HasPorts() && e.PortRange != nil && e.PortRange.From != nil && e.PortRange.To != nil {
				from, to := *e.PortRange.From, *e.PortRange.To
				if from < 0 || to > 65535 || from > to {
					return &Error{File: file, Field: fieldName + ".PortRange", Err: fmt.Errorf("bad port range %d-%d", from, to)}
				}
				ent.Ports = model.PortRange{First: uint16(from), Last: uint16(to)}
			}
			if proto.IsICMP() && e.IcmpTypeCode != nil {
				if e.IcmpTypeCode.Type != nil {
					ent.ICMP.Type = int16(*e.IcmpTypeCode.Type)
				}
				if e.IcmpTypeCode.Code != nil {
					ent.ICMP.Code = int16(*e.IcmpTypeCode.Code)
				}
			}
			if e.Egress {
				acl.Outbound = append(acl.Outbound, ent)
			} else {
				acl.Inbound = append(acl.Inbound, ent)
			}
		}
		for _, a := range w.Associations {
			if a.SubnetId != "" {
				acl.Subnets = append(acl.Subnets, a.SubnetId)
			}
		}
		l.define("NetworkAcls", acl.ID, file)
		l.m.NetworkACLs[acl.ID] = acl
	}
	return nil
}

func (l *loader) eniFrom(file, fieldName string, w wNetworkInterface, az string) (*model.ENI, error) {
	e := &model.ENI{
		ID: w.NetworkInterfaceId, SubnetID: w.SubnetId, VPCID: w.VpcId, AZ: w.AvailabilityZone,
		Type: w.InterfaceType, Status: w.Status, RequesterManaged: w.RequesterManaged,
		Description: w.Description, SourceDestCheck: true, DeviceIndex: -1,
	}
	if e.AZ == "" {
		e.AZ = az
	}
	if e.Type == "" {
		e.Type = "interface"
	}
	if w.SourceDestCheck != nil {
		e.SourceDestCheck = *w.SourceDestCheck
	}
	e.Tags = tags(append(w.TagSet, w.Tags...))
	if w.Attachment != nil {
		e.InstanceID = w.Attachment.InstanceId
		if w.Attachment.DeviceIndex != nil {
			e.DeviceIndex = *w.Attachment.DeviceIndex
		}
	}
	for _, g := range w.Groups {
		e.Groups = append(e.Groups, g.GroupId)
	}
	addPublic := func(priv netip.Addr, as *wIPAssociation, name string) error {
		if as == nil || as.PublicIp == "" {
			return nil
		}
		pub, err := parseAddr(as.PublicIp)
		if err != nil {
			return &Error{File: file, Field: fieldName + "." + name + ".PublicIp", Err: err}
		}
		if e.PublicIPs == nil {
			e.PublicIPs = map[netip.Addr]netip.Addr{}
		}
		e.PublicIPs[priv] = pub
		return nil
	}
	seen := map[netip.Addr]bool{}
	if w.PrivateIpAddress != "" {
		a, err := parseAddr(w.PrivateIpAddress)
		if err != nil {
			return nil, &Error{File: file, Field: fieldName + ".PrivateIpAddress", Err: err}
		}
		e.PrivateIPs = append(e.PrivateIPs, a)
		seen[a] = true
		if err := addPublic(a, w.Association, "Association"); err != nil {
			return nil, err
		}
	}
	for k, p := range w.PrivateIpAddresses {
		a, err := parseAddr(p.PrivateIpAddress)
		if err != nil {
			return nil, &Error{File: file, Field: fmt.Sprintf("%s.PrivateIpAddresses[%d].PrivateIpAddress", fieldName, k), Err: err}
		}
		if !seen[a] {
			seen[a] = true
			if p.Primary {
				e.PrivateIPs = append([]netip.Addr{a}, e.PrivateIPs...)
			} else {
				e.PrivateIPs = append(e.PrivateIPs, a)
			}
		}
		if err := addPublic(a, p.Association, fmt.Sprintf("PrivateIpAddresses[%d].Association", k)); err != nil {
			return nil, err
		}
	}
	for k, p := range w.Ipv6Addresses {
		a, err := parseAddr(p.Ipv6Address)
		if err != nil {
			return nil, &Error{File: file, Field: fmt.Sprintf("%s.Ipv6Addresses[%d].Ipv6Address", fieldName, k), Err: err}
		}
		e.IPv6s = append(e.IPv6s, a)
	}
	return e, nil
}

func (l *loader) networkInterfaces(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wNetworkInterface](file, "NetworkInterfaces", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindENI] = true
	for i, w := range list {
		if w.NetworkInterfaceId == "" {
			return &Error{File: file, Field: field("NetworkInterfaces", i, "", "NetworkInterfaceId"), Err: missing()}
		}
		fn := field("NetworkInterfaces", i, w.NetworkInterfaceId, "")
		fn = strings.TrimSuffix(fn, ".")
		if w.SubnetId == "" {
			l.warns = append(l.warns, Warning{File: file, Message: fn + ": no SubnetId (a filtered or partial record); interface skipped"})
			continue
		}
		e, err := l.eniFrom(file, fn, w, "")
		if err != nil {
			return err
		}
		l.define("NetworkInterfaces", e.ID, file)
		l.m.ENIs[e.ID] = e
	}
	return nil
}

func (l *loader) reservations(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wReservation](file, "Reservations", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindInstance] = true
	for i, r := range list {
		for j, in := range r.Instances {
			if in.InstanceId == "" {
				return &Error{File: file, Field: fmt.Sprintf("Reservations[%d].Instances[%d].InstanceId", i, j), Err: missing()}
			}
			l.define("Instances", in.InstanceId, file)
			l.instances = append(l.instances, pendingInstance{file: file, region: region, in: in})
		}
	}
	return nil
}

func (l *loader) vpcEndpoints(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVpcEndpoint](file, "VpcEndpoints", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVPCEndpoint] = true
	for i, w := range list {
		if w.VpcEndpointId == "" {
			return &Error{File: file, Field: field("VpcEndpoints", i, "", "VpcEndpointId"), Err: missing()}
		}
		typ := w.VpcEndpointType
		switch strings.ToLower(typ) {
		case "interface":
			typ = model.EndpointInterface
		case "gateway":
			typ = model.EndpointGateway
		case "gatewayloadbalancer":
			typ = model.EndpointGWLB
		default:
			return &Error{File: file, Field: field("VpcEndpoints", i, w.VpcEndpointId, "VpcEndpointType"), Err: fmt.Errorf("want Interface, Gateway or GatewayLoadBalancer, found %q", w.VpcEndpointType)}
		}
		ep := &model.VPCEndpoint{
			ID: w.VpcEndpointId, VPCID: w.VpcId, Type: typ, ServiceName: w.ServiceName, State: w.State,
			Subnets: w.SubnetIds, ENIs: w.NetworkInterfaceIds, RouteTables: w.RouteTableIds, Tags: tags(w.Tags),
		}
		if w.PrivateDnsEnabled != nil {
			ep.PrivateDNS = *w.PrivateDnsEnabled
		}
		for _, g := range w.Groups {
			ep.Groups = append(ep.Groups, g.GroupId)
		}
		for _, d := range w.DnsEntries {
			ep.DNSNames = append(ep.DNSNames, d.DnsName)
		}
		l.define("VpcEndpoints", ep.ID, file)
		l.m.Endpoints[ep.ID] = ep
	}
	return nil
}

func (l *loader) natGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wNatGateway](file, "NatGateways", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindNATGateway] = true
	for i, w := range list {
		if w.NatGatewayId == "" {
			return &Error{File: file, Field: field("NatGateways", i, "", "NatGatewayId"), Err: missing()}
		}
		n := &model.NATGateway{ID: w.NatGatewayId, VPCID: w.VpcId, SubnetID: w.SubnetId, State: w.State, Connectivity: w.ConnectivityType, Tags: tags(w.Tags)}
		if n.Connectivity == "" {
			n.Connectivity = "public"
		}
		for j, a := range w.NatGatewayAddresses {
			primary := a.IsPrimary == nil || *a.IsPrimary
			if !primary && n.ENIID != "" {
				continue
			}
			if a.NetworkInterfaceId != "" {
				n.ENIID = a.NetworkInterfaceId
			}
			if a.PrivateIp != "" {
				p, err := parseAddr(a.PrivateIp)
				if err != nil {
					return &Error{File: file, Field: field("NatGateways", i, n.ID, fmt.Sprintf("NatGatewayAddresses[%d].PrivateIp", j)), Err: err}
				}
				n.PrivateIP = p
			}
			if a.PublicIp != "" {
				p, err := parseAddr(a.PublicIp)
				if err != nil {
					return &Error{File: file, Field: field("NatGateways", i, n.ID, fmt.Sprintf("NatGatewayAddresses[%d].PublicIp", j)), Err: err}
				}
				n.PublicIP = p
			}
		}
		l.define("NatGateways", n.ID, file)
		l.m.NATGateways[n.ID] = n
	}
	return nil
}

func (l *loader) internetGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wInternetGateway](file, "InternetGateways", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindInternetGateway] = true
	for i, w := range list {
		if w.InternetGatewayId == "" {
			return &Error{File: file, Field: field("InternetGateways", i, "", "InternetGatewayId"), Err: missing()}
		}
		g := &model.InternetGateway{ID: w.InternetGatewayId, Tags: tags(w.Tags)}
		for _, a := range w.Attachments {
			// "available" is what describe-internet-gateways reports for an
			// attached gateway; "attached" appears in some tools' output.
			if a.State == "available" || a.State == "attached" {
				g.VPCs = append(g.VPCs, a.VpcId)
			}
		}
		l.define("InternetGateways", g.ID, file)
		l.m.InternetGateways[g.ID] = g
	}
	return nil
}

func (l *loader) prefixLists(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wPrefixList](file, "PrefixLists", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindPrefixList] = true
	for i, w := range list {
		if w.PrefixListId == "" {
			return &Error{File: file, Field: field("PrefixLists", i, "", "PrefixListId"), Err: missing()}
		}
		pl := l.m.PrefixLists[w.PrefixListId]
		if pl == nil {
			pl = &model.PrefixList{ID: w.PrefixListId}
			l.m.PrefixLists[pl.ID] = pl
		}
		if w.PrefixListName != "" {
			pl.Name = w.PrefixListName
		}
		if w.OwnerId != "" {
			pl.OwnerID = w.OwnerId
		}
		if w.Cidrs != nil {
			pl.CIDRs = pl.CIDRs[:0]
			for j, c := range *w.Cidrs {
				p, err := parsePrefix(c)
				if err != nil {
					return &Error{File: file, Field: field("PrefixLists", i, pl.ID, fmt.Sprintf("Cidrs[%d]", j)), Err: err}
				}
				pl.CIDRs = append(pl.CIDRs, p)
			}
			pl.CIDRsKnown = true
		}
	}
	return nil
}

func (l *loader) prefixListEntries(p, file string, top map[string]json.RawMessage, raw json.RawMessage) error {
	var id string
	if r, ok := top["PrefixListId"]; ok {
		if err := json.Unmarshal(r, &id); err != nil {
			return &Error{File: file, Field: "PrefixListId", Err: fmt.Errorf("want a string")}
		}
	}
	if id == "" {
		id = plIDRE.FindString(path.Base(p))
	}
	entries, err := decodeList[wPrefixListEntry](file, "Entries", nil, rawDecoder(raw))
	if err != nil {
		return err
	}
	if id == "" {
		l.warn(p, "prefix list entries without a list ID (no top-level PrefixListId and no pl- ID in the file name); skipped")
		return nil
	}
	pe := pendingEntries{file: file, plID: id}
	for _, e := range entries {
		pe.cidrs = append(pe.cidrs, e.Cidr)
	}
	l.entries = append(l.entries, pe)
	return nil
}

func (l *loader) vpcAttribute(p, file string, top map[string]json.RawMessage) error {
	var vpc string
	if err := json.Unmarshal(top["VpcId"], &vpc); err != nil || vpc == "" {
		return &Error{File: file, Field: "VpcId", Err: fmt.Errorf("want a VPC ID")}
	}
	found := false
	for _, attr := range []string{"EnableDnsSupport", "EnableDnsHostnames"} {
		raw, ok := top[attr]
		if !ok {
			continue
		}
		found = true
		var v wBoolValue
		if err := json.Unmarshal(raw, &v); err != nil || v.Value == nil {
			return &Error{File: file, Field: attr + ".Value", Err: fmt.Errorf("want {\"Value\": true|false}")}
		}
		l.attrs = append(l.attrs, pendingAttr{file: file, vpc: vpc, attr: attr, val: v.Value})
	}
	if !found {
		l.warn(p, "describe-vpc-attribute output for an attribute vpcpath does not use; skipped")
	}
	return nil
}

func (l *loader) availabilityZones(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wAvailabilityZone](file, "AvailabilityZones", data, raw)
	if err != nil {
		return err
	}
	for _, z := range list {
		if z.ZoneName != "" && z.RegionName != "" {
			l.azRegion[z.ZoneName] = z.RegionName
		}
	}
	return nil
}

var zoneIDRE = regexp.MustCompile(`Z[0-9A-Z]{6,32}`)

func zoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }

func (l *loader) zone(id string) *model.HostedZone {
	z := l.m.HostedZones[id]
	if z == nil {
		z = &model.HostedZone{ID: id}
		l.m.HostedZones[id] = z
	}
	return z
}

func (l *loader) hostedZones(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wHostedZone](file, "HostedZones", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindHostedZone] = true
	for i, w := range list {
		if w.Id == "" {
			return &Error{File: file, Field: field("HostedZones", i, "", "Id"), Err: missing()}
		}
		z := l.zone(zoneID(w.Id))
		z.Name = model.FQDN(w.Name)
		z.Private = w.Config != nil && w.Config.PrivateZone
	}
	return nil
}

// hostedZone reads get-hosted-zone output: the zone and its VPCs.
func (l *loader) hostedZone(file string, top map[string]json.RawMessage, raw json.RawMessage) error {
	var w wHostedZone
	if err := json.Unmarshal(raw, &w); err != nil {
		return decodeError(file, "HostedZone", nil, err)
	}
	if w.Id == "" {
		return &Error{File: file, Field: "HostedZone.Id", Err: missing()}
	}
	l.m.Present[model.KindHostedZone] = true
	z := l.zone(zoneID(w.Id))
	z.Name = model.FQDN(w.Name)
	z.Private = w.Config != nil && w.Config.PrivateZone
	if r, ok := top["VPCs"]; ok {
		var vpcs []wZoneVPC
		if err := json.Unmarshal(r, &vpcs); err != nil {
			return decodeError(file, "VPCs", nil, err)
		}
		z.VPCs = z.VPCs[:0]
		for _, v := range vpcs {
			z.VPCs = append(z.VPCs, v.VPCId)
		}
		z.VPCsKnown = true
	}
	return nil
}

// recordSets reads list-resource-record-sets output, which does not name
// its zone: a top-level "HostedZoneId" (vpcpath collect writes one) or the
// zone ID in the file name ties it.
func (l *loader) recordSets(p, file string, top map[string]json.RawMessage, raw json.RawMessage) error {
	var id string
	if r, ok := top["HostedZoneId"]; ok {
		if err := json.Unmarshal(r, &id); err != nil {
			return &Error{File: file, Field: "HostedZoneId", Err: fmt.Errorf("want a string")}
		}
	}
	if id == "" {
		id = zoneIDRE.FindString(path.Base(p))
	}
	sets, err := decodeList[wRecordSet](file, "ResourceRecordSets", nil, rawDecoder(raw))
	if err != nil {
		return err
	}
	if id == "" {
		l.warn(p, "record sets without a zone ID (no top-level HostedZoneId and no zone ID in the file name); skipped")
		return nil
	}
	l.records = append(l.records, pendingRecords{file: file, zone: zoneID(id), sets: sets})
	return nil
}

func (l *loader) resolverRules(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wResolverRule](file, "ResolverRules", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindResolverRule] = true
	for i, w := range list {
		if w.Id == "" {
			return &Error{File: file, Field: field("ResolverRules", i, "", "Id"), Err: missing()}
		}
		r := l.m.ResolverRules[w.Id]
		if r == nil {
			r = &model.ResolverRule{ID: w.Id}
			l.m.ResolverRules[w.Id] = r
		}
		r.Domain, r.Type = model.FQDN(w.DomainName), strings.ToUpper(w.RuleType)
		r.Targets = r.Targets[:0]
		for _, t := range w.TargetIps {
			ip := t.Ip
			if ip == "" {
				ip = t.Ipv6
			}
			if t.Port != nil && *t.Port != 53 {
				ip += ":" + strconv.Itoa(*t.Port)
			}
			r.Targets = append(r.Targets, ip)
		}
	}
	return nil
}

func (l *loader) resolverRuleAssociations(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wResolverRuleAssociation](file, "ResolverRuleAssociations", data, raw)
	if err != nil {
		return err
	}
	for i, w := range list {
		if w.ResolverRuleId == "" || w.VPCId == "" {
			return &Error{File: file, Field: field("ResolverRuleAssociations", i, "", "ResolverRuleId/VPCId"), Err: missing()}
		}
		if w.Status != "" && w.Status != "COMPLETE" {
			continue
		}
		l.ruleVPCs = append(l.ruleVPCs, pendingRuleAssoc{file: file, rule: w.ResolverRuleId, vpc: w.VPCId})
	}
	return nil
}

func (l *loader) serviceDetails(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wServiceDetail](file, "ServiceDetails", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindEndpointService] = true
	for i, w := range list {
		if w.ServiceName == "" {
			return &Error{File: file, Field: field("ServiceDetails", i, "", "ServiceName"), Err: missing()}
		}
		svc := &model.EndpointService{Name: w.ServiceName, BaseDNSNames: w.BaseEndpointDnsNames}
		seen := map[string]bool{}
		add := func(n string) {
			if n = strings.TrimSpace(n); n != "" && !seen[model.FQDN(n)] {
				seen[model.FQDN(n)] = true
				svc.PrivateDNSNames = append(svc.PrivateDNSNames, model.FQDN(n))
			}
		}
		add(w.PrivateDnsName)
		for _, n := range w.PrivateDnsNames {
			add(n.PrivateDnsName)
		}
		l.m.EndpointServices[svc.Name] = svc
	}
	return nil
}

// manifest reads the manifest.json that vpcpath collect writes: each gap (a
// call that was denied, or whose resource vanished) becomes a warning, and
// the kinds it would have filled stay absent, so traces that need them
// answer unknown.
func (l *loader) manifest(p, file string, raws map[string]json.RawMessage) error {
	var gaps []struct {
		IAMAction string `json:"iam_action"`
		Account   string `json:"account"`
		Region    string `json:"region"`
		File      string `json:"file"`
		Reason    string `json:"reason"`
		Error     string `json:"error"`
	}
	if r, ok := raws["gaps"]; ok && string(r) != "null" {
		if err := json.Unmarshal(r, &gaps); err != nil {
			return decodeError(file, "gaps", nil, err)
		}
	}
	for _, g := range gaps {
		where := g.Account
		if g.Region != "" {
			where += "/" + g.Region
		}
		l.warn(p, fmt.Sprintf("collection gap: %s %s in %s (%s), so %s is missing; traces that need it answer unknown", g.IAMAction, g.Reason, where, g.Error, g.File))
	}
	return nil
}

func (l *loader) dhcpOptions(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wDhcpOptions](file, "DhcpOptions", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindDHCPOptions] = true
	for i, w := range list {
		if w.DhcpOptionsId == "" {
			return &Error{File: file, Field: field("DhcpOptions", i, "", "DhcpOptionsId"), Err: missing()}
		}
		d := &model.DHCPOptions{ID: w.DhcpOptionsId}
		for _, c := range w.DhcpConfigurations {
			if c.Key == "domain-name-servers" {
				for _, v := range c.Values {
					d.DNSServers = append(d.DNSServers, v.Value)
				}
			}
		}
		l.m.DHCPOptions[d.ID] = d
	}
	return nil
}
