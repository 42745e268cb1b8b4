# A VPC module (variables in, outputs out) used by the root: the group's
# vpc_id, the peer group and the instances' subnets come through module
# outputs and variables.
module "vpc" {
  source = "./modules/vpc"
  cidr   = "10.23.0.0/16"
  azs    = ["us-east-1a", "us-east-1b"]
}

resource "aws_security_group" "client" {
  name   = "client"
  vpc_id = module.vpc.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "server" {
  name   = "server"
  vpc_id = module.vpc.vpc_id
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_vpc_security_group_ingress_rule" "server_from_client" {
  security_group_id            = aws_security_group.server.id
  referenced_security_group_id = aws_security_group.client.id
  ip_protocol                  = "tcp"
  from_port                    = 8443
  to_port                      = 8443
}

resource "aws_instance" "client" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.vpc.private_subnet_ids[0]
  vpc_security_group_ids = [aws_security_group.client.id]
}

resource "aws_instance" "server" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = module.vpc.private_subnet_ids[1]
  vpc_security_group_ids = [aws_security_group.server.id]
}
