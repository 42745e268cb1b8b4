variable "vpc_id" {
  type = string
}

variable "cidr" {
  type = string
}

variable "az" {
  type = string
}

variable "allow_from" {
  type = list(string)
}

resource "aws_subnet" "this" {
  vpc_id            = var.vpc_id
  cidr_block        = var.cidr
  availability_zone = var.az
}

resource "aws_security_group" "this" {
  name   = "tier-${var.az}"
  vpc_id = var.vpc_id
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = var.allow_from
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "this" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.this.id
  vpc_security_group_ids = [aws_security_group.this.id]
}

output "subnet_id" {
  value = aws_subnet.this.id
}
