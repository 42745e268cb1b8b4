# One spoke VPC: subnets per AZ (for_each), one route table sending
# everything outside the VPC to the transit gateway, and the VPC attachment
# (no default association or propagation: the root module wires the tables).

variable "name" { type = string }
variable "cidr" { type = string }
variable "subnets" { type = map(string) } # AZ => CIDR
variable "transit_gateway_id" { type = string }
variable "appliance_mode" {
  type    = bool
  default = false
}

resource "aws_vpc" "this" {
  cidr_block           = var.cidr
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = { Name = var.name }
}

resource "aws_subnet" "this" {
  for_each          = var.subnets
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key
  tags              = { Name = "${var.name}-${each.key}" }
}

resource "aws_route_table" "this" {
  vpc_id = aws_vpc.this.id
  tags   = { Name = var.name }
}

resource "aws_route_table_association" "this" {
  for_each       = aws_subnet.this
  subnet_id      = each.value.id
  route_table_id = aws_route_table.this.id
}

resource "aws_route" "to_hub" {
  route_table_id         = aws_route_table.this.id
  destination_cidr_block = "0.0.0.0/0"
  transit_gateway_id     = var.transit_gateway_id
  depends_on             = [aws_ec2_transit_gateway_vpc_attachment.this]
}

resource "aws_ec2_transit_gateway_vpc_attachment" "this" {
  transit_gateway_id                              = var.transit_gateway_id
  vpc_id                                          = aws_vpc.this.id
  subnet_ids                                      = [for s in aws_subnet.this : s.id]
  appliance_mode_support                          = var.appliance_mode ? "enable" : "disable"
  dns_support                                     = "enable"
  security_group_referencing_support              = "enable"
  transit_gateway_default_route_table_association = false
  transit_gateway_default_route_table_propagation = false
  tags                                            = { Name = var.name }
}

output "vpc_id" { value = aws_vpc.this.id }
output "route_table_id" { value = aws_route_table.this.id }
output "attachment_id" { value = aws_ec2_transit_gateway_vpc_attachment.this.id }
