# A spoke VPC sends everything outside itself to a transit gateway: the
# path leaves the model there (unknown), while traffic inside the VPC is
# decided.
resource "aws_vpc" "spoke" {
  cidr_block = "10.63.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.spoke.id
  cidr_block        = "10.63.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_ec2_transit_gateway" "hub" {}

resource "aws_ec2_transit_gateway_vpc_attachment" "spoke" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.spoke.id
  subnet_ids         = [aws_subnet.a.id]
}

resource "aws_default_route_table" "spoke" {
  default_route_table_id = aws_vpc.spoke.default_route_table_id
  route {
    cidr_block         = "0.0.0.0/0"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}

resource "aws_security_group" "all" {
  name   = "all"
  vpc_id = aws_vpc.spoke.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["10.63.0.0/16"]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "a" {
  count                  = 2
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = [aws_security_group.all.id]
}
