package estate

import (
	"fmt"
	"path/filepath"
	"slices"
)

// This file spreads an estate over accounts and regions and joins its VPCs
// (Spec.Regions > 0): one transit gateway per region, owned by account 0
// and shared, every VPC attached to its region's gateway, the gateways
// peered with each other, and VPC peering connections between VPCs 2k and
// 2k+1.
//
// Transit gateway route table t of a region is associated with every
// nT-th VPC attachment of that region (nT: the region's tables) and,
// table 0 only, with the region's peering attachments. Every table holds
// one route per VPC of the estate:
//
//   - a VPC of its region: propagated from the VPC's attachment (every
//     table has a propagation from every VPC attachment of its region);
//   - a VPC of another region: static, to the peering attachment with
//     that region (peering attachments carry static routes only, Transit
//     Gateways Guide, "Transit gateway peering attachments");
//   - the quarantined VPC (Quarantined): a static blackhole, which wins
//     over the propagated route for the same block.
//
// So a table has Spec.VPCs routes and the estate VPCs x TGWRouteTables.
// Every VPC route table routes 10.0.0.0/8 to the region's gateway and, in
// a peered VPC, the peer's /16 to the peering connection.

// lens are the lengths of the per-VPC lists, in the order spans use.
func (g *gen) lens() [9]int {
	return [9]int{len(g.vpcs), len(g.subnets), len(g.rts), len(g.nacls), len(g.sgs), len(g.enis), len(g.igws), len(g.nats), len(g.endpoints)}
}

// nAZOf is the number of availability zones VPC vi spreads over.
func nAZOf(vi int) int { return 2 + (vi+1)%2 }

func (g *gen) tgwID(r int) string        { return g.id("tgw-", kTGW, r) }
func (g *gen) vpcAttachID(vi int) string { return g.id("tgw-attach-", kTGWAttach, vi) }
func (g *gen) tgwRTID(k int) string      { return g.id("tgw-rtb-", kTGWRT, k) }

// peeringAttachID is the attachment that peers the gateways of regions a
// and b.
func (g *gen) peeringAttachID(a, b int) string {
	if a > b {
		a, b = b, a
	}
	return g.id("tgw-attach-", kTGWAttach, 1<<20+a*8+b)
}

// Quarantined is the VPC of a transit estate whose block every transit
// gateway route table blackholes: the first VPC after VPC 0 in VPC 0's
// region that is not VPC 0's peer.
func (s Spec) Quarantined() int {
	if s.Regions == 0 {
		return -1
	}
	return s.nthInRegion(0, 0, -1)
}

// nthInRegion is the n-th VPC (from 0) of region r, VPC 0, its peer and
// skip excluded; -1 when there is none.
func (s Spec) nthInRegion(r, n, skip int) int {
	for v := 1; v < s.VPCs; v++ {
		if v%s.Regions != r || v == skip || (s.Peerings > 0 && v == 1) {
			continue
		}
		if n == 0 {
			return v
		}
		n--
	}
	return -1
}

// transitFolder is what one <account>/<region> folder holds beyond the
// VPC lists.
type transitFolder struct {
	tgws        []awsTGW
	rts         []awsTGWRouteTable
	attachments []awsTGWAttachment
	vpcAttach   []awsTGWVPCAttachment
	tgwPeerings []awsTGWPeeringAttachment
	searches    []awsTGWSearch
	assocs      []awsTGWAssociations
	props       []awsTGWPropagations
	peerings    []awsPeering
}

// folderKey is (account index, region index).
type folderKey [2]int

func (g *gen) folderOf(vi int) folderKey {
	return folderKey{vi % g.spec.Accounts, vi % g.spec.Regions}
}

