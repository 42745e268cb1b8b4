package snapshot

// Security groups and their rules, network ACLs and their entries.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

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
