# The peer group of the module's inline rule comes through a module local:
# unknown until apply and not in the plan, so the rule stays with an
# unknown peer and what it decides is unknown (never a dropped rule).
resource "aws_vpc" "main" {
  cidr_block = "10.24.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.24.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.24.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_security_group" "client" {
  name   = "client"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "client" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.client.id]
}

module "app" {
  source        = "./modules/app"
  vpc_id        = aws_vpc.main.id
  subnet_id     = aws_subnet.b.id
  peer_group_id = aws_security_group.client.id
}