// buildTransit fills g.folders with the transit gateways, their tables and
// attachments, and the peering connections.
func (g *gen) buildTransit(plans []vpcPlan) {
	s := g.spec
	g.folders = map[folderKey]*transitFolder{}
	folder := func(k folderKey) *transitFolder {
		f := g.folders[k]
		if f == nil {
			f = &transitFolder{}
			g.folders[k] = f
		}
		return f
	}
	for vi := range s.VPCs {
		folder(g.folderOf(vi))
	}
	q := s.Quarantined()
	byRegion := make([][]int, s.Regions)
	for vi := range s.VPCs {
		byRegion[vi%s.Regions] = append(byRegion[vi%s.Regions], vi)
	}
	vpcLink := func(vi int) awsTGWLink {
		return awsTGWLink{ResourceID: g.vpcs[vi].VpcID, ResourceType: "vpc", TransitGatewayAttachmentID: g.vpcAttachID(vi)}
	}
	firstTable := 0
	for r := range s.Regions {
		rg := &regions[r]
		f := folder(folderKey{0, r})
		tgw := g.tgwID(r)
		name := fmt.Sprintf("estate-tgw-%s", rg.name)
		f.tgws = append(f.tgws, awsTGW{
			CreationTime: createTime,
			Description:  name,
			Options: awsTGWOptions{
				AmazonSideAsn: 64512 + int64(r), AutoAcceptSharedAttachments: "enable",
				DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable",
				VpnEcmpSupport: "enable", DnsSupport: "enable", SecurityGroupReferencingSupport: "disable", MulticastSupport: "disable",
			},
			OwnerID:           OwnerID,
			State:             "available",
			Tags:              nameTag(name),
			TransitGatewayArn: "arn:aws:ec2:" + rg.name + ":" + OwnerID + ":transit-gateway/" + tgw,
			TransitGatewayID:  tgw,
		})
		nT := share(s.TGWRouteTables, s.Regions, r)
		tableOf := func(pos int) string { return g.tgwRTID(firstTable + pos%nT) }
		// VPC attachments.
		for pos, vi := range byRegion[r] {
			subnets := make([]string, nAZOf(vi))
			for k := range subnets {
				subnets[k] = g.subnets[plans[vi].subnets[k]].SubnetID
			}
			id, owner := g.vpcAttachID(vi), g.ownerOf(vi)
			tags := nameTag(g.vpcs[vi].Tags[0].Value + "-attach")
			f.attachments = append(f.attachments, awsTGWAttachment{
				Association:  &awsTGWAssociation{State: "associated", TransitGatewayRouteTableID: tableOf(pos)},
				CreationTime: createTime, ResourceID: g.vpcs[vi].VpcID, ResourceOwnerID: owner, ResourceType: "vpc",
				State: "available", Tags: tags, TransitGatewayAttachmentID: id, TransitGatewayID: tgw, TransitGatewayOwnerID: OwnerID,
			})
			f.vpcAttach = append(f.vpcAttach, awsTGWVPCAttachment{
				CreationTime: createTime,
				Options:      awsTGWVPCAttachmentOptions{ApplianceModeSupport: "disable", DnsSupport: "enable", Ipv6Support: "disable", SecurityGroupReferencingSupport: "disable"},
				State:        "available", SubnetIDs: subnets, Tags: tags, TransitGatewayAttachmentID: id, TransitGatewayID: tgw,
				VpcID: g.vpcs[vi].VpcID, VpcOwnerID: owner,
			})
		}
		// Peering attachments with the other regions' gateways, seen from
		// this side; the lower region requested them.
		for o := range s.Regions {
			if o == r {
				continue
			}
			id := g.peeringAttachID(r, o)
			req, acc := min(r, o), max(r, o)
			f.tgwPeerings = append(f.tgwPeerings, awsTGWPeeringAttachment{
				AccepterTgwInfo:  awsTGWInfo{OwnerID: OwnerID, Region: regions[acc].name, TransitGatewayID: g.tgwID(acc)},
				RequesterTgwInfo: awsTGWInfo{OwnerID: OwnerID, Region: regions[req].name, TransitGatewayID: g.tgwID(req)},
				CreationTime:     createTime, State: "available", Status: awsStatus{Code: "available", Message: "Available"},
				Tags: nameTag(fmt.Sprintf("estate-tgw-peering-%s-%s", regions[req].name, regions[acc].name)), TransitGatewayAttachmentID: id,
			})
			f.attachments = append(f.attachments, awsTGWAttachment{
				Association:  &awsTGWAssociation{State: "associated", TransitGatewayRouteTableID: g.tgwRTID(firstTable)},
				CreationTime: createTime, ResourceID: g.tgwID(o), ResourceOwnerID: OwnerID, ResourceType: "peering",
				State: "available", Tags: []tag{}, TransitGatewayAttachmentID: id, TransitGatewayID: tgw, TransitGatewayOwnerID: OwnerID,
			})
		}
		// Route tables.
		for t := range nT {
			id := g.tgwRTID(firstTable + t)
			f.rts = append(f.rts, awsTGWRouteTable{
				CreationTime: createTime, State: "available", Tags: nameTag(fmt.Sprintf("%s-rt-%d", name, t)),
				TransitGatewayID: tgw, TransitGatewayRouteTableID: id,
			})
			as := awsTGWAssociations{Associations: []awsTGWLink{}, TransitGatewayRouteTableID: id}
			for pos, vi := range byRegion[r] {
				if pos%nT == t {
					l := vpcLink(vi)
					l.State = "associated"
					as.Associations = append(as.Associations, l)
				}
			}
			pr := awsTGWPropagations{TransitGatewayRouteTablePropagations: []awsTGWLink{}, TransitGatewayRouteTableID: id}
			for _, vi := range byRegion[r] {
				l := vpcLink(vi)
				l.State = "enabled"
				pr.TransitGatewayRouteTablePropagations = append(pr.TransitGatewayRouteTablePropagations, l)
			}
			if t == 0 {
				for o := range s.Regions {
					if o != r {
						as.Associations = append(as.Associations, awsTGWLink{ResourceID: g.tgwID(o), ResourceType: "peering", State: "associated", TransitGatewayAttachmentID: g.peeringAttachID(r, o)})
					}
				}
			}
			sr := awsTGWSearch{TransitGatewayRouteTableID: id}
			for vi := range s.VPCs {
				route := awsTGWRoute{DestinationCidrBlock: vpcBlock(vi).String(), State: "active"}
				switch o := vi % s.Regions; {
				case vi == q:
					route.State, route.Type = "blackhole", "static"
				case o == r:
					route.Type, route.TransitGatewayAttachments = "propagated", []awsTGWLink{vpcLink(vi)}
				default:
					route.Type = "static"
					route.TransitGatewayAttachments = []awsTGWLink{{ResourceID: g.tgwID(o), ResourceType: "peering", TransitGatewayAttachmentID: g.peeringAttachID(r, o)}}
				}
				sr.Routes = append(sr.Routes, route)
			}
			f.searches = append(f.searches, sr)
			f.assocs = append(f.assocs, as)
			f.props = append(f.props, pr)
		}
		firstTable += nT
	}
	// VPC peering connections, listed in both sides' folders.
	side := func(vi int) awsPeeringSide {
		b := vpcBlock(vi).String()
		return awsPeeringSide{CidrBlock: b, CidrBlockSet: []awsCidr{{CidrBlock: b}}, OwnerID: g.ownerOf(vi), Region: g.regionOf(vi).name, VpcID: g.vpcs[vi].VpcID}
	}
	for k := range s.Peerings {
		a, b := 2*k, 2*k+1
		pc := awsPeering{
			AccepterVpcInfo: side(b), RequesterVpcInfo: side(a),
			Status: awsStatus{Code: "active", Message: "Active"},
			Tags:   nameTag(fmt.Sprintf("estate-peering-%03d-%03d", a, b)), VpcPeeringConnectionID: g.id("pcx-", kPCX, k),
		}
		for _, vi := range []int{a, b} {
			f := folder(g.folderOf(vi))
			if !slices.ContainsFunc(f.peerings, func(o awsPeering) bool { return o.VpcPeeringConnectionID == pc.VpcPeeringConnectionID }) {
				f.peerings = append(f.peerings, pc)
			}
		}
	}
}

