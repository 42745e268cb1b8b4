package snapshot

// Route 53: hosted zones and their records, Resolver rules and their
// VPC associations.

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

type pendingRecords struct {
	file, zone string
	sets       []wRecordSet
}

type pendingRuleAssoc struct {
	file, rule, vpc string
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

// finishRecords gives the hosted zones their records (read from files of
// their own, one per zone).
func (l *loader) finishRecords() {
	m := l.m
	for _, pr := range l.records {
		z := l.zone(pr.zone)
		m.Present[model.KindRecordSet] = true
		z.RecordsKnown = true
		for _, w := range pr.sets {
			r := model.Record{Name: model.FQDN(strings.ReplaceAll(w.Name, `\052`, "*")), Type: strings.ToUpper(w.Type), TTL: w.TTL}
			for _, v := range w.ResourceRecords {
				r.Values = append(r.Values, v.Value)
			}
			if w.AliasTarget != nil {
				r.Alias = &model.Alias{DNSName: model.FQDN(w.AliasTarget.DNSName), HostedZoneID: w.AliasTarget.HostedZoneId}
			}
			if z.Name == "" && r.Type == "SOA" {
				z.Name = r.Name
			}
			z.Records = append(z.Records, r)
		}
	}
}

// finishRuleAssociations gives the Resolver rules the VPCs associated with
// them.
func (l *loader) finishRuleAssociations() {
	m := l.m
	for _, ra := range l.ruleVPCs {
		r := m.ResolverRules[ra.rule]
		if r == nil {
			if m.Present[model.KindResolverRule] {
				m.Dangling = append(m.Dangling, model.Dangling{Origin: ra.file, Field: "ResolverRuleAssociations (" + ra.rule + ").ResolverRuleId", ID: ra.rule, Kind: model.KindResolverRule})
			}
			continue
		}
		if !slices.Contains(r.VPCs, ra.vpc) {
			r.VPCs = append(r.VPCs, ra.vpc)
		}
	}
}
