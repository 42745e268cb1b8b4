variable "vpc_id" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "peer_group_id" {
  type = string
}

# terraform show -json exports no locals: a value that passes through one
# and is unknown until apply cannot be tied to its resource.
locals {
  allowed_groups = [var.peer_group_id]
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = var.vpc_id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = local.allowed_groups
  }
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
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [aws_security_group.app.id]
}

output "instance_id" {
  value = aws_instance.app.id
}