// crossFlows are the sample flows that leave their VPC (see Flow.Name).
func (g *gen) crossFlows(plans []vpcPlan) []Flow {
	s := g.spec
	web := func(vi int) *awsENI { return &g.enis[plans[vi].enis[1]] }
	app := func(vi int) *awsENI { return &g.enis[plans[vi].enis[2]] }
	data := func(vi int) *awsENI { return &g.enis[plans[vi].enis[4]] }
	q := s.Quarantined()
	f := func(name string, from, to *awsENI, toVPC, port int, want, at string, via ...string) Flow {
		return Flow{
			Name: fmt.Sprintf("%s@0>%d", name, toVPC), From: from.NetworkInterfaceID, FromIP: from.PrivateIPAddress,
			To: to.PrivateIPAddress, ToIP: to.PrivateIPAddress, Protocol: "tcp", Port: port, Want: want, BlockedAt: at, Via: via,
		}
	}
	const ok, no = "reachable", "blocked"
	var out []Flow
	// web admits tcp 443 from anywhere; the web subnet's ACL is the
	// default one and app's custom ACL allows the VPC and the ephemeral
	// replies in (see the package comment).
	if b := s.nthInRegion(0, 0, q); b >= 0 {
		out = append(out,
			f("tgw-same-region", app(0), web(b), b, 443, ok, "", "transit-gateway", "transit-gateway-attachment"),
			// data admits 5432 only from its own VPC's app group.
			f("sg-across-tgw", web(0), data(b), b, 5432, no, "security-group", "transit-gateway"))
	}
	if s.Regions > 1 {
		if c := s.nthInRegion(1, 0, -1); c >= 0 {
			out = append(out, f("tgw-inter-region", app(0), web(c), c, 443, ok, "", "transit-gateway", "transit-gateway-attachment"))
		}
	}
	if s.Peerings > 0 {
		out = append(out, f("vpc-peering", app(0), web(1), 1, 443, ok, "", "vpc-peering"))
	}
	if q >= 0 {
		out = append(out, f("tgw-blackhole", app(0), web(q), q, 443, no, "transit-gateway"))
	}
	return out
}

