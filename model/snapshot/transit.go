package snapshot

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// This file reads what lies beyond one VPC: peering connections, transit
// gateways (gateways, attachments, route tables, their routes, associations
// and propagations), virtual private gateways, VPN connections, customer
// gateways and Direct Connect.

type wPeeringSide struct {
	VpcId        string `json:"VpcId"`
	OwnerId      string `json:"OwnerId"`
	Region       string `json:"Region"`
	CidrBlock    string `json:"CidrBlock"`
	CidrBlockSet []struct {
		CidrBlock string `json:"CidrBlock"`
	} `json:"CidrBlockSet"`
	Ipv6CidrBlockSet []struct {
		Ipv6CidrBlock string `json:"Ipv6CidrBlock"`
	} `json:"Ipv6CidrBlockSet"`
	PeeringOptions *struct {
		AllowDnsResolutionFromRemoteVpc *bool `json:"AllowDnsResolutionFromRemoteVpc"`
	} `json:"PeeringOptions"`
}

type wPeering struct {
	VpcPeeringConnectionId string        `json:"VpcPeeringConnectionId"`
	RequesterVpcInfo       *wPeeringSide `json:"RequesterVpcInfo"`
	AccepterVpcInfo        *wPeeringSide `json:"AccepterVpcInfo"`
	Status                 *struct {
		Code string `json:"Code"`
	} `json:"Status"`
	Tags []wTag `json:"Tags"`
}

type wTransitGateway struct {
	TransitGatewayId string `json:"TransitGatewayId"`
	OwnerId          string `json:"OwnerId"`
	State            string `json:"State"`
	Options          *struct {
		AmazonSideAsn                   *int64   `json:"AmazonSideAsn"`
		AssociationDefaultRouteTableId  string   `json:"AssociationDefaultRouteTableId"`
		PropagationDefaultRouteTableId  string   `json:"PropagationDefaultRouteTableId"`
		DefaultRouteTableAssociation    string   `json:"DefaultRouteTableAssociation"`
		DefaultRouteTablePropagation    string   `json:"DefaultRouteTablePropagation"`
		DnsSupport                      string   `json:"DnsSupport"`
		VpnEcmpSupport                  string   `json:"VpnEcmpSupport"`
		SecurityGroupReferencingSupport string   `json:"SecurityGroupReferencingSupport"`
		TransitGatewayCidrBlocks        []string `json:"TransitGatewayCidrBlocks"`
	} `json:"Options"`
	Tags []wTag `json:"Tags"`
}

type wTGWAttachment struct {
	TransitGatewayAttachmentId string   `json:"TransitGatewayAttachmentId"`
	TransitGatewayId           string   `json:"TransitGatewayId"`
	TransitGatewayOwnerId      string   `json:"TransitGatewayOwnerId"`
	ResourceType               string   `json:"ResourceType"`
	ResourceId                 string   `json:"ResourceId"`
	ResourceOwnerId            string   `json:"ResourceOwnerId"`
	VpcId                      string   `json:"VpcId"`
	VpcOwnerId                 string   `json:"VpcOwnerId"`
	State                      string   `json:"State"`
	SubnetIds                  []string `json:"SubnetIds"`
	Association                *struct {
		TransitGatewayRouteTableId string `json:"TransitGatewayRouteTableId"`
		State                      string `json:"State"`
	} `json:"Association"`
	Options *struct {
		ApplianceModeSupport            string `json:"ApplianceModeSupport"`
		SecurityGroupReferencingSupport string `json:"SecurityGroupReferencingSupport"`
		DnsSupport                      string `json:"DnsSupport"`
		Ipv6Support                     string `json:"Ipv6Support"`
	} `json:"Options"`
	Tags []wTag `json:"Tags"`
}

type wTGWInfo struct {
	TransitGatewayId string `json:"TransitGatewayId"`
	OwnerId          string `json:"OwnerId"`
	Region           string `json:"Region"`
}

type wTGWPeeringAttachment struct {
	TransitGatewayAttachmentId string    `json:"TransitGatewayAttachmentId"`
	RequesterTgwInfo           *wTGWInfo `json:"RequesterTgwInfo"`
	AccepterTgwInfo            *wTGWInfo `json:"AccepterTgwInfo"`
	State                      string    `json:"State"`
	Tags                       []wTag    `json:"Tags"`
}

type wTGWRouteTable struct {
	TransitGatewayRouteTableId   string `json:"TransitGatewayRouteTableId"`
	TransitGatewayId             string `json:"TransitGatewayId"`
	State                        string `json:"State"`
	DefaultAssociationRouteTable bool   `json:"DefaultAssociationRouteTable"`
	DefaultPropagationRouteTable bool   `json:"DefaultPropagationRouteTable"`
	Tags                         []wTag `json:"Tags"`
}

type wTGWLink struct {
	TransitGatewayAttachmentId string `json:"TransitGatewayAttachmentId"`
	ResourceId                 string `json:"ResourceId"`
	ResourceType               string `json:"ResourceType"`
	State                      string `json:"State"`
}

type wTGWRoute struct {
	DestinationCidrBlock      string     `json:"DestinationCidrBlock"`
	PrefixListId              string     `json:"PrefixListId"`
	Type                      string     `json:"Type"`
	State                     string     `json:"State"`
	TransitGatewayAttachments []wTGWLink `json:"TransitGatewayAttachments"`
}

// Batfish's layout: one file of every table's static routes, one of every
// table's propagations.
type wTGWStaticRoutes struct {
	TransitGatewayRouteTableId string      `json:"TransitGatewayRouteTableId"`
	Routes                     []wTGWRoute `json:"Routes"`
}

type wTGWPropagations struct {
	TransitGatewayRouteTableId           string     `json:"TransitGatewayRouteTableId"`
	TransitGatewayRouteTablePropagations []wTGWLink `json:"TransitGatewayRouteTablePropagations"`
}

