# Routes AWS refuses: a default route to the internet gateway of another
# VPC and a route to the NAT gateway of another VPC ("belong to different
# networks", InvalidParameterValue), and two aws_route resources for one
# destination in one table (RouteAlreadyExists).

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_internet_gateway" "b" {
  vpc_id = aws_vpc.b.id
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.a.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "b_public" {
  vpc_id     = aws_vpc.b.id
  cidr_block = "10.1.1.0/24"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "b" {
  subnet_id     = aws_subnet.b_public.id
  allocation_id = aws_eip.nat.id
}

resource "aws_route_table" "a" {
  vpc_id = aws_vpc.a.id
}

resource "aws_route_table_association" "a" {
  subnet_id      = aws_subnet.a.id
  route_table_id = aws_route_table.a.id
}

resource "aws_route" "a_internet" {
  route_table_id         = aws_route_table.a.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.b.id
}

resource "aws_route" "a_partner" {
  route_table_id         = aws_route_table.a.id
  destination_cidr_block = "192.0.2.0/24"
  nat_gateway_id         = aws_nat_gateway.b.id
}

resource "aws_route" "a_partner_again" {
  route_table_id         = aws_route_table.a.id
  destination_cidr_block = "192.0.2.0/24"
  gateway_id             = aws_internet_gateway.b.id
}
