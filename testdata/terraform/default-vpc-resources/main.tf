# aws_default_vpc and aws_default_subnet adopt the default VPC: its CIDR
# and the subnet's are known only after apply (the plan does not read
# them). Every default subnet maps public IPs and the default VPC's main
# table routes to its internet gateway, none of which the plan spells out.
resource "aws_default_vpc" "default" {}

resource "aws_default_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_default_vpc.default.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_default_subnet.a.id
  vpc_security_group_ids = [aws_security_group.web.id]
}