type wVpnGateway struct {
	VpnGatewayId     string `json:"VpnGatewayId"`
	State            string `json:"State"`
	Type             string `json:"Type"`
	AvailabilityZone string `json:"AvailabilityZone"`
	AmazonSideAsn    *int64 `json:"AmazonSideAsn"`
	VpcAttachments   []struct {
		VpcId string `json:"VpcId"`
		State string `json:"State"`
	} `json:"VpcAttachments"`
	Tags []wTag `json:"Tags"`
}

type wVpnConnection struct {
	VpnConnectionId   string `json:"VpnConnectionId"`
	State             string `json:"State"`
	Type              string `json:"Type"`
	CustomerGatewayId string `json:"CustomerGatewayId"`
	VpnGatewayId      string `json:"VpnGatewayId"`
	TransitGatewayId  string `json:"TransitGatewayId"`
	Options           *struct {
		StaticRoutesOnly      *bool  `json:"StaticRoutesOnly"`
		LocalIpv4NetworkCidr  string `json:"LocalIpv4NetworkCidr"`
		RemoteIpv4NetworkCidr string `json:"RemoteIpv4NetworkCidr"`
	} `json:"Options"`
	Routes []struct {
		DestinationCidrBlock string `json:"DestinationCidrBlock"`
		State                string `json:"State"`
	} `json:"Routes"`
	VgwTelemetry *[]struct {
		OutsideIpAddress   string `json:"OutsideIpAddress"`
		Status             string `json:"Status"`
		StatusMessage      string `json:"StatusMessage"`
		AcceptedRouteCount int    `json:"AcceptedRouteCount"`
	} `json:"VgwTelemetry"`
	Tags []wTag `json:"Tags"`
}

type wCustomerGateway struct {
	CustomerGatewayId string `json:"CustomerGatewayId"`
	State             string `json:"State"`
	Type              string `json:"Type"`
	IpAddress         string `json:"IpAddress"`
	BgpAsn            string `json:"BgpAsn"`
	DeviceName        string `json:"DeviceName"`
	Tags              []wTag `json:"Tags"`
}

// Direct Connect's API spells its members in camelCase; Batfish's snapshots
// use PascalCase. encoding/json matches member names without regard to
// case, so one set of wire types reads both.
type wDXGateway struct {
	DirectConnectGatewayId    string `json:"directConnectGatewayId"`
	DirectConnectGatewayName  string `json:"directConnectGatewayName"`
	AmazonSideAsn             *int64 `json:"amazonSideAsn"`
	OwnerAccount              string `json:"ownerAccount"`
	DirectConnectGatewayState string `json:"directConnectGatewayState"`
}

type wDXAssociation struct {
	AssociationId          string `json:"associationId"`
	DirectConnectGatewayId string `json:"directConnectGatewayId"`
	AssociationState       string `json:"associationState"`
	AssociatedGateway      *struct {
		Id           string `json:"id"`
		Type         string `json:"type"`
		OwnerAccount string `json:"ownerAccount"`
		Region       string `json:"region"`
	} `json:"associatedGateway"`
	// Older output names only a virtual private gateway.
	VirtualGatewayId           string `json:"virtualGatewayId"`
	VirtualGatewayRegion       string `json:"virtualGatewayRegion"`
	VirtualGatewayOwnerAccount string `json:"virtualGatewayOwnerAccount"`
	AllowedPrefixes            []struct {
		Cidr string `json:"cidr"`
	} `json:"allowedPrefixesToDirectConnectGateway"`
}

type wVirtualInterface struct {
	VirtualInterfaceId     string `json:"virtualInterfaceId"`
	VirtualInterfaceName   string `json:"virtualInterfaceName"`
	VirtualInterfaceType   string `json:"virtualInterfaceType"`
	VirtualInterfaceState  string `json:"virtualInterfaceState"`
	ConnectionId           string `json:"connectionId"`
	OwnerAccount           string `json:"ownerAccount"`
	Region                 string `json:"region"`
	Vlan                   int    `json:"vlan"`
	Asn                    int64  `json:"asn"`
	AmazonSideAsn          int64  `json:"amazonSideAsn"`
	VirtualGatewayId       string `json:"virtualGatewayId"`
	DirectConnectGatewayId string `json:"directConnectGatewayId"`
	BgpPeers               []struct {
		BgpPeerId    string `json:"bgpPeerId"`
		BgpPeerState string `json:"bgpPeerState"`
		BgpStatus    string `json:"bgpStatus"`
	} `json:"bgpPeers"`
	RouteFilterPrefixes []struct {
		Cidr string `json:"cidr"`
	} `json:"routeFilterPrefixes"`
}

// pendingTGWRoutes are routes of one TGW route table, tied to the table
// once every file is read.
type pendingTGWRoutes struct {
	file, table string
	from        model.TGWRoutesFrom
	routes      []wTGWRoute
}

// pendingTGWLinks are the associations or propagations of one table.
type pendingTGWLinks struct {
	file, table string
	propagation bool
	links       []wTGWLink
}

type pendingDXAssoc struct {
	file string
	w    wDXAssociation
}

// triEnable reads AWS's "enable"/"disable" option values.
func triEnable(s string) model.Tri {
	switch strings.ToLower(s) {
	case "enable", "enabled", "true":
		return model.Yes
	case "disable", "disabled", "false":
		return model.No
	}
	return model.Unknown
}

var accountRE = regexp.MustCompile(`^\d{1,12}$`)

// accountOf returns the account folder above p's region folder (vpcpath
// collect's <account>/<region>/, Batfish's accounts/<account>/<region>/),
// or "".
func accountOf(p string) string {
	dir := path.Dir(p)
	for dir != "." && dir != "/" && dir != "" {
		if regionRE.MatchString(path.Base(dir)) {
			if a := path.Base(path.Dir(dir)); accountRE.MatchString(a) {
				return a
			}
			return ""
		}
		dir = path.Dir(dir)
	}
	return ""
}

