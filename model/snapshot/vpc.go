package snapshot

// VPCs, their subnets, attributes and DHCP option sets, and the
// Availability Zones that place a subnet in a region.

import (
	"encoding/json"
	"fmt"
	"net/netip"

	"github.com/vpcpath/vpcpath/model"
)

type pendingAttr struct {
	file, vpc, attr string
	val             *bool
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

// finishAttributes sets the VPC attributes (DNS support and host names)
// read from files of their own.
func (l *loader) finishAttributes() error {
	m := l.m
	for _, a := range l.attrs {
		v := m.VPCs[a.vpc]
		if v == nil {
			if m.Present[model.KindVPC] {
				return &Error{File: a.file, Field: "VpcId", Err: fmt.Errorf("%s is not among the snapshot's Vpcs", a.vpc)}
			}
			v = &model.VPC{ID: a.vpc}
			m.VPCs[a.vpc] = v
		}
		switch a.attr {
		case "EnableDnsSupport":
			v.DNSSupport = model.TriOf(*a.val)
		case "EnableDnsHostnames":
			v.DNSHostnames = model.TriOf(*a.val)
		}
		m.Present[model.KindVPCAttribute] = true
	}
	return nil
}
