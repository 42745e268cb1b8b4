package snapshot

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcpath/vpcpath/model"
)

// fakeAWS is an "aws" command for scripts/aws-cli-snapshot.sh: it prints
// the canned answer of each subcommand (a file named after it), the IDs a
// --query asks for, and fails on any subcommand it was not given, so that
// the test also pins the set of calls the script makes.
const fakeAWS = `#!/usr/bin/env bash
set -euo pipefail
sub="" query=""
args=("$@")
for ((i = 1; i < ${#args[@]}; i++)); do
  case "${args[$i]}" in
    --query) query=${args[$((i + 1))]}; i=$((i + 1)) ;;
    --*) i=$((i + 1)) ;;
    *) [ -z "$sub" ] && sub=${args[$i]} ;;
  esac
done
if [ -n "$query" ] && [ "${query:0:1}" != "{" ]; then
  f="$FAKE_AWS_DIR/$sub.ids"
else
  f="$FAKE_AWS_DIR/$sub.json"
fi
[ -f "$f" ] || { echo "fake aws: no answer for $* " >&2; exit 1; }
cat "$f"
`

func TestAWSCLISnapshotScript(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	answers := filepath.Join(dir, "answers")
	bin := filepath.Join(dir, "bin")
	for _, d := range []string{answers, bin} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(bin, "aws"), []byte(fakeAWS), 0o755); err != nil {
		t.Fatal(err)
	}
	canned := map[string]string{
		"describe-vpcs":                                `{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}]}`,
		"describe-vpcs.ids":                            "vpc-1\n",
		"describe-vpc-attribute":                       `{"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}}`,
		"describe-subnets":                             `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.1.1.0/24", "AvailabilityZone": "us-east-1a"}]}`,
		"describe-route-tables":                        `{"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Associations": [{"Main": true}], "Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}, {"DestinationCidrBlock": "0.0.0.0/0", "TransitGatewayId": "tgw-1", "Origin": "CreateRoute", "State": "active"}, {"DestinationCidrBlock": "192.168.0.0/16", "GatewayId": "vgw-1", "Origin": "EnableVgwRoutePropagation", "State": "active"}]}]}`,
		"describe-security-groups":                     `{"SecurityGroups": []}`,
		"describe-network-acls":                        `{"NetworkAcls": []}`,
		"describe-network-interfaces":                  `{"NetworkInterfaces": []}`,
		"describe-instances":                           `{"Reservations": []}`,
		"describe-vpc-endpoints":                       `{"VpcEndpoints": []}`,
		"describe-nat-gateways":                        `{"NatGateways": []}`,
		"describe-internet-gateways":                   `{"InternetGateways": []}`,
		"describe-prefix-lists":                        `{"PrefixLists": []}`,
		"describe-managed-prefix-lists":                `{"PrefixLists": []}`,
		"describe-managed-prefix-lists.ids":            "",
		"describe-vpc-peering-connections":             `{"VpcPeeringConnections": []}`,
		"describe-transit-gateways":                    `{"TransitGateways": [{"TransitGatewayId": "tgw-1", "State": "available", "Options": {"DefaultRouteTableAssociation": "enable", "AssociationDefaultRouteTableId": "tgw-rtb-0000000a"}}]}`,
		"describe-transit-gateway-attachments":         `{"TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "ResourceType": "vpc", "ResourceId": "vpc-1", "State": "available", "Association": {"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "State": "associated"}}]}`,
		"describe-transit-gateway-vpc-attachments":     `{"TransitGatewayVpcAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "TransitGatewayId": "tgw-1", "VpcId": "vpc-1", "SubnetIds": ["subnet-1"], "State": "available"}]}`,
		"describe-transit-gateway-peering-attachments": `{"TransitGatewayPeeringAttachments": []}`,
		"describe-transit-gateway-route-tables":        `{"TransitGatewayRouteTables": [{"TransitGatewayRouteTableId": "tgw-rtb-0000000a", "TransitGatewayId": "tgw-1", "State": "available"}]}`,
		"describe-transit-gateway-route-tables.ids":    "tgw-rtb-0000000a\n",
		// The CLI's own output: no table ID inside; the file name ties it.
		"search-transit-gateway-routes":                `{"Routes": [{"DestinationCidrBlock": "10.1.0.0/16", "Type": "propagated", "State": "active", "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-1", "ResourceId": "vpc-1", "ResourceType": "vpc"}]}], "AdditionalRoutesAvailable": false}`,
		"get-transit-gateway-route-table-associations": `{"Associations": [{"TransitGatewayAttachmentId": "tgw-attach-1", "ResourceId": "vpc-1", "ResourceType": "vpc", "State": "associated"}]}`,
		"get-transit-gateway-route-table-propagations": `{"TransitGatewayRouteTablePropagations": [{"TransitGatewayAttachmentId": "tgw-attach-1", "ResourceId": "vpc-1", "ResourceType": "vpc", "State": "enabled"}]}`,
		"describe-vpn-gateways":                        `{"VpnGateways": [{"VpnGatewayId": "vgw-1", "State": "available", "VpcAttachments": [{"VpcId": "vpc-1", "State": "attached"}]}]}`,
		"describe-vpn-connections":                     `{"VpnConnections": [{"VpnConnectionId": "vpn-1", "State": "available", "CustomerGatewayId": "cgw-1", "VpnGatewayId": "vgw-1", "VgwTelemetry": [{"Status": "UP"}, {"Status": "DOWN"}]}]}`,
		"describe-customer-gateways":                   `{"CustomerGateways": [{"CustomerGatewayId": "cgw-1", "IpAddress": "198.51.100.7", "BgpAsn": "65000"}]}`,
		"describe-availability-zones":                  `{"AvailabilityZones": [{"ZoneName": "us-east-1a", "RegionName": "us-east-1"}]}`,
		"describe-dhcp-options":                        `{"DhcpOptions": []}`,
		"describe-vpc-endpoint-services":               `{"ServiceDetails": []}`,
		"list-hosted-zones":                            `{"HostedZones": []}`,
		"list-hosted-zones.ids":                        "",
		"list-resolver-rules":                          `{"ResolverRules": []}`,
		"list-resolver-rule-associations":              `{"ResolverRuleAssociations": []}`,
		"describe-virtual-interfaces":                  `{"virtualInterfaces": [{"virtualInterfaceId": "dxvif-1", "virtualInterfaceType": "private", "virtualInterfaceState": "available", "virtualGatewayId": "vgw-1", "bgpPeers": [{"bgpStatus": "up"}]}]}`,
		"describe-direct-connect-gateways":             `{"directConnectGateways": [{"directConnectGatewayId": "dxgw-1", "amazonSideAsn": 64600, "directConnectGatewayState": "available"}]}`,
		"describe-direct-connect-gateways.ids":         "dxgw-1\n",
		"describe-direct-connect-gateway-associations": `{"directConnectGatewayAssociations": [{"directConnectGatewayId": "dxgw-1", "associationState": "associated", "associatedGateway": {"id": "tgw-1", "type": "transitGateway"}}]}`,
	}
	for name, body := range canned {
		if !strings.HasSuffix(name, ".ids") {
			name += ".json"
		}
		if err := os.WriteFile(filepath.Join(answers, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "snap")
	cmd := exec.Command(bash, filepath.Join("..", "..", "scripts", "aws-cli-snapshot.sh"), "us-east-1", out)
	cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "FAKE_AWS_DIR="+answers)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("aws-cli-snapshot.sh: %v\n%s", err, b)
	}
	m, w, err := LoadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range w {
		if !strings.Contains(x.Message, "partial snapshot") {
			t.Errorf("warning: %s", x)
		}
	}
	rt := m.TGWRouteTables["tgw-rtb-0000000a"]
	if rt == nil || rt.RoutesFrom != model.TGWRoutesSearched || len(rt.Routes) != 1 || len(rt.Associations) != 1 || len(rt.Propagations) != 1 {
		t.Errorf("TGW table from the per-table files: %+v", rt)
	}
	if c := m.VPNConnections["vpn-1"]; c == nil || c.AnyTunnelUp() != model.Yes {
		t.Errorf("VPN: %+v", c)
	}
	if d := m.DXGatewaysOf("tgw-1"); len(d) != 1 || d[0].ASN != 64600 {
		t.Errorf("Direct Connect gateway: %+v", d)
	}
	if v := m.VirtualInterfacesOf("vgw-1"); len(v) != 1 || !v[0].Up() {
		t.Errorf("virtual interfaces: %+v", v)
	}
	vrt := m.RouteTables["rtb-1"]
	if vrt == nil || len(vrt.Routes) != 3 || !vrt.Routes[2].Propagated() || vrt.Routes[2].Target.Kind != model.TargetVPNGateway || vrt.Routes[1].Target.Kind != model.TargetTransitGateway {
		t.Errorf("VPC route table with TGW and propagated VGW routes: %+v", vrt)
	}
}

