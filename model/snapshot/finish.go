package snapshot

import (
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// finish ties what only makes sense once every file is read: instances to
// their interfaces, prefix-list entries to lists, VPC attributes to VPCs;
// then checks references and builds the indexes.
func (l *loader) finish() error {
	m := l.m
	for _, pi := range l.instances {
		if err := l.instance(pi); err != nil {
			return err
		}
	}
	if err := l.finishPrefixLists(); err != nil {
		return err
	}
	l.finishRecords()
	l.finishRuleAssociations()
	if err := l.finishAttributes(); err != nil {
		return err
	}
	// Regions: a VPC's own file folder wins, then its subnets' folder or AZ.
	for id, r := range l.vpcFile {
		m.VPCRegion[id] = r
	}
	for _, s := range m.Subnets {
		if r := l.azRegion[s.AZ]; r != "" && m.VPCRegion[s.VPCID] == "" {
			m.VPCRegion[s.VPCID] = r
		}
	}
	for id, v := range m.VPCs {
		if v.Region == "" {
			v.Region = m.VPCRegion[id]
		}
		if v.Region != "" {
			m.VPCRegion[id] = v.Region
		}
	}
	if err := l.finishTransit(); err != nil {
		return err
	}
	// Interfaces take their subnet's VPC and AZ; then every reference is
	// checked (refs.go).
	l.eniSubnets()
	l.checkRefs()
	l.bgpWarning()
	for _, d := range m.Dangling {
		l.warns = append(l.warns, Warning{File: d.Origin, Message: d.Field + ": " + d.ID + " is not among the snapshot's " + string(d.Kind) + " (dangling reference); traces that need it answer unknown, or fail when the question names it"})
	}
	var absent []string
	for _, k := range coreKinds {
		if !m.Present[k] {
			absent = append(absent, string(k))
		}
	}
	if len(absent) > 0 {
		l.warns = append(l.warns, Warning{File: l.root, Message: "partial snapshot: no " + strings.Join(absent, ", ") +
			" described; flows that depend on them answer unknown"})
	}
	m.Index()
	return nil
}

// coreKinds are the kinds every trace reads.
var coreKinds = []model.Kind{model.KindVPC, model.KindSubnet, model.KindRouteTable, model.KindSecurityGroup, model.KindNetworkACL, model.KindENI}
