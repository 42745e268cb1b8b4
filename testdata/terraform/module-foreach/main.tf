# One module called by for_each: each instance of the module builds a
# subnet, a group and an instance; variables reach each instance with its
# own values (module.tier["app"], module.tier["db"]).
resource "aws_vpc" "main" {
  cidr_block = "10.65.0.0/16"
}

module "tier" {
  source   = "./modules/tier"
  for_each = {
    app = { cidr = "10.65.1.0/24", az = "us-east-1a", allow_from = ["10.65.0.0/16"] }
    db  = { cidr = "10.65.2.0/24", az = "us-east-1b", allow_from = ["10.65.1.0/24"] }
  }
  vpc_id     = aws_vpc.main.id
  cidr       = each.value.cidr
  az         = each.value.az
  allow_from = each.value.allow_from
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "tier" {
  for_each       = module.tier
  subnet_id      = each.value.subnet_id
  route_table_id = aws_route_table.private.id
}
