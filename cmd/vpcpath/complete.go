package main

import (
	"bufio"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcpath/vpcpath"
	"github.com/vpcpath/vpcpath/cmd/internal/probecmd"
	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// Shell completion: `vpcpath completion bash|zsh|fish|powershell` writes
// the script; the script calls the hidden `vpcpath __complete ARGS...`,
// which lands in the functions below. Each returns "value\tdescription"
// lines that start with what is typed. Values that come from the network
// (IDs) are read from the snapshot, example, plan or template already on
// the command line, quietly: completion prints no warnings, never collects
// live, and a network that fails to load completes nothing.

type completer = probecmd.Completer

// The general helpers live with the probe commands, which vpcpath-probe
// shares.
var (
	fixed          = probecmd.Fixed
	withPrefix     = probecmd.WithPrefix
	mustComplete   = probecmd.MustComplete
	completeOutput = probecmd.CompleteOutput
	completeFiles  = probecmd.CompleteFiles
	freeText       = probecmd.FreeText
)

func exampleEntries() []string {
	var out []string
	for _, n := range vpcpath.ExampleNames() {
		out = append(out, n+"\tbundled example network")
	}
	return out
}

var completeExamples = func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
	return withPrefix(exampleEntries(), typed), cobra.ShellCompDirectiveNoFileComp
}

func completeProfiles(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
	var out []string
	for _, p := range check.Profiles() {
		out = append(out, p.Name+"\t"+firstSentence(p.Doc))
	}
	return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
}

// firstSentence shortens a doc string to a completion description: its
// first sentence, without a closing parenthesis.
func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i]
	}
	s = strings.TrimSuffix(s, ".")
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			s = s[:i]
		}
	}
	return s
}

// anyFile completes file names of any kind (the shell's default).
func anyFile(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveDefault
}

func completeDirs(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return nil, cobra.ShellCompDirectiveFilterDirs
}

var (
	protocolValues  = []string{"tcp", "udp", "icmp", "icmpv6", "all\tevery protocol"}
	ephemeralValues = []string{"linux\t32768-60999", "windows\t49152-65535", "nat\t1024-65535 (NAT gateway, load balancer)"}
)

// bindCompletion registers what the flags of sourceOptions complete to.
func (o *sourceOptions) bindCompletion(c *cobra.Command) {
	mustComplete(c, "snapshot", completeDirs)
	mustComplete(c, "example", completeExamples)
	mustComplete(c, "plan", completeFiles("json"))
	mustComplete(c, "aws-profile", completeAWSProfiles)
	freeText(c, "region")
	o.template.bindCompletion(c)
}

// bindCompletion registers what the flags of templateOptions complete to.
func (o *templateOptions) bindCompletion(c *cobra.Command) {
	mustComplete(c, "template", completeFiles("yaml", "yml", "json", "template"))
	mustComplete(c, "template-params", completeFiles("json"))
	mustComplete(c, "stack-resources", completeFiles("json"))
	mustComplete(c, "change-set", completeFiles("json"))
	freeText(c, "template-param")
}

// completionModel loads the network already named on the command line for
// completion: never live, never a warning, nil on any error.
func (o *sourceOptions) completionModel() *model.Model {
	q := *o
	q.awsProfile, q.regions, q.quiet, q.strict = "", nil, true, false
	if q.validate() != nil {
		return nil
	}
	m, err := q.load(io.Discard)
	if err != nil {
		return nil
	}
	return m
}

// endpoint kinds a flag takes.
const (
	wantSource = iota // --from: an interface, an instance, a private IP
	wantDest          // --to: also an endpoint
)

