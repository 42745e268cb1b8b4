# Subnets added to the bundled example's VPC (vpc-0db1c0ffee0000001,
# 10.0.0.0/16, given by ID: the plan does not create it). Applied over the
# example (--example databricks-privatelink --plan), one overlaps the
# existing workspace-a subnet 10.0.1.0/24 (InvalidSubnet.Conflict) and one
# lies outside the VPC (InvalidSubnet.Range); the third is fine.
variable "vpc_id" {
  type    = string
  default = "vpc-0db1c0ffee0000001"
}

resource "aws_subnet" "overlap" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.1.64/26"
}

resource "aws_subnet" "outside" {
  vpc_id     = var.vpc_id
  cidr_block = "10.9.0.0/24"
}

resource "aws_subnet" "fine" {
  vpc_id     = var.vpc_id
  cidr_block = "10.0.200.0/24"
}
