# Terraform's aws_security_group removes the allow-all egress rule AWS
# adds at creation: a group without egress blocks sends nothing.
resource "aws_vpc" "main" {
  cidr_block = "10.33.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.33.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_security_group" "quiet" {
  name   = "quiet"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "open" {
  name   = "open"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.33.0.0/16"]
  }
}

resource "aws_instance" "quiet" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.quiet.id]
}

resource "aws_instance" "open" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.open.id]
}
