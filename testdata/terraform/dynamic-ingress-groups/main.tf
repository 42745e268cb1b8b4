# The EKS-module pattern: ingress rules from a dynamic block over a map of
# peer groups known only after apply. The configuration holds no nested
# block for a dynamic one, so the peers stay unknown; the CIDR rules the
# dynamic block makes from constants are known.
variable "ports" {
  type    = list(number)
  default = [443]
}

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "nodes" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "control" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_security_group" "control" {
  name   = "control"
  vpc_id = aws_vpc.main.id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "nodes" {
  name   = "nodes"
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = { control = aws_security_group.control.id }
    content {
      description     = "from ${ingress.key}"
      from_port       = 10250
      to_port         = 10250
      protocol        = "tcp"
      security_groups = [ingress.value]
    }
  }
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.30.0.0/16"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "node" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.nodes.id
  vpc_security_group_ids = [aws_security_group.nodes.id]
}

resource "aws_instance" "control" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.control.id
  vpc_security_group_ids = [aws_security_group.control.id]
}
