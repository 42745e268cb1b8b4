package snapshot

// Route tables and their routes, and the prefix lists that routes and
// rules name.

import (
	"encoding/json"
	"fmt"
	"path"
	"regexp"

	"github.com/vpcpath/vpcpath/model"
)

type pendingEntries struct {
	file, plID string
	cidrs      []string
}

func routeTarget(w wRoute) model.Target {
	switch k := model.TargetKindOf(w.GatewayId); {
	case k == model.TargetLocal || k == model.TargetIGW || k == model.TargetVPCEndpoint || k == model.TargetVPNGateway:
		return model.Target{Kind: k, ID: w.GatewayId}
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

var plIDRE = regexp.MustCompile(`pl-[0-9a-f]{8,17}`)

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

// finishPrefixLists gives the lists their entries (read from files of
// their own, one per list).
func (l *loader) finishPrefixLists() error {
	m := l.m
	for _, pe := range l.entries {
		pl := m.PrefixLists[pe.plID]
		if pl == nil {
			pl = &model.PrefixList{ID: pe.plID}
			m.PrefixLists[pe.plID] = pl
			m.Present[model.KindPrefixList] = true
		}
		pl.CIDRs = pl.CIDRs[:0]
		for j, c := range pe.cidrs {
			p, err := parsePrefix(c)
			if err != nil {
				return &Error{File: pe.file, Field: fmt.Sprintf("Entries[%d].Cidr", j), Err: err}
			}
			pl.CIDRs = append(pl.CIDRs, p)
		}
		pl.CIDRsKnown = true
	}
	return nil
}
