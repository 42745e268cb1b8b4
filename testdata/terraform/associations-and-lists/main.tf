# The resource types no other network of the corpus uses: a secondary VPC
# CIDR, a managed prefix list with a separate entry used by a rule, an
# internet gateway attached separately, a main route table association, an
# interface endpoint whose subnets and groups come by association
# resources, and a private hosted zone associated by its own resource.
resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "second" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.71.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.70.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc_ipv4_cidr_block_association.second.vpc_id
  cidr_block        = "10.71.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_internet_gateway" "main" {}

resource "aws_internet_gateway_attachment" "main" {
  internet_gateway_id = aws_internet_gateway.main.id
  vpc_id              = aws_vpc.main.id
}

resource "aws_route_table" "main" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_main_route_table_association" "main" {
  vpc_id         = aws_vpc.main.id
  route_table_id = aws_route_table.main.id
}

resource "aws_ec2_managed_prefix_list" "office" {
  name           = "office"
  address_family = "IPv4"
  max_entries    = 5
}

resource "aws_ec2_managed_prefix_list_entry" "hq" {
  prefix_list_id = aws_ec2_managed_prefix_list.office.id
  cidr           = "203.0.113.0/24"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port       = 443
    to_port         = 443
    protocol        = "tcp"
    prefix_list_ids = [aws_ec2_managed_prefix_list.office.id]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.71.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "endpoint" {
  name   = "endpoint"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.70.0.0/15"]
  }
}

resource "aws_vpc_endpoint" "sts" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.sts"
  vpc_endpoint_type = "Interface"
}

resource "aws_vpc_endpoint_subnet_association" "sts" {
  vpc_endpoint_id = aws_vpc_endpoint.sts.id
  subnet_id       = aws_subnet.a.id
}

resource "aws_vpc_endpoint_security_group_association" "sts" {
  vpc_endpoint_id   = aws_vpc_endpoint.sts.id
  security_group_id = aws_security_group.endpoint.id
}

resource "aws_route53_zone" "internal" {
  name = "internal.example"
  vpc {
    vpc_id = aws_vpc.main.id
  }
  lifecycle {
    ignore_changes = [vpc]
  }
}

resource "aws_vpc" "other" {
  cidr_block = "10.72.0.0/16"
}

resource "aws_route53_zone_association" "other" {
  zone_id = aws_route53_zone.internal.zone_id
  vpc_id  = aws_vpc.other.id
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
}

resource "aws_instance" "client" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
