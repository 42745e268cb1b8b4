# The default VPC read through data sources. Their read waits for apply
# here (depends_on a resource being created), so every value is unknown:
# the instance cannot be placed and what depends on it is unknown.
resource "aws_security_group" "marker" {
  name = "marker"
}

data "aws_vpc" "default" {
  default    = true
  depends_on = [aws_security_group.marker]
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = data.aws_vpc.default.id
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
  subnet_id              = data.aws_subnets.default.ids[0]
  vpc_security_group_ids = [aws_security_group.web.id]
}
