package simulate

import (
	"fmt"
	"net/netip"

	"github.com/vpcpath/vpcpath/internal/intervals"
	"github.com/vpcpath/vpcpath/model"
)

// StandInPrefix begins the ID of every stand-in interface.
const StandInPrefix = "eni-standin-"

// StandIn returns an interface standing for a workload in subnet sid
// carrying groups (with none, its VPC's default group, as a new instance
// gets), at the subnet's last usable address that neither the model nor
// taken holds (AWS reserves the first four and the last). It is not added
// to the model: pass it in Query.StandIns.
func StandIn(m *model.Model, sid string, groups []string, id string, taken func(netip.Addr) bool) (*model.ENI, error) {
	s := m.Subnets[sid]
	if s == nil {
		return nil, notFound(m, sid, model.KindSubnet)
	}
	if !s.CIDR.IsValid() {
		return nil, fmt.Errorf("subnet %s has no IPv4 block to place a stand-in node in", sid)
	}
	if len(groups) == 0 {
		groups = DefaultGroups(m, s.VPCID)
	}
	last := intervals.Last(s.CIDR).Prev()
	for (len(m.ENIsByIP(last)) > 0 || taken != nil && taken(last)) && s.CIDR.Contains(last) {
		last = last.Prev()
	}
	return &model.ENI{ID: id, SubnetID: sid, VPCID: s.VPCID, AZ: s.AZ, PrivateIPs: []netip.Addr{last}, Groups: groups,
		Type: "interface", Status: "in-use", SourceDestCheck: true, Description: "stand-in node (no running interface matched)"}, nil
}

// DefaultGroups returns the default security group of a VPC (as a list,
// empty when the model holds none): what a new instance gets.
func DefaultGroups(m *model.Model, vpcID string) []string {
	for _, gid := range model.SortedKeys(m.SecurityGroups) {
		if g := m.SecurityGroups[gid]; g.VPCID == vpcID && g.Name == "default" {
			return []string{gid}
		}
	}
	return nil
}
