# A transit gateway left to its defaults: every attachment is associated
# with, and propagates to, the gateway's default route table, which only
# exists after apply. Two VPCs (for_each), a route to the hub in each.
#
# Regenerate plan.json with ../gen.sh.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
}

provider "aws" {
  region                      = "eu-west-1"
  access_key                  = "test"
  secret_key                  = "test"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

locals {
  vpcs = {
    app  = "10.10.0.0/16"
    data = "10.11.0.0/16"
  }
}

resource "aws_ec2_transit_gateway" "hub" {
  description = "defaults"
}

resource "aws_vpc" "this" {
  for_each   = local.vpcs
  cidr_block = each.value
  tags       = { Name = each.key }
}

resource "aws_subnet" "this" {
  for_each          = local.vpcs
  vpc_id            = aws_vpc.this[each.key].id
  cidr_block        = cidrsubnet(each.value, 8, 1)
  availability_zone = "eu-west-1a"
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  for_each           = local.vpcs
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.this[each.key].id
  subnet_ids         = [aws_subnet.this[each.key].id]
}

resource "aws_route" "to_hub" {
  for_each               = local.vpcs
  route_table_id         = aws_vpc.this[each.key].main_route_table_id
  destination_cidr_block = "10.0.0.0/8"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
