# A hub-and-spoke estate for vpcpath's Terraform tests: workspace spokes and
# an inspection VPC on a transit gateway with isolated route tables, a
# metastore VPC peered with one workspace, on-premises behind a VPN on the
# transit gateway and a VPN on a virtual private gateway, a Direct Connect
# gateway, and an inter-region transit gateway peering.
#
#   terraform init && terraform plan -refresh=false -out=p && terraform show -json p > plan.json
#
# (offline, with the provider from a filesystem mirror; see gen.sh)

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

provider "aws" {
  alias                       = "west"
  region                      = "us-west-2"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

locals {
  spokes = {
    workspace-a = { cidr = "10.1.0.0/16", subnets = { us-east-1a = "10.1.1.0/24", us-east-1b = "10.1.2.0/24" }, inspection = false }
    workspace-b = { cidr = "10.2.0.0/16", subnets = { us-east-1a = "10.2.1.0/24" }, inspection = false }
    inspection  = { cidr = "10.3.0.0/16", subnets = { us-east-1a = "10.3.1.0/24", us-east-1b = "10.3.2.0/24" }, inspection = true }
  }
  workspaces = { for k, v in local.spokes : k => v if !v.inspection }
}

resource "aws_ec2_transit_gateway" "hub" {
  description                        = "hub"
  amazon_side_asn                    = 64512
  default_route_table_association    = "disable"
  default_route_table_propagation    = "disable"
  security_group_referencing_support = "enable"
  tags                               = { Name = "hub" }
}

module "spoke" {
  source             = "./modules/spoke"
  for_each           = local.spokes
  name               = each.key
  cidr               = each.value.cidr
  subnets            = each.value.subnets
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  appliance_mode     = each.value.inspection
}

# Spokes are isolated from each other: their table sends everything to the
# inspection VPC; the inspection table knows every spoke by propagation.
resource "aws_ec2_transit_gateway_route_table" "spokes" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "spokes" }
}

resource "aws_ec2_transit_gateway_route_table" "inspection" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  tags               = { Name = "inspection" }
}

