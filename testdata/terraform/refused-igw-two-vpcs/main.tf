# One internet gateway attached to two VPCs: AWS refuses the second
# attachment (Resource.AlreadyAssociated).

resource "aws_vpc" "a" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc" "b" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_internet_gateway" "shared" {
  vpc_id = aws_vpc.a.id
}

resource "aws_internet_gateway_attachment" "b" {
  internet_gateway_id = aws_internet_gateway.shared.id
  vpc_id              = aws_vpc.b.id
}
