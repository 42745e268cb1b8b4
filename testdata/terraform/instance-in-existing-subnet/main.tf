# Instances added to an existing public subnet (the bundled example's
# public-a, given as variables): alone the plan cannot place them; over the
# example's snapshot the subnet's MapPublicIpOnLaunch (false) decides that
# web gets no public IPv4, while web_public asks for one.
variable "vpc_id" {
  type    = string
  default = "vpc-0db1c0ffee0000001"
}

variable "subnet_id" {
  type    = string
  default = "subnet-0a0000000000000a1"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = var.vpc_id
  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = var.subnet_id
  vpc_security_group_ids = [aws_security_group.web.id]
}

resource "aws_instance" "web_public" {
  ami                         = "ami-12345678"
  instance_type               = "t3.micro"
  subnet_id                   = var.subnet_id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.web.id]
}