// The JMESPath that scripts/aws-cli-snapshot.sh (and the copy in docs/snapshots.md)
// gives describe-vpn-connections drops the tunnels' pre-shared keys and
// keeps the rest. The AWS CLI evaluates it with the jmespath Python
// package; the test does the same where it is installed.
func TestAWSCLISnapshotScriptDropsVPNKeys(t *testing.T) {
	if err := exec.Command("python3", "-c", "import jmespath").Run(); err != nil {
		t.Skip("python3 with the jmespath package (the AWS CLI's) is not installed")
	}
	queryRE := regexp.MustCompile(`describe-vpn-connections [^\n]*--query '([^']+)'`)
	for _, f := range []string{filepath.Join("..", "..", "scripts", "aws-cli-snapshot.sh"), filepath.Join("..", "..", "docs", "snapshots.md")} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		q := queryRE.FindSubmatch(b)
		if q == nil {
			t.Fatalf("%s: no describe-vpn-connections --query", f)
		}
		in := `{"VpnConnections": [{"VpnConnectionId": "vpn-1", "CustomerGatewayConfiguration": "<pre_shared_key>K1</pre_shared_key>",
		  "Options": {"StaticRoutesOnly": true, "TunnelOptions": [{"OutsideIpAddress": "3.3.3.3", "PreSharedKey": "K2"}]},
		  "VgwTelemetry": [{"Status": "UP"}]}, {"VpnConnectionId": "vpn-2"}]}`
		py := "import jmespath, json, sys; print(json.dumps(jmespath.search(sys.argv[1], json.loads(sys.argv[2]))))"
		out, err := exec.Command("python3", "-c", py, string(q[1]), in).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: the query fails: %v\n%s", f, err, out)
		}
		m, _ := mustLoad(t, map[string]string{"vpn.json": string(out)})
		c := m.VPNConnections["vpn-1"]
		if strings.Contains(string(out), "K1") || strings.Contains(string(out), "K2") || c == nil || c.StaticRoutesOnly != model.Yes || c.AnyTunnelUp() != model.Yes ||
			m.VPNConnections["vpn-2"] == nil {
			t.Errorf("%s: the query gives %s", f, out)
		}
	}
}
