package simulate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vpcpath/vpcpath/model"
)

// appliance is a network appliance a route sends the packet through: an
// interface (or instance) with source/destination check off, or a Gateway
// Load Balancer endpoint (AWS Network Firewall's included)
// (aws-semantics: appliances; VPC guide, "Routing for a middlebox
// appliance",
// https://docs.aws.amazon.com/vpc/latest/userguide/gwlb-route.html).
// What the appliance does is in no describe output: the packet passes
// with an appliance hop and the assumption that it forwards it unchanged;
// --appliances strict answers unknown there instead. Its subnet's ACLs
// and its own groups apply to the packet reaching and leaving it; an
// interface with the check on drops traffic not addressed to it. After
// the appliance, its subnet's route table forwards the packet on.
func (t *tracer) appliance(f *flight) bool {
	id, p := f.at.id, f.packet
	eni, kind, missing := t.applianceENI(id, f.at.sub)
	if eni == nil {
		if f.at.sub != nil {
			t.naclCheck(f.at.sub, true, p)
			if t.dead() {
				return false
			}
		}
		t.unknown(Hop{Component: CompAppliance, ID: id, Direction: Forward, Code: CodeMissingData, Rule: kind, Ref: resourceRef(id), Reason: missing},
			"add the appliance's describe-network-interfaces (and describe-vpc-endpoints) output to the snapshot")
		return false
	}
	applSub := t.m.Subnets[eni.SubnetID]
	if applSub == nil {
		t.unknown(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeMissingData, Reason: "its subnet " + missingRef(t.m, eni.SubnetID, model.KindSubnet)}, "")
		return false
	}
	if f.at.sub == nil {
		t.naclCheck(applSub, false, p)
	} else {
		t.crossing(f.at.sub, applSub, p)
	}
	if t.dead() {
		return false
	}
	seen := slices.Contains(f.appl, eni.ID)
	if t.ret && seen {
		t.stateful(eni, false)
	} else {
		t.sgCheck(eni, false, p, peer{addr: p.src, eni: f.srcRef})
		if t.dead() {
			return false
		}
	}
	if in := t.m.Instances[eni.InstanceID]; in != nil && in.State != "" && in.State != "running" {
		t.deny(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeInstanceNotRunning, Rule: "instance " + in.State, Ref: resourceRef(eni.ID),
			Reason: fmt.Sprintf("the appliance %s belongs to %s, which is %s: it forwards nothing", eni.ID, in.ID, in.State)},
			"start "+in.ID+" (aws ec2 start-instances --instance-ids "+in.ID+")")
		return false
	}
	if kind == "network-interface" && eni.SourceDestCheck {
		t.deny(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeSourceDestCheck, Rule: "source/destination check on", Ref: resourceRef(eni.ID),
			Reason: fmt.Sprintf("%s has its source/destination check on: it drops traffic not addressed to it, and %s is not", eni.ID, p.dst)},
			fmt.Sprintf("turn the check off (aws ec2 modify-network-interface-attribute --network-interface-id %s --no-source-dest-check)", eni.ID))
		return false
	}
	if t.ret && !seen {
		// The reply passes an appliance the request did not: a stateful
		// appliance drops a reply of a connection it never saw.
		passed := "no appliance"
		if len(f.appl) > 0 {
			passed = strings.Join(f.appl, ", ")
		}
		why := fmt.Sprintf("the reply passes %s but the request passed %s: a stateful appliance drops the reply of a connection it never saw", eni.ID, passed)
		if f.noApplianceMode != "" {
			why += fmt.Sprintf(" (appliance mode is off on %s, so the gateway sends each direction through the interface of its own zone)", f.noApplianceMode)
		}
		t.res.Findings = append(t.res.Findings, "asymmetric path: "+why)
		t.deny(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeApplianceAsymmetric, Rule: "asymmetric", Ref: resourceRef(eni.ID), Reason: why},
			t.applianceModeFix(f))
		return false
	}
	if t.q.Appliances == AppliancesStrict {
		t.unknown(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeOutsideModel, Rule: kind, Ref: resourceRef(eni.ID),
			Reason: fmt.Sprintf("what the appliance %s does with the packet is in no describe output (--appliances strict)", eni.ID)},
			"check the appliance's own rules, or trace without --appliances strict to assume it forwards")
		return false
	}
	who := eni.ID
	if eni.InstanceID != "" {
		who += " of " + eni.InstanceID
	}
	t.allow(Hop{Component: CompAppliance, ID: eni.ID, Direction: Forward, Code: CodeApplianceAssumed, Rule: "forwards (assumed)", Ref: resourceRef(eni.ID),
		Reason: fmt.Sprintf("%s (%s, in %s) passes the packet on", who, kind, subnetLabel(applSub))})
	t.assume(fmt.Sprintf("the appliance %s forwards the packet unchanged (what an appliance does is in no describe output; --appliances strict answers unknown)", eni.ID))
	if t.ret && seen {
		t.stateful(eni, true)
	} else {
		t.sgCheck(eni, true, p, peer{addr: p.dst})
		if t.dead() {
			return false
		}
	}
	if t.ret {
		f.replAppl = append(f.replAppl, eni.ID)
	} else {
		f.appl = append(f.appl, eni.ID)
		if e := f.entered; e != nil && e.ResourceID == eni.VPCID && e.ApplianceMode != model.Yes && f.noApplianceMode == "" {
			f.noApplianceMode = e.ID
		}
	}
	f.at = loc{el: elRouter, vpc: eni.VPCID, sub: applSub, via: eni.ID}
	return true
}

// applianceENI returns the interface behind a route target: an
// interface, an instance's primary interface, or a Gateway Load Balancer
// endpoint's interface in the zone of sub (else its first).
func (t *tracer) applianceENI(id string, sub *model.Subnet) (*model.ENI, string, string) {
	switch {
	case strings.HasPrefix(id, "i-"):
		if t.m.Instances[id] == nil {
			return nil, "instance", missingRef(t.m, id, model.KindInstance)
		}
		if e := t.m.PrimaryENI(id); e != nil {
			return e, "network-interface", ""
		}
		return nil, "instance", "the snapshot holds no network interface of " + id
	case strings.HasPrefix(id, "vpce-"):
		ep := t.m.Endpoints[id]
		if ep == nil {
			return nil, "gateway-load-balancer-endpoint", missingRef(t.m, id, model.KindVPCEndpoint)
		}
		var first *model.ENI
		for _, eid := range ep.ENIs {
			e := t.m.ENIs[eid]
			if e == nil {
				continue
			}
			if sub != nil && e.AZ == sub.AZ {
				return e, "gateway-load-balancer-endpoint", ""
			}
			if first == nil {
				first = e
			}
		}
		if first == nil {
			return nil, "gateway-load-balancer-endpoint", "the snapshot holds no network interface of " + id
		}
		return first, "gateway-load-balancer-endpoint", ""
	}
	if e := t.m.ENIs[id]; e != nil {
		return e, "network-interface", ""
	}
	return nil, "network-interface", missingRef(t.m, id, model.KindENI)
}

// applianceModeFix turns appliance mode on where it was off.
func (t *tracer) applianceModeFix(f *flight) string {
	if f.noApplianceMode == "" {
		return "route the reply back through the appliance the request passed"
	}
	return fmt.Sprintf("turn appliance mode on (aws ec2 modify-transit-gateway-vpc-attachment --transit-gateway-attachment-id %s --options ApplianceModeSupport=enable)", f.noApplianceMode)
}

// AppliancesStrict is Query.Appliances for answering unknown at every
// appliance instead of assuming it forwards.
const AppliancesStrict = "strict"
