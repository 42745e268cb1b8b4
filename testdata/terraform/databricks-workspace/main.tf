# A Databricks-like customer-managed VPC: two workspace subnets in two
# AZs, one workspace group (all from itself, 443/3306/6666/8443-8451 out)
# also used by the interface endpoints (REST, relay, STS) in an endpoint
# subnet, an S3 gateway endpoint, one NAT gateway for internet egress.
locals {
  workspace = {
    a = { cidr = "10.50.1.0/24", az = "us-east-1a" }
    b = { cidr = "10.50.2.0/24", az = "us-east-1b" }
  }
  endpoints = {
    rest  = "com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04"
    relay = "com.amazonaws.vpce.us-east-1.vpce-svc-00018a8c3ff62ffdf"
    sts   = "com.amazonaws.us-east-1.sts"
  }
}

resource "aws_vpc" "ws" {
  cidr_block           = "10.50.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_internet_gateway" "ws" {
  vpc_id = aws_vpc.ws.id
}

resource "aws_subnet" "public" {
  vpc_id            = aws_vpc.ws.id
  cidr_block        = "10.50.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "workspace" {
  for_each          = local.workspace
  vpc_id            = aws_vpc.ws.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
}

resource "aws_subnet" "endpoints" {
  vpc_id            = aws_vpc.ws.id
  cidr_block        = "10.50.3.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "ws" {
  subnet_id     = aws_subnet.public.id
  allocation_id = aws_eip.nat.id
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.ws.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.ws.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_route_table" "workspace" {
  vpc_id = aws_vpc.ws.id
  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.ws.id
  }
}

resource "aws_route_table_association" "workspace" {
  for_each       = aws_subnet.workspace
  subnet_id      = each.value.id
  route_table_id = aws_route_table.workspace.id
}

resource "aws_security_group" "workspace" {
  name   = "databricks-workspace"
  vpc_id = aws_vpc.ws.id
  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }
  ingress {
    from_port = 0
    to_port   = 65535
    protocol  = "udp"
    self      = true
  }
  egress {
    from_port = 0
    to_port   = 65535
    protocol  = "tcp"
    self      = true
  }
  egress {
    from_port = 0
    to_port   = 65535
    protocol  = "udp"
    self      = true
  }
  dynamic "egress" {
    for_each = [443, 3306, 6666]
    content {
      from_port   = egress.value
      to_port     = egress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 8443
    to_port     = 8451
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    from_port   = 53
    to_port     = 53
    protocol    = "udp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_endpoint" "interface" {
  for_each            = local.endpoints
  vpc_id              = aws_vpc.ws.id
  service_name        = each.value
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.endpoints.id]
  security_group_ids  = [aws_security_group.workspace.id]
  private_dns_enabled = true
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.ws.id
  service_name      = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = [aws_route_table.workspace.id]
}

resource "aws_instance" "node" {
  for_each               = aws_subnet.workspace
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = each.value.id
  vpc_security_group_ids = [aws_security_group.workspace.id]
}
