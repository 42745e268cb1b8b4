# A custom network ACL on the app subnet allows 443 in and out but not the
# ephemeral ports replies come back on.
resource "aws_vpc" "main" {
  cidr_block = "10.34.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.34.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "client" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.34.2.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_network_acl" "app" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app.id]
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.34.0.0/16"
    from_port  = 443
    to_port    = 443
  }
  egress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.34.0.0/16"
    from_port  = 443
    to_port    = 443
  }
}

resource "aws_security_group" "all" {
  name   = "all"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.34.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.34.0.0/16"]
  }
}

resource "aws_instance" "app" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.all.id]
}

resource "aws_instance" "client" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.client.id
  vpc_security_group_ids = [aws_security_group.all.id]
}