// completeEndpoint completes --from or --to with the IDs of the network on
// the command line; addresses once a digit is typed.
func (o *sourceOptions) completeEndpoint(want int) completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		m := o.completionModel()
		if m == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		if typed != "" && (typed[0] >= '0' && typed[0] <= '9' || strings.Contains(typed, ":")) {
			for _, id := range model.SortedKeys(m.ENIs) {
				e := m.ENIs[id]
				for _, a := range append(append([]netip.Addr{}, e.PrivateIPs...), e.IPv6s...) {
					out = append(out, a.String()+"\t"+e.ID+describeName(e.Tags))
				}
			}
			return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
		}
		for _, id := range model.SortedKeys(m.Instances) {
			in := m.Instances[id]
			d := "instance"
			if e := m.PrimaryENI(id); e != nil && e.PrimaryIP().IsValid() {
				d += " " + e.PrimaryIP().String()
			}
			out = append(out, id+"\t"+d+describeName(in.Tags))
		}
		for _, id := range model.SortedKeys(m.ENIs) {
			e := m.ENIs[id]
			d := "interface"
			if e.PrimaryIP().IsValid() {
				d += " " + e.PrimaryIP().String()
			}
			if e.InstanceID != "" {
				d += " of " + e.InstanceID
			} else if e.Type != "" && e.Type != "interface" {
				d += " (" + e.Type + ")"
			}
			out = append(out, id+"\t"+d+describeName(e.Tags))
		}
		if want == wantDest {
			for _, id := range model.SortedKeys(m.Endpoints) {
				ep := m.Endpoints[id]
				out = append(out, id+"\t"+ep.Type+" endpoint "+ep.ServiceName+describeName(ep.Tags))
			}
		}
		out = withPrefix(out, typed)
		if want == wantDest && typed != "" && len(out) == 0 {
			// host names once typed and no ID matches: a network has many
			out = withPrefix(hostEntries(m), typed)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeHostName completes resolve's NAME with the host names the
// network knows.
func (o *sourceOptions) completeHostName(_ *cobra.Command, args []string, typed string) ([]string, cobra.ShellCompDirective) {
	m := o.completionModel()
	if m == nil || len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return withPrefix(hostEntries(m), typed), cobra.ShellCompDirectiveNoFileComp
}

// hostEntries are the host names the network itself answers: the records
// of its private hosted zones, the private DNS names of its interface
// endpoints' services, and the endpoints' own DNS names (wildcards left
// out: they are no name to type).
func hostEntries(m *model.Model) []string {
	var out []string
	seen := map[string]bool{}
	add := func(name, desc string) {
		name = strings.TrimSuffix(name, ".")
		if name == "" || strings.HasPrefix(name, "*") || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, name+"\t"+desc)
	}
	for _, id := range model.SortedKeys(m.HostedZones) {
		z := m.HostedZones[id]
		if !z.Private {
			continue
		}
		for _, r := range z.Records {
			if r.Type == "A" || r.Type == "AAAA" || r.Type == "CNAME" {
				add(r.Name, r.Type+" record of private zone "+strings.TrimSuffix(z.Name, "."))
			}
		}
	}
	for _, id := range model.SortedKeys(m.Endpoints) {
		ep := m.Endpoints[id]
		if ep.Type != model.EndpointInterface {
			continue
		}
		if svc := m.EndpointServices[ep.ServiceName]; svc != nil && ep.PrivateDNS {
			for _, n := range svc.PrivateDNSNames {
				add(n, "private DNS name of "+id)
			}
		}
		for _, n := range ep.DNSNames {
			add(n, "DNS name of "+id)
		}
	}
	return out
}

func describeName(t model.Tags) string {
	if n := t.Name(); n != "" {
		return " (" + n + ")"
	}
	return ""
}

// paramValues are the values a profile parameter takes, by its name:
// resources of the network, or a closed list.
func paramValues(m *model.Model, name string) []string {
	switch {
	case name == "vpc":
		return vpcEntries(m)
	case strings.HasSuffix(name, "subnets"):
		return subnetEntries(m)
	case strings.HasSuffix(name, "_sg"):
		return groupEntries(m)
	case strings.HasSuffix(name, "_endpoint"):
		return endpointEntries(m)
	case name == "region":
		return m.Regions
	case name == "egress":
		return []string{"nat\tthrough a NAT gateway", "isolated\tno internet egress"}
	}
	return nil
}

func vpcEntries(m *model.Model) []string {
	var out []string
	for _, id := range model.SortedKeys(m.VPCs) {
		v := m.VPCs[id]
		d := "VPC"
		if len(v.CIDRs) > 0 {
			d += " " + v.CIDRs[0].String()
		}
		out = append(out, id+"\t"+d+describeName(v.Tags))
	}
	return out
}