// defineShared is define for resources that several accounts see: a
// transit gateway shared through RAM, an attachment seen by the gateway's
// owner and the resource's owner, a peering connection seen by both sides.
// A TGW peering attachment is seen from both regions. Copies from
// different account or region folders are views of one resource, not a
// redefinition.
func (l *loader) defineShared(kind, id, file string) {
	if prev, ok := l.origin[kind+"\x00"+id]; ok && prev != file {
		p, f := l.rel(prev), l.rel(file)
		if a, b := accountOf(p), accountOf(f); a != "" && b != "" && a != b {
			return
		}
		if a, b := regionOf(p), regionOf(f); a != "" && b != "" && a != b {
			return
		}
	}
	l.define(kind, id, file)
}

// rel turns a displayed file name back into its path in the snapshot.
func (l *loader) rel(file string) string {
	if l.root == "" {
		return file
	}
	return strings.TrimPrefix(strings.TrimPrefix(file, strings.ReplaceAll(l.root, "\\", "/")), "/")
}

func (l *loader) peerings(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wPeering](file, "VpcPeeringConnections", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindPeering] = true
	side := func(i int, id, name string, s *wPeeringSide) (model.PeeringSide, error) {
		if s == nil {
			return model.PeeringSide{}, nil
		}
		out := model.PeeringSide{VPCID: s.VpcId, OwnerID: s.OwnerId, Region: s.Region}
		add := func(c, f string) error {
			p, err := parsePrefix(c)
			if err != nil {
				return &Error{File: file, Field: field("VpcPeeringConnections", i, id, name+"."+f), Err: err}
			}
			if p.Addr().Is4() && !slices.Contains(out.CIDRs, p) {
				out.CIDRs = append(out.CIDRs, p)
			} else if p.Addr().Is6() && !slices.Contains(out.IPv6CIDRs, p) {
				out.IPv6CIDRs = append(out.IPv6CIDRs, p)
			}
			return nil
		}
		if s.CidrBlock != "" {
			if err := add(s.CidrBlock, "CidrBlock"); err != nil {
				return out, err
			}
		}
		for j, c := range s.CidrBlockSet {
			if err := add(c.CidrBlock, fmt.Sprintf("CidrBlockSet[%d].CidrBlock", j)); err != nil {
				return out, err
			}
		}
		for j, c := range s.Ipv6CidrBlockSet {
			if err := add(c.Ipv6CidrBlock, fmt.Sprintf("Ipv6CidrBlockSet[%d].Ipv6CidrBlock", j)); err != nil {
				return out, err
			}
		}
		if s.PeeringOptions != nil && s.PeeringOptions.AllowDnsResolutionFromRemoteVpc != nil {
			out.AllowRemoteDNS = model.TriOf(*s.PeeringOptions.AllowDnsResolutionFromRemoteVpc)
		}
		return out, nil
	}
	for i, w := range list {
		if w.VpcPeeringConnectionId == "" {
			return &Error{File: file, Field: field("VpcPeeringConnections", i, "", "VpcPeeringConnectionId"), Err: missing()}
		}
		pc := &model.Peering{ID: w.VpcPeeringConnectionId, Tags: tags(w.Tags)}
		if pc.Requester, err = side(i, pc.ID, "RequesterVpcInfo", w.RequesterVpcInfo); err != nil {
			return err
		}
		if pc.Accepter, err = side(i, pc.ID, "AccepterVpcInfo", w.AccepterVpcInfo); err != nil {
			return err
		}
		if w.Status != nil {
			pc.Status = w.Status.Code
		}
		l.defineShared("VpcPeeringConnections", pc.ID, file)
		l.m.Peerings[pc.ID] = pc
	}
	return nil
}

func (l *loader) transitGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTransitGateway](file, "TransitGateways", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindTransitGateway] = true
	for i, w := range list {
		if w.TransitGatewayId == "" {
			return &Error{File: file, Field: field("TransitGateways", i, "", "TransitGatewayId"), Err: missing()}
		}
		g := &model.TransitGateway{ID: w.TransitGatewayId, OwnerID: w.OwnerId, Region: region, State: w.State, Tags: tags(w.Tags)}
		if o := w.Options; o != nil {
			if o.AmazonSideAsn != nil {
				g.ASN = *o.AmazonSideAsn
			}
			g.AssociationDefaultRouteTableID, g.PropagationDefaultRouteTableID = o.AssociationDefaultRouteTableId, o.PropagationDefaultRouteTableId
			g.DefaultAssociation, g.DefaultPropagation = triEnable(o.DefaultRouteTableAssociation), triEnable(o.DefaultRouteTablePropagation)
			g.DNSSupport, g.VPNECMPSupport = triEnable(o.DnsSupport), triEnable(o.VpnEcmpSupport)
			// Off by default (Transit Gateways Guide, "Security group
			// referencing"): output from before the option existed omits it.
			g.SecurityGroupReferencing = triEnable(o.SecurityGroupReferencingSupport)
			for j, c := range o.TransitGatewayCidrBlocks {
				p, err := parsePrefix(c)
				if err != nil {
					return &Error{File: file, Field: field("TransitGateways", i, g.ID, fmt.Sprintf("Options.TransitGatewayCidrBlocks[%d]", j)), Err: err}
				}
				g.CIDRBlocks = append(g.CIDRBlocks, p)
			}
		}
		// A gateway shared through RAM is listed by every account that uses
		// it; the owner's copy carries the owner's view of the options.
		if old := l.m.TransitGateways[g.ID]; old != nil && old.OwnerID != "" && accountOf(l.rel(file)) != "" && accountOf(l.rel(file)) != old.OwnerID &&
			accountOf(l.rel(l.fileOf("TransitGateways", g.ID))) == old.OwnerID {
			continue
		}
		l.defineShared("TransitGateways", g.ID, file)
		l.m.TransitGateways[g.ID] = g
	}
	return nil
}

