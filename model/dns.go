package model

import "strings"

// Kinds of DNS data.
const (
	KindHostedZone      Kind = "HostedZones"
	KindRecordSet       Kind = "ResourceRecordSets"
	KindResolverRule    Kind = "ResolverRules"
	KindEndpointService Kind = "ServiceDetails"
)

// HostedZone is a Route 53 hosted zone. Name is lower case with the final
// dot ("example.com.").
type HostedZone struct {
	ID      string // without the "/hostedzone/" prefix
	Name    string
	Private bool
	// VPCs are the VPCs a private zone is associated with; VPCsKnown is
	// false when the snapshot lacks get-hosted-zone output for the zone.
	VPCs      []string
	VPCsKnown bool
	// Records are the zone's record sets; RecordsKnown is false when the
	// snapshot lacks list-resource-record-sets output for the zone.
	Records      []Record
	RecordsKnown bool
}

// Record is one Route 53 record set.
type Record struct {
	Name   string // lower case, final dot; may start with "*."
	Type   string // A, AAAA, CNAME, ...
	TTL    int
	Values []string
	Alias  *Alias
}

// Alias is a Route 53 alias target.
type Alias struct {
	DNSName      string
	HostedZoneID string
}

// ResolverRule is a Route 53 Resolver rule with the VPCs it is associated
// with.
type ResolverRule struct {
	ID      string
	Domain  string // lower case, final dot
	Type    string // FORWARD, SYSTEM, RECURSIVE
	Targets []string
	VPCs    []string
}

// EndpointService is a VPC endpoint service as describe-vpc-endpoint-services
// reports it: what private DNS names its interface endpoints serve.
type EndpointService struct {
	Name            string
	PrivateDNSNames []string // lower case, final dot; may start with "*."
	BaseDNSNames    []string
}

// FQDN returns name in lower case with exactly one final dot.
func FQDN(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	name = strings.TrimRight(name, ".")
	return name + "."
}

// InDomain reports whether name equals domain or lies under it. Both are
// FQDNs.
func InDomain(name, domain string) bool {
	return name == domain || domain == "." || strings.HasSuffix(name, "."+domain)
}

// MatchesRecord reports whether a query name matches a record name, which
// may be a wildcard ("*.example.com." matches "a.example.com." and
// "b.a.example.com." but not "example.com.").
func MatchesRecord(name, record string) bool {
	if rest, ok := strings.CutPrefix(record, "*."); ok {
		return strings.HasSuffix(name, "."+rest)
	}
	return name == record
}

// KindDHCPOptions is describe-dhcp-options output.
const KindDHCPOptions Kind = "DhcpOptions"

// DHCPOptions is a DHCP options set: the DNS servers it hands out.
type DHCPOptions struct {
	ID         string
	DNSServers []string // "AmazonProvidedDNS" or addresses
}

// CustomDNS reports whether the set hands out DNS servers other than the
// Amazon resolver, and which.
func (d *DHCPOptions) CustomDNS() ([]string, bool) {
	var custom []string
	for _, s := range d.DNSServers {
		if s != "AmazonProvidedDNS" {
			custom = append(custom, s)
		}
	}
	return custom, len(custom) > 0
}