// subnetEntries are subnet IDs, and Name tags, which the profiles take too.
func subnetEntries(m *model.Model) []string {
	var out, names []string
	for _, id := range model.SortedKeys(m.Subnets) {
		s := m.Subnets[id]
		out = append(out, id+"\tsubnet "+s.CIDR.String()+" "+s.AZ+describeName(s.Tags))
		if n := s.Tags.Name(); n != "" && !strings.ContainsAny(n, ", \t") {
			names = append(names, n+"\tName tag of "+id)
		}
	}
	return append(out, names...)
}

func groupEntries(m *model.Model) []string {
	var out []string
	for _, id := range model.SortedKeys(m.SecurityGroups) {
		g := m.SecurityGroups[id]
		out = append(out, id+"\tsecurity group "+g.Name+" in "+g.VPCID)
	}
	return out
}

func endpointEntries(m *model.Model) []string {
	var out []string
	for _, id := range model.SortedKeys(m.Endpoints) {
		ep := m.Endpoints[id]
		out = append(out, id+"\t"+ep.Type+" endpoint "+ep.ServiceName)
	}
	return out
}

// completeParam completes --param KEY=VALUE: the keys of the profile named
// with --profile, then the values of the key (after the last comma of a
// list), from the network on the command line.
func completeParam(profile *string, src func() *model.Model) completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		p, err := check.ProfileByName(*profile)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		key, value, hasValue := strings.Cut(typed, "=")
		if !hasValue {
			var out []string
			for _, prm := range p.Params {
				out = append(out, prm.Name+"=\t"+firstSentence(prm.Doc))
			}
			return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		}
		var def string
		known := false
		for _, prm := range p.Params {
			if prm.Name == key {
				known, def = true, prm.Default
			}
		}
		if !known {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var values []string
		if def == "true" || def == "false" {
			values = []string{"true", "false"}
		} else if m := src(); m != nil {
			values = paramValues(m, key)
		}
		head := key + "="
		if i := strings.LastIndex(value, ","); i >= 0 {
			head, value = head+value[:i+1], value[i+1:]
		}
		var out []string
		for _, v := range withPrefix(values, value) {
			out = append(out, head+v)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeEndpointName completes --endpoint-name NAME=vpce-ID after the
// "=" with the interface endpoints of the network on the command line.
func completeEndpointName(src func() *model.Model) completer {
	return func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		name, _, ok := strings.Cut(typed, "=")
		m := src()
		if !ok || m == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, eid := range model.SortedKeys(m.Endpoints) {
			if ep := m.Endpoints[eid]; ep.Type == model.EndpointInterface {
				out = append(out, name+"="+eid+"\t"+ep.ServiceName)
			}
		}
		return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeAWSProfiles completes the profiles of the shared config and
// credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, else
// ~/.aws/config and ~/.aws/credentials).
func completeAWSProfiles(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
	home, _ := os.UserHomeDir()
	files := []struct {
		env, def string
		config   bool
	}{
		{"AWS_CONFIG_FILE", filepath.Join(home, ".aws", "config"), true},
		{"AWS_SHARED_CREDENTIALS_FILE", filepath.Join(home, ".aws", "credentials"), false},
	}
	seen := map[string]bool{}
	var out []string
	for _, f := range files {
		path := os.Getenv(f.env)
		if path == "" {
			path = f.def
		}
		for _, n := range iniProfiles(path, f.config) {
			if !seen[n] {
				seen[n] = true
				out = append(out, n+"\tAWS profile ("+filepath.Base(path)+")")
			}
		}
	}
	return withPrefix(out, typed), cobra.ShellCompDirectiveNoFileComp
}

// iniProfiles lists the profile sections of a shared config file
// ("[profile NAME]", and "[default]") or credentials file ("[NAME]").
func iniProfiles(path string, config bool) []string {
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "[") || !strings.HasSuffix(line, "]") {
			continue
		}
		name := strings.TrimSpace(line[1 : len(line)-1])
		if config && name != "default" {
			rest, ok := strings.CutPrefix(name, "profile ")
			if !ok {
				continue // [sso-session x], [services x]
			}
			name = strings.TrimSpace(rest)
		}
		if name != "" {
			out = append(out, name)
		}
	}
	return out
}
