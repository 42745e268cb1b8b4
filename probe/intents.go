package probe

import (
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
	"github.com/vpcpath/vpcpath/simulate/check"
)

// AddRequirements plans the checks for a requirement set (a profile's or an
// intent file's) as seen from the plan's source. The expectations are the
// simulator's predictions from this source, whatever a requirement expects:
// the probe tests the model, not the requirement. Requirements a probe
// cannot check from one host are listed in the plan's skipped list.
func (p *Planner) AddRequirements(f *check.File) error {
	for _, in := range f.Requirements {
		name := in.Name
		proto := in.Protocol
		if in.To.Resolver {
			// The resolver is checked by the DNS checks themselves (UDP, and
			// TCP on a truncated answer); a TCP connect to port 53 is a check
			// of its own.
			if proto == model.ProtoTCP && p.plan.Resolver != "" {
				host, _, _ := strings.Cut(p.plan.Resolver, ":")
				if err := p.Add(Want{Requirement: name, To: host, Ports: []model.PortRange{model.Port(53)}}); err != nil {
					return err
				}
			} else {
				p.Skip(name, "UDP 53 to the resolver is exercised by every DNS check")
			}
			continue
		}
		if proto != model.ProtoTCP {
			p.Skip(name, fmt.Sprintf("%s has no handshake: a probe cannot tell a drop from a silent listener", in.Protocol))
			continue
		}
		ports := in.Ports
		if len(ports) == 0 {
			ports = []model.PortRange{model.AllPorts}
		}
		var tos []string
		sel := in.To
		switch {
		case sel.Endpoint != "":
			tos = []string{sel.Endpoint}
		case sel.EndpointService != "":
			for _, ep := range p.M.EndpointsOf(p.src.VPCID) {
				if ep.ServiceName == sel.EndpointService {
					tos = append(tos, ep.ID)
				}
			}
			if len(tos) == 0 {
				p.Skip(name, "no endpoint for "+sel.EndpointService+" in "+p.src.VPCID)
				continue
			}
		case sel.Host != "":
			tos = []string{sel.Host}
		case sel.ENI != "":
			tos = []string{sel.ENI}
		case sel.Instance != "":
			tos = []string{sel.Instance}
		case sel.IP != "" && !strings.Contains(sel.IP, "/") && len(sel.Subnet) == 0 && len(sel.SecurityGroup) == 0 && len(sel.Tag) == 0:
			tos = []string{sel.IP}
		case sel.Internet:
			p.Skip(name, "\"the internet\" is no address to probe; plan a real one with --to HOST --port P")
			continue
		case sel.PrefixList != "":
			p.Skip(name, "prefix list "+sel.PrefixList+" names address ranges, not a host; plan a service host with --to HOST --port P")
			continue
		default:
			p.Skip(name, "selects interfaces by "+sel.String()+"; plan a specific peer with --to eni-... --port P")
			continue
		}
		for _, to := range tos {
			if err := p.Add(Want{Requirement: name, To: to, Ports: ports}); err != nil {
				return err
			}
		}
	}
	return nil
}