// writeTransit writes the estate into <dir>/<account>/<region>/ folders.
func (g *gen) writeTransit(w *fileWriter, spans [][2][9]int) {
	keys := make([]folderKey, 0, len(g.folders))
	for k := range g.folders {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b folderKey) int {
		if c := cmpStr(accountID(a[0]), accountID(b[0])); c != 0 {
			return c
		}
		return cmpStr(regions[a[1]].name, regions[b[1]].name)
	})
	for _, k := range keys {
		var vis []int
		for vi := range g.spec.VPCs {
			if g.folderOf(vi) == k {
				vis = append(vis, vi)
			}
		}
		pick := func(kind int) [][2]int {
			out := make([][2]int, len(vis))
			for n, vi := range vis {
				out[n] = [2]int{spans[vi][0][kind], spans[vi][1][kind]}
			}
			return out
		}
		rg := &regions[k[1]]
		w.region = filepath.Join(w.dir, accountID(k[0]), rg.name)
		if w.err == nil {
			w.err = mkdir(w.region)
		}
		writeList(w, fileVPCs, "Vpcs", gather(g.vpcs, pick(0)))
		writeList(w, fileSubnets, "Subnets", gather(g.subnets, pick(1)))
		writeList(w, fileRouteTables, "RouteTables", gather(g.rts, pick(2)))
		writeList(w, fileNACLs, "NetworkAcls", gather(g.nacls, pick(3)))
		writeList(w, fileSGs, "SecurityGroups", gather(g.sgs, pick(4)))
		writeList(w, fileENIs, "NetworkInterfaces", gather(g.enis, pick(5)))
		writeList(w, fileIGWs, "InternetGateways", gather(g.igws, pick(6)))
		writeList(w, fileNATs, "NatGateways", gather(g.nats, pick(7)))
		writeList(w, fileEndpoints, "VpcEndpoints", gather(g.endpoints, pick(8)))
		writeList(w, filePrefixLists, "PrefixLists", rg.prefixLists())
		f := g.folders[k]
		if len(f.peerings) > 0 {
			writeList(w, "ec2-describe-vpc-peering-connections.json", "VpcPeeringConnections", f.peerings)
		}
		if len(f.tgws) == 0 {
			continue
		}
		writeList(w, "ec2-describe-transit-gateways.json", "TransitGateways", f.tgws)
		writeList(w, "ec2-describe-transit-gateway-attachments.json", "TransitGatewayAttachments", f.attachments)
		writeList(w, "ec2-describe-transit-gateway-vpc-attachments.json", "TransitGatewayVpcAttachments", f.vpcAttach)
		writeList(w, "ec2-describe-transit-gateway-peering-attachments.json", "TransitGatewayPeeringAttachments", f.tgwPeerings)
		writeList(w, "ec2-describe-transit-gateway-route-tables.json", "TransitGatewayRouteTables", f.rts)
		for n := range f.rts {
			id := f.rts[n].TransitGatewayRouteTableID
			writeObject(w, "ec2-search-transit-gateway-routes-"+id+".json", &f.searches[n])
			writeObject(w, "ec2-get-transit-gateway-route-table-associations-"+id+".json", &f.assocs[n])
			writeObject(w, "ec2-get-transit-gateway-route-table-propagations-"+id+".json", &f.props[n])
		}
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// gather concatenates the spans of items.
func gather[T any](items []T, spans [][2]int) []T {
	var out []T
	for _, s := range spans {
		out = append(out, items[s[0]:s[1]]...)
	}
	return out
}

func (r *regionInfo) prefixLists() []awsPrefixList {
	return []awsPrefixList{
		{Cidrs: r.s3CIDRs, PrefixListID: r.s3PL, PrefixListName: "com.amazonaws." + r.name + ".s3"},
		{Cidrs: r.ddbCIDRs, PrefixListID: r.ddbPL, PrefixListName: "com.amazonaws." + r.name + ".dynamodb"},
	}
}

// countTransit adds the transit kinds to the summary.
func (g *gen) countTransit() {
	s := &g.sum
	s.Regions, s.Accounts = g.spec.Regions, g.spec.Accounts
	s.PrefixLists = 2 * g.spec.Regions
	s.VPCPeerings = g.spec.Peerings
	for _, f := range g.folders {
		s.TransitGateways += len(f.tgws)
		s.TGWRouteTables += len(f.rts)
		s.TGWAttachments += len(f.vpcAttach)
		for _, sr := range f.searches {
			s.TGWRoutes += len(sr.Routes)
		}
		for _, a := range f.assocs {
			s.TGWAssociations += len(a.Associations)
		}
		for _, p := range f.props {
			s.TGWPropagations += len(p.TransitGatewayRouteTablePropagations)
		}
	}
	// Each peering attachment is listed from both of its regions.
	s.TGWAttachments += g.spec.Regions * (g.spec.Regions - 1) / 2
}