resource "aws_ec2_transit_gateway_route_table_association" "workspace" {
  for_each                       = local.workspaces
  transit_gateway_attachment_id  = module.spoke[each.key].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route_table_association" "inspection" {
  transit_gateway_attachment_id  = module.spoke["inspection"].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

resource "aws_ec2_transit_gateway_route_table_propagation" "workspace" {
  for_each                       = local.workspaces
  transit_gateway_attachment_id  = module.spoke[each.key].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

resource "aws_ec2_transit_gateway_route" "spokes_default" {
  destination_cidr_block         = "0.0.0.0/0"
  transit_gateway_attachment_id  = module.spoke["inspection"].attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "spokes_quarantine" {
  destination_cidr_block         = "10.99.0.0/16"
  blackhole                      = true
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_managed_prefix_list" "corp" {
  name           = "corp"
  address_family = "IPv4"
  max_entries    = 4
  entry {
    cidr = "192.168.0.0/16"
  }
}

resource "aws_ec2_transit_gateway_prefix_list_reference" "corp" {
  prefix_list_id                 = aws_ec2_managed_prefix_list.corp.id
  transit_gateway_attachment_id  = aws_vpn_connection.office.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

# On-premises: a static VPN on the transit gateway.
resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "198.51.100.7"
  type       = "ipsec.1"
  tags       = { Name = "office" }
}

resource "aws_vpn_connection" "office" {
  customer_gateway_id = aws_customer_gateway.office.id
  transit_gateway_id  = aws_ec2_transit_gateway.hub.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_ec2_transit_gateway_route_table_association" "office" {
  transit_gateway_attachment_id  = aws_vpn_connection.office.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
}

resource "aws_ec2_transit_gateway_route" "office" {
  destination_cidr_block         = "172.20.0.0/16"
  transit_gateway_attachment_id  = aws_vpn_connection.office.transit_gateway_attachment_id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
}

# Direct Connect into the hub.
resource "aws_dx_gateway" "corp" {
  name            = "corp"
  amazon_side_asn = "64600"
}

resource "aws_dx_gateway_association" "hub" {
  dx_gateway_id         = aws_dx_gateway.corp.id
  associated_gateway_id = aws_ec2_transit_gateway.hub.id
  allowed_prefixes      = ["10.0.0.0/8"]
}

# The legacy metastore: its own VPC, peered with workspace-a, with a VPN
# of its own on a virtual private gateway.
resource "aws_vpc" "metastore" {
  cidr_block = "10.20.0.0/16"
  tags       = { Name = "metastore" }
}

resource "aws_subnet" "metastore" {
  vpc_id            = aws_vpc.metastore.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_vpc_peering_connection" "metastore" {
  vpc_id      = module.spoke["workspace-a"].vpc_id
  peer_vpc_id = aws_vpc.metastore.id
  auto_accept = true
}

resource "aws_vpc_peering_connection_options" "metastore" {
  vpc_peering_connection_id = aws_vpc_peering_connection.metastore.id
  accepter {
    allow_remote_vpc_dns_resolution = true
  }
}

resource "aws_route" "workspace_to_metastore" {
  route_table_id            = module.spoke["workspace-a"].route_table_id
  destination_cidr_block    = "10.20.0.0/16"
  vpc_peering_connection_id = aws_vpc_peering_connection.metastore.id
}

resource "aws_route_table" "metastore" {
  vpc_id = aws_vpc.metastore.id
  route {
    cidr_block                = "10.1.0.0/16"
    vpc_peering_connection_id = aws_vpc_peering_connection.metastore.id
  }
}

resource "aws_route_table_association" "metastore" {
  subnet_id      = aws_subnet.metastore.id
  route_table_id = aws_route_table.metastore.id
}

resource "aws_vpn_gateway" "metastore" {
  amazon_side_asn = 64513
}

resource "aws_vpn_gateway_attachment" "metastore" {
  vpc_id         = aws_vpc.metastore.id
  vpn_gateway_id = aws_vpn_gateway.metastore.id
}

resource "aws_vpn_gateway_route_propagation" "metastore" {
  vpn_gateway_id = aws_vpn_gateway.metastore.id
  route_table_id = aws_route_table.metastore.id
}

resource "aws_vpn_connection" "metastore" {
  customer_gateway_id = aws_customer_gateway.office.id
  vpn_gateway_id      = aws_vpn_gateway.metastore.id
  type                = "ipsec.1"
  static_routes_only  = true
}

resource "aws_vpn_connection_route" "metastore" {
  destination_cidr_block = "172.16.0.0/16"
  vpn_connection_id      = aws_vpn_connection.metastore.id
}

# Inter-region: a transit gateway in us-west-2, peered with the hub.
resource "aws_ec2_transit_gateway" "west" {
  provider    = aws.west
  description = "west"
}

resource "aws_ec2_transit_gateway_peering_attachment" "west" {
  transit_gateway_id      = aws_ec2_transit_gateway.hub.id
  peer_transit_gateway_id = aws_ec2_transit_gateway.west.id
  peer_region             = "us-west-2"
}

resource "aws_ec2_transit_gateway_peering_attachment_accepter" "west" {
  provider                      = aws.west
  transit_gateway_attachment_id = aws_ec2_transit_gateway_peering_attachment.west.id
}

resource "aws_ec2_transit_gateway_route_table_association" "west" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.inspection.id
  depends_on                     = [aws_ec2_transit_gateway_peering_attachment_accepter.west]
}

resource "aws_ec2_transit_gateway_route" "west" {
  destination_cidr_block         = "10.50.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_peering_attachment.west.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway_route_table.spokes.id
  depends_on                     = [aws_ec2_transit_gateway_peering_attachment_accepter.west]
}