// tgwAttachments reads describe-transit-gateway-attachments and
// describe-transit-gateway-vpc-attachments output; records of one
// attachment merge.
func (l *loader) tgwAttachments(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTGWAttachment](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindTGWAttachment] = true
	for i, w := range list {
		if w.TransitGatewayAttachmentId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayAttachmentId"), Err: missing()}
		}
		if w.TransitGatewayId == "" {
			return &Error{File: file, Field: field(key, i, w.TransitGatewayAttachmentId, "TransitGatewayId"), Err: missing()}
		}
		a := l.m.TGWAttachments[w.TransitGatewayAttachmentId]
		if a == nil {
			a = &model.TGWAttachment{ID: w.TransitGatewayAttachmentId, TransitGatewayID: w.TransitGatewayId, Region: region}
			l.m.TGWAttachments[a.ID] = a
		}
		if w.ResourceType == "" && w.VpcId != "" {
			w.ResourceType, w.ResourceId, w.ResourceOwnerId = model.TGWAttachVPC, w.VpcId, w.VpcOwnerId
		}
		var as *model.TGWAssociation
		if w.Association != nil {
			as = &model.TGWAssociation{RouteTableID: w.Association.TransitGatewayRouteTableId, State: w.Association.State}
		}
		if w.ResourceType == model.TGWAttachPeering {
			// One attachment, seen from each gateway with that side's
			// association (Batfish's test-transit-gateway-peering).
			l.peeringSide(a, model.TGWPeeringSide{TransitGatewayID: w.TransitGatewayId, OwnerID: w.TransitGatewayOwnerId, Region: region, Association: as})
			l.peeringSide(a, model.TGWPeeringSide{TransitGatewayID: w.ResourceId, OwnerID: w.ResourceOwnerId})
		}
		if a.TransitGatewayID == w.TransitGatewayId {
			if w.ResourceType != "" {
				a.ResourceType, a.ResourceID = w.ResourceType, w.ResourceId
			}
			if w.ResourceOwnerId != "" {
				a.ResourceOwnerID = w.ResourceOwnerId
			}
			if w.TransitGatewayOwnerId != "" {
				a.TransitGatewayOwnerID = w.TransitGatewayOwnerId
			}
			if as != nil {
				a.Association = as
			}
		}
		if w.State != "" {
			a.State = w.State
		}
		if a.Region == "" {
			a.Region = region
		}
		if len(w.SubnetIds) > 0 {
			a.Subnets = w.SubnetIds
		}
		if o := w.Options; o != nil {
			set := func(t *model.Tri, v string) {
				if x := triEnable(v); x != model.Unknown {
					*t = x
				}
			}
			set(&a.ApplianceMode, o.ApplianceModeSupport)
			set(&a.SecurityGroupReferencing, o.SecurityGroupReferencingSupport)
			set(&a.DNSSupport, o.DnsSupport)
			set(&a.IPv6Support, o.Ipv6Support)
		}
		if t := tags(w.Tags); t != nil {
			a.Tags = t
		}
		l.defineShared(key, a.ID, file)
	}
	return nil
}

// peeringSide merges what is known of one side of a peering attachment.
func (l *loader) peeringSide(a *model.TGWAttachment, s model.TGWPeeringSide) {
	if s.TransitGatewayID == "" {
		return
	}
	if old := a.SideOf(s.TransitGatewayID); old != nil {
		if s.OwnerID != "" {
			old.OwnerID = s.OwnerID
		}
		if s.Region != "" {
			old.Region = s.Region
		}
		if s.Role != "" {
			old.Role = s.Role
		}
		if s.Association != nil {
			old.Association = s.Association
		}
		return
	}
	a.Sides = append(a.Sides, s)
}

func (l *loader) tgwPeeringAttachments(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTGWPeeringAttachment](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindTGWAttachment] = true
	for i, w := range list {
		if w.TransitGatewayAttachmentId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayAttachmentId"), Err: missing()}
		}
		if w.RequesterTgwInfo == nil || w.AccepterTgwInfo == nil || w.RequesterTgwInfo.TransitGatewayId == "" || w.AccepterTgwInfo.TransitGatewayId == "" {
			// moto lists VPC and VPN attachments here too, without either
			// end; AWS never does. Not a peering record: skipped, said.
			l.warns = append(l.warns, Warning{File: file, Message: field(key, i, w.TransitGatewayAttachmentId, "RequesterTgwInfo/AccepterTgwInfo") +
				": no transit gateway at one end, so not a peering attachment's record; skipped"})
			continue
		}
		a := l.m.TGWAttachments[w.TransitGatewayAttachmentId]
		if a == nil {
			// Listed under the requester; the accepter sees the same ID.
			a = &model.TGWAttachment{ID: w.TransitGatewayAttachmentId, TransitGatewayID: w.RequesterTgwInfo.TransitGatewayId,
				ResourceType: model.TGWAttachPeering, ResourceID: w.AccepterTgwInfo.TransitGatewayId,
				TransitGatewayOwnerID: w.RequesterTgwInfo.OwnerId, ResourceOwnerID: w.AccepterTgwInfo.OwnerId, Region: w.RequesterTgwInfo.Region}
			l.m.TGWAttachments[a.ID] = a
		}
		if a.ResourceType == "" {
			a.ResourceType = model.TGWAttachPeering
		}
		for _, s := range []struct {
			role string
			w    *wTGWInfo
		}{{"requester", w.RequesterTgwInfo}, {"accepter", w.AccepterTgwInfo}} {
			l.peeringSide(a, model.TGWPeeringSide{TransitGatewayID: s.w.TransitGatewayId, OwnerID: s.w.OwnerId, Region: s.w.Region, Role: s.role})
		}
		if w.State != "" {
			a.State = w.State
		}
		if t := tags(w.Tags); t != nil && a.Tags == nil {
			a.Tags = t
		}
		l.defineShared(key, a.ID, file)
	}
	return nil
}

