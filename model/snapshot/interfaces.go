package snapshot

// Network interfaces and the instances that own them.

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

type pendingInstance struct {
	file, region string
	in           wInstance
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

func (l *loader) instance(pi pendingInstance) error {
	m := l.m
	w := pi.in
	in := &model.Instance{ID: w.InstanceId, SubnetID: w.SubnetId, VPCID: w.VpcId, Tags: tags(w.Tags)}
	if w.State != nil {
		in.State = w.State.Name
	}
	az := ""
	if w.Placement != nil {
		az = w.Placement.AvailabilityZone
	}
	type ix struct {
		id  string
		idx int
	}
	var enis []ix
	for k, wn := range w.NetworkInterfaces {
		if wn.NetworkInterfaceId == "" {
			return &Error{File: pi.file, Field: fmt.Sprintf("Reservations[].Instances[] (%s).NetworkInterfaces[%d].NetworkInterfaceId", w.InstanceId, k), Err: missing()}
		}
		idx := k
		if wn.Attachment != nil && wn.Attachment.DeviceIndex != nil {
			idx = *wn.Attachment.DeviceIndex
		}
		enis = append(enis, ix{wn.NetworkInterfaceId, idx})
		if e := m.ENIs[wn.NetworkInterfaceId]; e != nil {
			// describe-network-interfaces is authoritative; fill gaps only.
			// An ID that another instance already holds with other
			// addresses is a broken record (the cloudmapper demo reuses
			// one ENI ID for three instances): never lend one instance
			// another's address, subnet and groups.
			if e.InstanceID != "" && e.InstanceID != w.InstanceId {
				l.warns = append(l.warns, Warning{File: pi.file, Message: fmt.Sprintf(
					"Reservations[].Instances[] (%s).NetworkInterfaces[%d]: %s is already %s's interface (%s in %s); the duplicate ID is not used for %s",
					w.InstanceId, k, e.ID, e.InstanceID, e.PrimaryIP(), e.SubnetID, w.InstanceId)})
				enis = enis[:len(enis)-1]
				continue
			}
			if e.InstanceID == "" {
				e.InstanceID = w.InstanceId
			}
			continue
		}
		if wn.SubnetId == "" {
			wn.SubnetId = w.SubnetId
		}
		if wn.VpcId == "" {
			wn.VpcId = w.VpcId
		}
		e, err := l.eniFrom(pi.file, fmt.Sprintf("Reservations[].Instances[] (%s).NetworkInterfaces[%d]", w.InstanceId, k), wn, az)
		if err != nil {
			return err
		}
		e.InstanceID = w.InstanceId
		if e.DeviceIndex < 0 {
			e.DeviceIndex = idx
		}
		if idx == 0 && w.PublicIpAddress != "" && len(e.PublicIPs) == 0 && len(e.PrivateIPs) > 0 {
			if pub, err := parseAddr(w.PublicIpAddress); err == nil {
				e.PublicIPs = map[netip.Addr]netip.Addr{e.PrivateIPs[0]: pub}
			}
		}
		m.ENIs[e.ID] = e
		l.define("NetworkInterfaces", e.ID, pi.file)
	}
	sort.SliceStable(enis, func(a, b int) bool { return enis[a].idx < enis[b].idx })
	for _, e := range enis {
		in.ENIs = append(in.ENIs, e.id)
	}
	m.Instances[in.ID] = in
	return nil
}

// eniSubnets completes an interface from its subnet: its VPC (the
// subnet's wins when they disagree) and AZ, and warns of an address
// outside the subnet.
func (l *loader) eniSubnets() {
	m := l.m
	for _, id := range model.SortedKeys(m.ENIs) {
		e := m.ENIs[id]
		file := l.fileOf("NetworkInterfaces", id)
		if s := m.Subnets[e.SubnetID]; s != nil {
			if e.VPCID == "" {
				e.VPCID = s.VPCID
			} else if e.VPCID != s.VPCID {
				l.warns = append(l.warns, Warning{File: file, Message: fmt.Sprintf("NetworkInterfaces (%s).VpcId: %s, but its subnet %s is in %s; using the subnet's VPC", id, e.VPCID, s.ID, s.VPCID)})
				e.VPCID = s.VPCID
			}
			if e.AZ == "" {
				e.AZ = s.AZ
			}
			for _, a := range e.PrivateIPs {
				if s.CIDR.IsValid() && !s.Contains(a) {
					l.warns = append(l.warns, Warning{File: file, Message: fmt.Sprintf("NetworkInterfaces (%s).PrivateIpAddress: %s is outside its subnet %s (%s)", id, a, s.ID, s.CIDR)})
				}
			}
		}
	}
}
