package snapshot

// Gateways out of a VPC: internet gateways, NAT gateways, VPC endpoints
// and the endpoint services they connect to.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

func (l *loader) vpcEndpoints(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wVpcEndpoint](file, "VpcEndpoints", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindVPCEndpoint] = true
	for i, w := range list {
		if w.VpcEndpointId == "" {
			return &Error{File: file, Field: field("VpcEndpoints", i, "", "VpcEndpointId"), Err: missing()}
		}
		typ := w.VpcEndpointType
		switch strings.ToLower(typ) {
		case "interface":
			typ = model.EndpointInterface
		case "gateway":
			typ = model.EndpointGateway
		case "gatewayloadbalancer":
			typ = model.EndpointGWLB
		default:
			return &Error{File: file, Field: field("VpcEndpoints", i, w.VpcEndpointId, "VpcEndpointType"), Err: fmt.Errorf("want Interface, Gateway or GatewayLoadBalancer, found %q", w.VpcEndpointType)}
		}
		ep := &model.VPCEndpoint{
			ID: w.VpcEndpointId, VPCID: w.VpcId, Type: typ, ServiceName: w.ServiceName, State: w.State,
			Subnets: w.SubnetIds, ENIs: w.NetworkInterfaceIds, RouteTables: w.RouteTableIds, Tags: tags(w.Tags),
		}
		if w.PrivateDnsEnabled != nil {
			ep.PrivateDNS = *w.PrivateDnsEnabled
		}
		for _, g := range w.Groups {
			ep.Groups = append(ep.Groups, g.GroupId)
		}
		for _, d := range w.DnsEntries {
			ep.DNSNames = append(ep.DNSNames, d.DnsName)
		}
		l.define("VpcEndpoints", ep.ID, file)
		l.m.Endpoints[ep.ID] = ep
	}
	return nil
}

func (l *loader) natGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wNatGateway](file, "NatGateways", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindNATGateway] = true
	for i, w := range list {
		if w.NatGatewayId == "" {
			return &Error{File: file, Field: field("NatGateways", i, "", "NatGatewayId"), Err: missing()}
		}
		n := &model.NATGateway{ID: w.NatGatewayId, VPCID: w.VpcId, SubnetID: w.SubnetId, State: w.State, Connectivity: w.ConnectivityType, Tags: tags(w.Tags)}
		if n.Connectivity == "" {
			n.Connectivity = "public"
		}
		for j, a := range w.NatGatewayAddresses {
			primary := a.IsPrimary == nil || *a.IsPrimary
			if !primary && n.ENIID != "" {
				continue
			}
			if a.NetworkInterfaceId != "" {
				n.ENIID = a.NetworkInterfaceId
			}
			if a.PrivateIp != "" {
				p, err := parseAddr(a.PrivateIp)
				if err != nil {
					return &Error{File: file, Field: field("NatGateways", i, n.ID, fmt.Sprintf("NatGatewayAddresses[%d].PrivateIp", j)), Err: err}
				}
				n.PrivateIP = p
			}
			if a.PublicIp != "" {
				p, err := parseAddr(a.PublicIp)
				if err != nil {
					return &Error{File: file, Field: field("NatGateways", i, n.ID, fmt.Sprintf("NatGatewayAddresses[%d].PublicIp", j)), Err: err}
				}
				n.PublicIP = p
			}
		}
		l.define("NatGateways", n.ID, file)
		l.m.NATGateways[n.ID] = n
	}
	return nil
}

func (l *loader) internetGateways(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wInternetGateway](file, "InternetGateways", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindInternetGateway] = true
	for i, w := range list {
		if w.InternetGatewayId == "" {
			return &Error{File: file, Field: field("InternetGateways", i, "", "InternetGatewayId"), Err: missing()}
		}
		g := &model.InternetGateway{ID: w.InternetGatewayId, Tags: tags(w.Tags)}
		for _, a := range w.Attachments {
			// "available" is what describe-internet-gateways reports for an
			// attached gateway; "attached" appears in some tools' output.
			if a.State == "available" || a.State == "attached" {
				g.VPCs = append(g.VPCs, a.VpcId)
			}
		}
		l.define("InternetGateways", g.ID, file)
		l.m.InternetGateways[g.ID] = g
	}
	return nil
}

func (l *loader) serviceDetails(file, region, key string, data []byte, raw *json.Decoder) error {
	list, err := decodeList[wServiceDetail](file, "ServiceDetails", data, raw)
	if err != nil {
		return err
	}
	l.m.Present[model.KindEndpointService] = true
	for i, w := range list {
		if w.ServiceName == "" {
			return &Error{File: file, Field: field("ServiceDetails", i, "", "ServiceName"), Err: missing()}
		}
		svc := &model.EndpointService{Name: w.ServiceName, BaseDNSNames: w.BaseEndpointDnsNames}
		seen := map[string]bool{}
		add := func(n string) {
			if n = strings.TrimSpace(n); n != "" && !seen[model.FQDN(n)] {
				seen[model.FQDN(n)] = true
				svc.PrivateDNSNames = append(svc.PrivateDNSNames, model.FQDN(n))
			}
		}
		add(w.PrivateDnsName)
		for _, n := range w.PrivateDnsNames {
			add(n.PrivateDnsName)
		}
		l.m.EndpointServices[svc.Name] = svc
	}
	return nil
}