// mention records the first per-table file naming a table, for a table
// the describe output does not list.
func (l *loader) mention(table, file string) {
	if l.fileOf("tgw-rtb-mentioned", table) == "" {
		l.origin["tgw-rtb-mentioned\x00"+table] = file
	}
}

func (l *loader) tgwTable(id string) *model.TGWRouteTable {
	rt := l.m.TGWRouteTables[id]
	if rt == nil {
		rt = &model.TGWRouteTable{ID: id}
		l.m.TGWRouteTables[id] = rt
	}
	return rt
}

func (l *loader) tgwRouteTables(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTGWRouteTable](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindTGWRouteTable] = true
	for i, w := range list {
		if w.TransitGatewayRouteTableId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayRouteTableId"), Err: missing()}
		}
		rt := l.tgwTable(w.TransitGatewayRouteTableId)
		rt.TransitGatewayID, rt.State = w.TransitGatewayId, w.State
		rt.DefaultAssociation, rt.DefaultPropagation = w.DefaultAssociationRouteTable, w.DefaultPropagationRouteTable
		rt.Tags = tags(w.Tags)
		l.defineShared(key, rt.ID, file)
	}
	return nil
}

// tgwStaticRoutes reads Batfish's TransitGatewayStaticRoutes.json: the
// static routes of each table (search-transit-gateway-routes filtered to
// type static). Propagated routes are derived from the propagations.
func (l *loader) tgwStaticRoutes(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTGWStaticRoutes](file, key, data, raw)
	if err != nil {
		return err
	}
	for i, w := range list {
		if w.TransitGatewayRouteTableId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayRouteTableId"), Err: missing()}
		}
		l.tgwRoutes = append(l.tgwRoutes, pendingTGWRoutes{file: file, table: w.TransitGatewayRouteTableId, from: model.TGWRoutesDerived, routes: w.Routes})
	}
	l.staticFiles = append(l.staticFiles, file)
	return nil
}

// tgwPropagations reads Batfish's TransitGatewayPropagations.json.
func (l *loader) tgwPropagations(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wTGWPropagations](file, key, data, raw)
	if err != nil {
		return err
	}
	for i, w := range list {
		if w.TransitGatewayRouteTableId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayRouteTableId"), Err: missing()}
		}
		l.tgwLinks = append(l.tgwLinks, pendingTGWLinks{file: file, table: w.TransitGatewayRouteTableId, propagation: true, links: w.TransitGatewayRouteTablePropagations})
	}
	return nil
}

var tgwRTBRE = regexp.MustCompile(`tgw-rtb-[0-9a-f]{8,17}`)

// tableOf names the TGW route table a per-table file belongs to: a
// top-level TransitGatewayRouteTableId (vpcpath collect writes one), else
// the tgw-rtb- ID in the file name.
func (l *loader) tableOf(p, file string, top map[string]json.RawMessage) (string, error) {
	var id string
	if r, ok := top["TransitGatewayRouteTableId"]; ok {
		if err := json.Unmarshal(r, &id); err != nil {
			return "", &Error{File: file, Field: "TransitGatewayRouteTableId", Err: fmt.Errorf("want a string")}
		}
	}
	if id == "" {
		id = tgwRTBRE.FindString(path.Base(p))
	}
	return id, nil
}

// searchedRoutes reads search-transit-gateway-routes output: a table's
// effective routes.
func (l *loader) searchedRoutes(p, file string, top map[string]json.RawMessage) error {
	id, err := l.tableOf(p, file, top)
	if err != nil {
		return err
	}
	routes, err := decodeList[wTGWRoute](file, "Routes", nil, rawDecoder(top["Routes"]))
	if err != nil {
		return err
	}
	if id == "" {
		l.warn(p, "transit gateway routes without a route table ID (no top-level TransitGatewayRouteTableId and no tgw-rtb- ID in the file name); skipped")
		return nil
	}
	if r, ok := top["AdditionalRoutesAvailable"]; ok && string(r) == "true" {
		l.warn(p, "search-transit-gateway-routes output for "+id+" says AdditionalRoutesAvailable: the table has more routes than the file (the call returns at most 1,000); traces that miss them may answer wrongly")
	}
	l.tgwRoutes = append(l.tgwRoutes, pendingTGWRoutes{file: file, table: id, from: model.TGWRoutesSearched, routes: routes})
	return nil
}

// tableLinks reads get-transit-gateway-route-table-associations
// ("Associations") or -propagations output for one table.
func (l *loader) tableLinks(p, file, key string, top map[string]json.RawMessage) error {
	id, err := l.tableOf(p, file, top)
	if err != nil {
		return err
	}
	links, err := decodeList[wTGWLink](file, key, nil, rawDecoder(top[key]))
	if err != nil {
		return err
	}
	if id == "" {
		l.warn(p, key+" without a route table ID (no top-level TransitGatewayRouteTableId and no tgw-rtb- ID in the file name); skipped")
		return nil
	}
	for i, w := range links {
		if w.TransitGatewayAttachmentId == "" {
			return &Error{File: file, Field: field(key, i, "", "TransitGatewayAttachmentId"), Err: missing()}
		}
	}
	l.tgwLinks = append(l.tgwLinks, pendingTGWLinks{file: file, table: id, propagation: key != "Associations", links: links})
	return nil
}

func (l *loader) vpnGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVpnGateway](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVPNGateway] = true
	for i, w := range list {
		if w.VpnGatewayId == "" {
			return &Error{File: file, Field: field(key, i, "", "VpnGatewayId"), Err: missing()}
		}
		g := &model.VPNGateway{ID: w.VpnGatewayId, State: w.State, Type: w.Type, AZ: w.AvailabilityZone, Tags: tags(w.Tags)}
		if w.AmazonSideAsn != nil {
			g.ASN = *w.AmazonSideAsn
		}
		for _, a := range w.VpcAttachments {
			g.Attachments = append(g.Attachments, model.VGWAttachment{VPCID: a.VpcId, State: a.State})
		}
		l.define(key, g.ID, file)
		l.m.VPNGateways[g.ID] = g
	}
	return nil
}

