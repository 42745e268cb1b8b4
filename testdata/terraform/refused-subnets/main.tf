# AWS refuses three of these subnets: one outside the VPC's block
# (InvalidSubnet.Range), one smaller than /28 (InvalidSubnet.Range), one
# overlapping another (InvalidSubnet.Conflict). Terraform plans them all:
# the provider does not check a subnet against its VPC.

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "outside" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.9.1.0/24"
}

resource "aws_subnet" "tiny" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/29"
}

resource "aws_subnet" "overlap" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.128/25"
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_instance" "a" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_instance" "b" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
}
