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
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// loader reads a snapshot's files. This file reads them and hands each
// top-level key to its handler; the handlers live with their resource
// family, one file each: vpc.go (VPCs, subnets, attributes, DHCP
// options), routing.go (route tables, prefix lists), security.go (security
// groups, network ACLs), interfaces.go (network interfaces, instances),
// gateways.go (internet and NAT gateways, endpoints, endpoint services),
// transit.go (peering, transit gateways, VPN, Direct Connect) and dns.go
// (Route 53). finish.go ties what needs every file read, and refs.go
// checks the references between resources.
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