func (l *loader) vpnConnections(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVpnConnection](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVPNConnection] = true
	for i, w := range list {
		if w.VpnConnectionId == "" {
			return &Error{File: file, Field: field(key, i, "", "VpnConnectionId"), Err: missing()}
		}
		c := &model.VPNConnection{ID: w.VpnConnectionId, State: w.State, Type: w.Type, CustomerGatewayID: w.CustomerGatewayId,
			VPNGatewayID: w.VpnGatewayId, TransitGatewayID: w.TransitGatewayId, Tags: tags(w.Tags)}
		if o := w.Options; o != nil {
			if o.StaticRoutesOnly != nil {
				c.StaticRoutesOnly = model.TriOf(*o.StaticRoutesOnly)
			}
			for name, s := range map[string]string{"LocalIpv4NetworkCidr": o.LocalIpv4NetworkCidr, "RemoteIpv4NetworkCidr": o.RemoteIpv4NetworkCidr} {
				if s == "" {
					continue
				}
				p, err := parsePrefix(s)
				if err != nil {
					return &Error{File: file, Field: field(key, i, c.ID, "Options."+name), Err: err}
				}
				if name == "LocalIpv4NetworkCidr" {
					c.LocalNetworkCIDR = p
				} else {
					c.RemoteNetworkCIDR = p
				}
			}
		}
		for j, r := range w.Routes {
			p, err := parsePrefix(r.DestinationCidrBlock)
			if err != nil {
				return &Error{File: file, Field: field(key, i, c.ID, fmt.Sprintf("Routes[%d].DestinationCidrBlock", j)), Err: err}
			}
			c.Routes = append(c.Routes, model.VPNStaticRoute{Dest: p, State: r.State})
		}
		if w.VgwTelemetry != nil {
			c.TunnelsKnown = true
			for j, t := range *w.VgwTelemetry {
				tun := model.VPNTunnel{Status: strings.ToUpper(t.Status), StatusMessage: t.StatusMessage, AcceptedRouteCount: t.AcceptedRouteCount}
				if t.OutsideIpAddress != "" {
					a, err := parseAddr(t.OutsideIpAddress)
					if err != nil {
						return &Error{File: file, Field: field(key, i, c.ID, fmt.Sprintf("VgwTelemetry[%d].OutsideIpAddress", j)), Err: err}
					}
					tun.OutsideIP = a
				}
				c.Tunnels = append(c.Tunnels, tun)
			}
		}
		l.define(key, c.ID, file)
		l.m.VPNConnections[c.ID] = c
	}
	return nil
}

func (l *loader) customerGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wCustomerGateway](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindCustomerGateway] = true
	for i, w := range list {
		if w.CustomerGatewayId == "" {
			return &Error{File: file, Field: field(key, i, "", "CustomerGatewayId"), Err: missing()}
		}
		g := &model.CustomerGateway{ID: w.CustomerGatewayId, State: w.State, Type: w.Type, DeviceName: w.DeviceName, Tags: tags(w.Tags)}
		if w.IpAddress != "" {
			a, err := parseAddr(w.IpAddress)
			if err != nil {
				return &Error{File: file, Field: field(key, i, g.ID, "IpAddress"), Err: err}
			}
			g.IP = a
		}
		if w.BgpAsn != "" {
			n, err := strconv.ParseInt(w.BgpAsn, 10, 64)
			if err != nil {
				return &Error{File: file, Field: field(key, i, g.ID, "BgpAsn"), Err: fmt.Errorf("want an AS number, found %q", w.BgpAsn)}
			}
			g.ASN = n
		}
		l.define(key, g.ID, file)
		l.m.CustomerGateways[g.ID] = g
	}
	return nil
}

func (l *loader) dxGateway(id string) *model.DXGateway {
	g := l.m.DXGateways[id]
	if g == nil {
		g = &model.DXGateway{ID: id}
		l.m.DXGateways[id] = g
	}
	return g
}

func (l *loader) dxGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wDXGateway](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindDXGateway] = true
	for i, w := range list {
		if w.DirectConnectGatewayId == "" {
			return &Error{File: file, Field: field(key, i, "", "directConnectGatewayId"), Err: missing()}
		}
		g := l.dxGateway(w.DirectConnectGatewayId)
		g.Name, g.OwnerAccount, g.State = w.DirectConnectGatewayName, w.OwnerAccount, w.DirectConnectGatewayState
		if w.AmazonSideAsn != nil {
			g.ASN = *w.AmazonSideAsn
		}
		// A Direct Connect gateway is global: every region's call lists it.
		l.origin["directConnectGateways\x00"+g.ID] = file
	}
	return nil
}

func (l *loader) dxAssociations(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wDXAssociation](file, key, data, raw)
	if err != nil {
		return err
	}
	l.dxAssocsRead = true
	for i, w := range list {
		if w.DirectConnectGatewayId == "" {
			return &Error{File: file, Field: field(key, i, "", "directConnectGatewayId"), Err: missing()}
		}
		l.dxAssocs = append(l.dxAssocs, pendingDXAssoc{file: file, w: w})
	}
	return nil
}

