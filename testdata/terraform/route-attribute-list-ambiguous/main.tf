# An attribute-list route table whose two routes go to two NAT gateways:
# the configuration has one expression for the whole list, so which route
# takes which gateway is not in the plan. The routes stay, with unknown
# targets, and what they decide is unknown.
resource "aws_vpc" "main" {
  cidr_block = "10.14.0.0/16"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.14.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "private" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.14.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "main" {
  subnet_id     = aws_subnet.public.id
  allocation_id = aws_eip.nat.id
}

resource "aws_eip" "nat2" {
  domain = "vpc"
}

resource "aws_nat_gateway" "second" {
  subnet_id     = aws_subnet.public.id
  allocation_id = aws_eip.nat2.id
}

locals {
  route_defaults = {
    carrier_gateway_id         = null
    core_network_arn           = null
    destination_prefix_list_id = null
    egress_only_gateway_id     = null
    gateway_id                 = null
    ipv6_cidr_block            = null
    local_gateway_id           = null
    network_interface_id       = null
    transit_gateway_id         = null
    vpc_endpoint_id            = null
    vpc_peering_connection_id  = null
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
  route = [
    merge(local.route_defaults, { cidr_block = "0.0.0.0/0", nat_gateway_id = aws_nat_gateway.main.id }),
    merge(local.route_defaults, { cidr_block = "192.0.2.0/24", nat_gateway_id = aws_nat_gateway.second.id }),
  ]
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