func (l *loader) virtualInterfaces(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVirtualInterface](file, key, data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVirtualInterface] = true
	for i, w := range list {
		if w.VirtualInterfaceId == "" {
			return &Error{File: file, Field: field(key, i, "", "virtualInterfaceId"), Err: missing()}
		}
		v := &model.VirtualInterface{ID: w.VirtualInterfaceId, Name: w.VirtualInterfaceName, Type: w.VirtualInterfaceType, State: w.VirtualInterfaceState,
			ConnectionID: w.ConnectionId, OwnerAccount: w.OwnerAccount, Region: w.Region, VLAN: w.Vlan, ASN: w.Asn, AmazonSideASN: w.AmazonSideAsn,
			VPNGatewayID: w.VirtualGatewayId, DXGatewayID: w.DirectConnectGatewayId}
		if v.Region == "" {
			v.Region = region
		}
		for _, p := range w.BgpPeers {
			v.BGPPeers = append(v.BGPPeers, model.BGPPeer{ID: p.BgpPeerId, State: p.BgpPeerState, Status: p.BgpStatus})
		}
		for j, r := range w.RouteFilterPrefixes {
			p, err := parsePrefix(r.Cidr)
			if err != nil {
				return &Error{File: file, Field: field(key, i, v.ID, fmt.Sprintf("routeFilterPrefixes[%d].cidr", j)), Err: err}
			}
			v.RouteFilterPrefixes = append(v.RouteFilterPrefixes, p)
		}
		l.define("virtualInterfaces", v.ID, file)
		l.m.VirtualInterfaces[v.ID] = v
	}
	return nil
}

// finishTransit ties per-table files to their tables, derives propagated
// routes where only static routes were saved, and attaches Direct Connect
// associations to their gateways.
func (l *loader) finishTransit() error {
	m := l.m
	for _, pa := range l.dxAssocs {
		w := pa.w
		g := l.dxGateway(w.DirectConnectGatewayId)
		a := model.DXGatewayAssociation{ID: w.AssociationId, State: w.AssociationState, Source: pa.file}
		if w.AssociatedGateway != nil {
			a.GatewayID, a.GatewayType, a.GatewayOwnerAccount, a.GatewayRegion = w.AssociatedGateway.Id, w.AssociatedGateway.Type, w.AssociatedGateway.OwnerAccount, w.AssociatedGateway.Region
		} else if w.VirtualGatewayId != "" {
			a.GatewayID, a.GatewayType, a.GatewayOwnerAccount, a.GatewayRegion = w.VirtualGatewayId, "virtualPrivateGateway", w.VirtualGatewayOwnerAccount, w.VirtualGatewayRegion
		}
		for j, p := range w.AllowedPrefixes {
			pre, err := parsePrefix(p.Cidr)
			if err != nil {
				return &Error{File: pa.file, Field: fmt.Sprintf("directConnectGatewayAssociations (%s).allowedPrefixesToDirectConnectGateway[%d].cidr", w.AssociationId, j), Err: err}
			}
			a.AllowedPrefixes = append(a.AllowedPrefixes, pre)
		}
		dup := false
		for _, old := range g.Associations {
			dup = dup || (old.ID == a.ID && old.GatewayID == a.GatewayID)
		}
		if !dup {
			g.Associations = append(g.Associations, a)
		}
	}
	if len(l.dxAssocs) > 0 || l.dxAssocsRead {
		for _, g := range m.DXGateways {
			g.AssociationsKnown = true
		}
	}

	for _, pl := range l.tgwLinks {
		rt := l.tgwTable(pl.table)
		l.mention(pl.table, pl.file)
		for _, w := range pl.links {
			link := model.TGWRouteTableLink{AttachmentID: w.TransitGatewayAttachmentId, ResourceType: w.ResourceType, ResourceID: w.ResourceId, State: w.State, Source: pl.file}
			if pl.propagation {
				rt.PropagationsKnown = true
				if !slices.ContainsFunc(rt.Propagations, func(o model.TGWRouteTableLink) bool { return o.AttachmentID == link.AttachmentID }) {
					rt.Propagations = append(rt.Propagations, link)
				}
			} else if !slices.ContainsFunc(rt.Associations, func(o model.TGWRouteTableLink) bool { return o.AttachmentID == link.AttachmentID }) {
				rt.Associations = append(rt.Associations, link)
			}
		}
		if pl.propagation {
			rt.PropagationsKnown = true
		} else {
			rt.AssociationsKnown = true
		}
	}
	l.associationConflicts()
	// An attachment's Association names its table: the table's list of
	// associations follows from the attachments.
	for _, id := range model.SortedKeys(m.TGWAttachments) {
		a := m.TGWAttachments[id]
		add := func(tgw string, as *model.TGWAssociation) {
			if as == nil || as.RouteTableID == "" {
				return
			}
			rt := m.TGWRouteTables[as.RouteTableID]
			if rt == nil || (rt.TransitGatewayID != "" && rt.TransitGatewayID != tgw) {
				return
			}
			if !slices.ContainsFunc(rt.Associations, func(o model.TGWRouteTableLink) bool { return o.AttachmentID == a.ID }) {
				rt.Associations = append(rt.Associations, model.TGWRouteTableLink{AttachmentID: a.ID, ResourceType: a.ResourceType, ResourceID: a.ResourceID, State: as.State})
			}
		}
		add(a.TransitGatewayID, a.Association)
		for _, s := range a.Sides {
			if s.TransitGatewayID != a.TransitGatewayID {
				add(s.TransitGatewayID, s.Association)
			}
		}
	}
	if m.Present[model.KindTGWAttachment] {
		for _, rt := range m.TGWRouteTables {
			rt.AssociationsKnown = true
		}
	}
	// A table known only from per-table files belongs to the gateway of
	// the (non-peering) attachments associated with it or propagating to it.
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		rt := m.TGWRouteTables[id]
		if rt.TransitGatewayID != "" {
			continue
		}
		tgws := map[string]bool{}
		for _, l := range append(append([]model.TGWRouteTableLink(nil), rt.Associations...), rt.Propagations...) {
			if a := m.TGWAttachments[l.AttachmentID]; a != nil && a.ResourceType != model.TGWAttachPeering && a.TransitGatewayID != "" {
				tgws[a.TransitGatewayID] = true
			}
		}
		if len(tgws) == 1 {
			for g := range tgws {
				rt.TransitGatewayID = g
			}
		}
	}

	// Routes: search-transit-gateway-routes output is the table's effective
	// routes and wins over static routes saved alone.
	searched := map[string]bool{}
	for _, pr := range l.tgwRoutes {
		if pr.from == model.TGWRoutesSearched {
			searched[pr.table] = true
		}
	}
	for _, pr := range l.tgwRoutes {
		if searched[pr.table] && pr.from != model.TGWRoutesSearched {
			continue
		}
		rt := l.tgwTable(pr.table)
		l.mention(pr.table, pr.file)
		rt.RoutesFrom = pr.from
		for j, w := range pr.routes {
			if w.State == "deleted" || w.State == "deleting" {
				continue
			}
			r := model.TGWRoute{DestPrefixList: w.PrefixListId, Type: w.Type, State: w.State}
			if w.DestinationCidrBlock != "" {
				p, err := parsePrefix(w.DestinationCidrBlock)
				if err != nil {
					return &Error{File: pr.file, Field: fmt.Sprintf("Routes[%d] (%s).DestinationCidrBlock", j, pr.table), Err: err}
				}
				r.Dest = p
			} else if r.DestPrefixList == "" {
				return &Error{File: pr.file, Field: fmt.Sprintf("Routes[%d] (%s)", j, pr.table), Err: fmt.Errorf("route has no destination")}
			}
			for _, a := range w.TransitGatewayAttachments {
				if a.TransitGatewayAttachmentId != "" {
					r.Attachments = append(r.Attachments, a.TransitGatewayAttachmentId)
				}
			}
			rt.Routes = append(rt.Routes, r)
		}
	}
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		rt := m.TGWRouteTables[id]
		if rt.RoutesFrom == model.TGWRoutesNone && len(l.staticFiles) > 0 && rt.PropagationsKnown {
			// Batfish's layout: TransitGatewayStaticRoutes.json was saved
			// but has no entry for this table.
			rt.RoutesFrom = model.TGWRoutesDerived
			m.Assumptions[id] = append(m.Assumptions[id], "no static routes: "+strings.Join(l.staticFiles, ", ")+" list(s) none for "+id)
		}
		if rt.RoutesFrom == model.TGWRoutesDerived {
			l.derivePropagated(rt)
		}
	}
	var none []string
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		if m.TGWRouteTables[id].RoutesFrom == model.TGWRoutesNone {
			none = append(none, id)
		}
	}
	if len(none) > 0 {
		l.warns = append(l.warns, Warning{File: l.root, Message: "no routes collected for transit gateway route table(s) " + strings.Join(none, ", ") +
			" (search-transit-gateway-routes output); traces through them answer unknown"})
	}
	return nil
}

// derivePropagated adds the routes a table's propagations put in it, for
// a table whose source saved static routes only (Batfish's
// TransitGatewayStaticRoutes.json); see model.DerivePropagatedRoutes.
func (l *loader) derivePropagated(rt *model.TGWRouteTable) {
	for _, bgp := range l.m.DerivePropagatedRoutes(rt) {
		l.m.Assumptions[rt.ID] = append(l.m.Assumptions[rt.ID], bgp+" (only static routes and propagations were saved)")
		l.bgpTables = append(l.bgpTables, rt.ID)
	}
}

// bgpWarning says which transit gateway route tables lack the routes
// learned by BGP.
func (l *loader) bgpWarning() {
	if len(l.bgpTables) > 0 {
		slices.Sort(l.bgpTables)
		l.warns = append(l.warns, Warning{File: l.root, Message: "transit gateway route table(s) " + strings.Join(slices.Compact(l.bgpTables), ", ") +
			": routes learned by BGP over VPN, Direct Connect or Connect attachments are in no saved file (only static routes and propagations); assumed absent, and traces through these tables say so"})
	}
}

// accountSeen reports whether the snapshot holds a folder for account (a
// snapshot without account folders holds every account it mentions).
func (l *loader) accountSeen(account string) bool {
	if len(l.accounts) == 0 {
		return true
	}
	return l.accounts[account]
}

// associationConflicts warns where the sources disagree on an attachment's
// route table: AWS associates an attachment with one table per transit
// gateway ("Transit gateway route tables", Transit Gateways Guide). The
// attachment's own Association is used where it has one (Model.Index).
func (l *loader) associationConflicts() {
	m := l.m
	tables := map[[2]string][]string{} // (tgw, attachment) -> tables listing it
	for _, id := range model.SortedKeys(m.TGWRouteTables) {
		rt := m.TGWRouteTables[id]
		for _, a := range rt.Associations {
			if a.State == "" || a.State == "associated" {
				k := [2]string{rt.TransitGatewayID, a.AttachmentID}
				tables[k] = append(tables[k], id)
			}
		}
	}
	for _, id := range model.SortedKeys(m.TGWAttachments) {
		a := m.TGWAttachments[id]
		own := map[string]*model.TGWAssociation{a.TransitGatewayID: a.Association}
		for _, s := range a.Sides {
			if s.TransitGatewayID != a.TransitGatewayID {
				own[s.TransitGatewayID] = s.Association
			}
		}
		for tgw, as := range own {
			listed := tables[[2]string{tgw, id}]
			switch {
			case len(listed) > 1:
				used := "none of them can be trusted; the attachment's own Association is used where it has one"
				if as != nil && as.RouteTableID != "" {
					used = "its own Association (" + as.RouteTableID + ") is used"
				}
				l.warns = append(l.warns, Warning{File: l.root, Message: fmt.Sprintf("%s is listed as associated with %d route tables of %s (%s), where AWS allows one; %s",
					id, len(listed), tgw, strings.Join(listed, ", "), used)})
			case len(listed) == 1 && as != nil && as.RouteTableID != "" && (as.State == "" || as.State == "associated") && as.RouteTableID != listed[0]:
				l.warns = append(l.warns, Warning{File: l.root, Message: fmt.Sprintf("%s: its Association names %s but %s lists it as associated; the attachment's own Association is used",
					id, as.RouteTableID, listed[0])})
			}
		}
	}
}
