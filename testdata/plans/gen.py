#!/usr/bin/env python3
"""Writes the Terraform plans of the bundled databricks-privatelink example.

Terraform's AWS provider cannot be downloaded where vpcpath is tested, so
these plans are written in the exact shape of `terraform show -json
plan.out` (format_version 1.2): planned_values.root_module (with a child
module), resource_changes with actions/before/after/after_unknown, and
configuration with each expression's references.

  databricks-privatelink.plan.json   the example as a fresh deployment: every
                                     ID unknown until apply, tied by references
  fail-*.plan.json                   the deployed example (IDs known) with one
                                     change of a Databricks failure class

Run: python3 testdata/plans/gen.py   (from the repository root)
"""
import copy
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
VPC_MOD = "module.network"  # the VPC, subnets, gateways live in a child module


class Ref:
    """A reference to another resource's attribute."""

    def __init__(self, addr, attr="id"):
        self.addr, self.attr = addr, attr


def R(addr, typ, name, ident, values, module=""):
    return {"addr": (module + "." if module else "") + addr, "module": module, "type": typ, "name": name,
            "id": ident, "values": values, "mode": "data" if addr.startswith("data.") else "managed"}


def sg_rule_block(**kw):
    base = {"cidr_blocks": [], "description": "", "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
            "protocol": "tcp", "security_groups": [], "self": False, "to_port": 0}
    base.update(kw)
    return base


WS, VPCE = "aws_security_group.workspace", "aws_security_group.vpce"
N = VPC_MOD + "."


def resources():
    res = [
        R("aws_vpc.this", "aws_vpc", "this", "vpc-0db1c0ffee0000001", {
            "cidr_block": "10.0.0.0/16", "enable_dns_support": True, "enable_dns_hostnames": True,
            "instance_tenancy": "default", "tags": {"Name": "databricks-workspace"}}, VPC_MOD),
    ]
    for key, sid, cidr, az in [("public-a", "subnet-0a0000000000000a1", "10.0.0.0/24", "us-east-1a"),
                               ("workspace-a", "subnet-0a0000000000000b1", "10.0.1.0/24", "us-east-1a"),
                               ("workspace-b", "subnet-0a0000000000000b2", "10.0.2.0/24", "us-east-1b"),
                               ("endpoints-a", "subnet-0a0000000000000c1", "10.0.3.0/26", "us-east-1a"),
                               ("endpoints-b", "subnet-0a0000000000000c2", "10.0.3.64/26", "us-east-1b")]:
        res.append(R('aws_subnet.this["%s"]' % key, "aws_subnet", "this", sid, {
            "vpc_id": Ref(N + "aws_vpc.this"), "cidr_block": cidr, "availability_zone": az,
            "map_public_ip_on_launch": False, "tags": {"Name": key}}, VPC_MOD))
    sub = lambda k: Ref(N + 'aws_subnet.this["%s"]' % k)
    res += [
        R("aws_internet_gateway.this", "aws_internet_gateway", "this", "igw-0a00000000000000f",
          {"vpc_id": Ref(N + "aws_vpc.this"), "tags": {"Name": "databricks-igw"}}, VPC_MOD),
        R("aws_eip.nat", "aws_eip", "nat", "eipalloc-0a0000000000000e0", {"domain": "vpc", "public_ip": "203.0.113.10"}, VPC_MOD),
        R("aws_nat_gateway.this", "aws_nat_gateway", "this", "nat-0a00000000000000e", {
            "subnet_id": sub("public-a"), "allocation_id": Ref(N + "aws_eip.nat"), "connectivity_type": "public",
            "private_ip": "10.0.0.10", "tags": {"Name": "databricks-nat"}}, VPC_MOD),
        R("aws_default_route_table.main", "aws_default_route_table", "main", "rtb-0a0000000000000a0", {
            "default_route_table_id": Ref(N + "aws_vpc.this", "default_route_table_id"), "route": [],
            "tags": {"Name": "main"}}, VPC_MOD),
        R("aws_route_table.public", "aws_route_table", "public", "rtb-0a0000000000000a1", {
            "vpc_id": Ref(N + "aws_vpc.this"),
            "route": [{"cidr_block": "0.0.0.0/0", "gateway_id": Ref(N + "aws_internet_gateway.this")}],
            "tags": {"Name": "public"}}, VPC_MOD),
        R("aws_route_table.workspace", "aws_route_table", "workspace", "rtb-0a0000000000000a2", {
            "vpc_id": Ref(N + "aws_vpc.this"), "tags": {"Name": "workspace"}}, VPC_MOD),
        R("aws_route.workspace_nat", "aws_route", "workspace_nat", "r-rtb-0a0000000000000a21080289494", {
            "route_table_id": Ref(N + "aws_route_table.workspace"), "destination_cidr_block": "0.0.0.0/0",
            "nat_gateway_id": Ref(N + "aws_nat_gateway.this")}, VPC_MOD),
        R('aws_route_table_association.public', "aws_route_table_association", "public", "rtbassoc-0a00000000000a1", {
            "subnet_id": sub("public-a"), "route_table_id": Ref(N + "aws_route_table.public")}, VPC_MOD),
        R('aws_route_table_association.workspace["workspace-a"]', "aws_route_table_association", "workspace", "rtbassoc-0a00000000000b1", {
            "subnet_id": sub("workspace-a"), "route_table_id": Ref(N + "aws_route_table.workspace")}, VPC_MOD),
        R('aws_route_table_association.workspace["workspace-b"]', "aws_route_table_association", "workspace", "rtbassoc-0a00000000000b2", {
            "subnet_id": sub("workspace-b"), "route_table_id": Ref(N + "aws_route_table.workspace")}, VPC_MOD),
        R("aws_default_network_acl.default", "aws_default_network_acl", "default", "acl-0a0000000000000d0", {
            "default_network_acl_id": Ref(N + "aws_vpc.this", "default_network_acl_id"),
            "ingress": [{"rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0", "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""}],
            "egress": [{"rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0", "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""}],
            "tags": {"Name": "default"}}, VPC_MOD),
        R("aws_network_acl.workspace", "aws_network_acl", "workspace", "acl-0a0000000000000d1", {
            "vpc_id": Ref(N + "aws_vpc.this"), "subnet_ids": [sub("workspace-a"), sub("workspace-b")],
            "ingress": [{"rule_no": 100, "action": "allow", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_block": "0.0.0.0/0", "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""}],
            "tags": {"Name": "workspace-nacl"}}, VPC_MOD),
    ]
    for n, (proto, fp, tp, cidr) in enumerate([("-1", 0, 0, "10.0.0.0/16"), ("6", 443, 443, "0.0.0.0/0"), ("6", 3306, 3306, "0.0.0.0/0"),
                                              ("6", 6666, 6666, "0.0.0.0/0"), ("6", 2443, 2443, "0.0.0.0/0"), ("6", 8443, 8451, "0.0.0.0/0")]):
        num = 100 + 10 * n
        res.append(R("aws_network_acl_rule.workspace_out[%d]" % num, "aws_network_acl_rule", "workspace_out", "nacl-%d" % num, {
            "network_acl_id": Ref(N + "aws_network_acl.workspace"), "rule_number": num, "egress": True, "protocol": proto,
            "rule_action": "allow", "cidr_block": cidr, "from_port": fp, "to_port": tp}, VPC_MOD))
    # Security groups, endpoints and instances live in the root module.
    res += [
        R("aws_default_security_group.default", "aws_default_security_group", "default", "sg-0a0000000000000f0", {
            "vpc_id": Ref("module.network.aws_vpc.this"),
            "ingress": [sg_rule_block(protocol="-1", self=True)],
            "egress": [sg_rule_block(protocol="-1", cidr_blocks=["0.0.0.0/0"])], "tags": {"Name": "default"}}),
        R(WS, "aws_security_group", "workspace", "sg-0a0000000000000f1", {
            "name": "databricks-workspace-sg", "description": "Databricks workspace cluster nodes", "vpc_id": Ref("module.network.aws_vpc.this"),
            "ingress": [sg_rule_block(protocol="tcp", from_port=0, to_port=65535, self=True, description="Intra-cluster TCP"),
                        sg_rule_block(protocol="udp", from_port=0, to_port=65535, self=True, description="Intra-cluster UDP")],
            "egress": [sg_rule_block(protocol="tcp", from_port=0, to_port=65535, self=True, description="Intra-cluster TCP"),
                       sg_rule_block(protocol="udp", from_port=0, to_port=65535, self=True, description="Intra-cluster UDP"),
                       sg_rule_block(protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"], description="HTTPS"),
                       sg_rule_block(protocol="tcp", from_port=3306, to_port=3306, cidr_blocks=["0.0.0.0/0"], description="Legacy Hive metastore"),
                       sg_rule_block(protocol="tcp", from_port=53, to_port=53, cidr_blocks=["0.0.0.0/0"], description="DNS over TCP"),
                       sg_rule_block(protocol="udp", from_port=53, to_port=53, cidr_blocks=["0.0.0.0/0"], description="DNS"),
                       sg_rule_block(protocol="tcp", from_port=2443, to_port=2443, cidr_blocks=["0.0.0.0/0"], description="FIPS"),
                       sg_rule_block(protocol="tcp", from_port=6666, to_port=6666, security_groups=[Ref(VPCE)], description="Relay via PrivateLink"),
                       sg_rule_block(protocol="tcp", from_port=8443, to_port=8451, security_groups=[Ref(VPCE)], description="Internal API via PrivateLink")],
            "tags": {"Name": "databricks-workspace-sg"}}),
        R(VPCE, "aws_security_group", "vpce", "sg-0a0000000000000f2", {
            "name": "databricks-vpce-sg", "description": "Databricks back-end PrivateLink and AWS interface endpoints",
            "vpc_id": Ref("module.network.aws_vpc.this"), "tags": {"Name": "databricks-vpce-sg"}}),
        R("aws_vpc_security_group_egress_rule.vpce_all", "aws_vpc_security_group_egress_rule", "vpce_all", "sgr-0a00000000000f2e0", {
            "security_group_id": Ref(VPCE), "ip_protocol": "-1", "cidr_ipv4": "0.0.0.0/0"}),
    ]
    for port, to, desc in [(443, 443, "REST API, STS and Kinesis"), (2443, 2443, "FIPS"), (5432, 5432, "Lakebase"),
                           (6666, 6666, "Relay"), (8443, 8451, "Internal API and Unity Catalog")]:
        res.append(R("aws_security_group_rule.vpce_%d" % port, "aws_security_group_rule", "vpce_%d" % port, "sgrule-%d" % port, {
            "type": "ingress", "security_group_id": Ref(VPCE), "source_security_group_id": Ref(WS), "protocol": "tcp",
            "from_port": port, "to_port": to, "description": desc + " from workspace nodes", "self": False}))
    subnets_ep = [sub("endpoints-a"), sub("endpoints-b")]
    for key, eid, svc, enis in [("rest", "vpce-0a0000000000e0001", "com.amazonaws.vpce.us-east-1.vpce-svc-09143d1e626de2f04", ["eni-0a0000000000e0011", "eni-0a0000000000e0012"]),
                                ("relay", "vpce-0a0000000000e0002", "com.amazonaws.vpce.us-east-1.vpce-svc-00018a8c3ff62ffdf", ["eni-0a0000000000e0021", "eni-0a0000000000e0022"]),
                                ("sts", "vpce-0a0000000000e0003", "com.amazonaws.us-east-1.sts", ["eni-0a0000000000e0031", "eni-0a0000000000e0032"]),
                                ("kinesis", "vpce-0a0000000000e0004", "com.amazonaws.us-east-1.kinesis-streams", ["eni-0a0000000000e0041", "eni-0a0000000000e0042"])]:
        res.append(R("aws_vpc_endpoint.%s" % key, "aws_vpc_endpoint", key, eid, {
            "vpc_id": Ref("module.network.aws_vpc.this"), "service_name": svc, "vpc_endpoint_type": "Interface",
            "private_dns_enabled": True, "subnet_ids": subnets_ep, "security_group_ids": [Ref(VPCE)],
            "state": "available", "network_interface_ids": enis, "tags": {"Name": "databricks-" + key}}))
    res += [
        R("data.aws_prefix_list.s3", "aws_prefix_list", "s3", "pl-63a5400a", {
            "name": "com.amazonaws.us-east-1.s3", "prefix_list_id": "pl-63a5400a",
            "cidr_blocks": ["16.15.176.0/20", "16.182.0.0/16", "18.34.0.0/19", "3.5.0.0/19", "44.192.134.240/28",
                            "44.192.140.64/28", "52.216.0.0/15", "54.231.0.0/16"]}),
        R("aws_vpc_endpoint.s3", "aws_vpc_endpoint", "s3", "vpce-0a0000000000e0005", {
            "vpc_id": Ref("module.network.aws_vpc.this"), "service_name": "com.amazonaws.us-east-1.s3",
            "vpc_endpoint_type": "Gateway", "state": "available", "prefix_list_id": Ref("data.aws_prefix_list.s3"),
            "tags": {"Name": "databricks-s3"}}),
        R("aws_vpc_endpoint_route_table_association.s3_workspace", "aws_vpc_endpoint_route_table_association", "s3_workspace", "a-vpce-0a0000000000e00051", {
            "vpc_endpoint_id": Ref("aws_vpc_endpoint.s3"), "route_table_id": Ref("module.network.aws_route_table.workspace")}),
    ]
    for n, (key, sid, ip) in enumerate([("workspace-a", "i-0a0000000000c0001", "10.0.1.5"), ("workspace-b", "i-0a0000000000c0002", "10.0.2.5")]):
        res.append(R("aws_instance.node_%s" % key[-1], "aws_instance", "node_" + key[-1], sid, {
            "ami": "ami-0abcdef1234567890", "instance_type": "i3.xlarge", "subnet_id": Ref('module.network.aws_subnet.this["%s"]' % key),
            "vpc_security_group_ids": [Ref(WS)], "private_ip": ip, "instance_state": "running",
            "primary_network_interface_id": "eni-0a0000000000c000%d" % (n + 1), "tags": {"Name": "databricks-node-%d" % n}}))
    return res


# ---------------------------------------------------------------- rendering

def index_of(addr):
    if addr.endswith("]"):
        k = addr[addr.rindex("[") + 1:-1]
        return json.loads(k)
    return None


OUTPUTS = {}


def out_name(local):
    """The module output a root expression reads a module resource by."""
    if "[" in local:
        key = json.loads(local[local.index("[") + 1:-1])
        return "subnet_%s_id" % key.replace("-", "_")
    return local.split(".")[1] + "_" + local.split(".")[0].replace("aws_", "") + "_id"


def render(res, mode, changes=None):
    """mode "create": a fresh deployment; "existing": the deployed example,
    with changes {addr: ("update", new_values) | ("delete", None)}."""
    changes = changes or {}
    by = {r["addr"]: r for r in res}

    def known(v):
        if isinstance(v, Ref):
            t = by[v.addr]
            if v.attr == "id":
                return t["id"]
            return {"default_route_table_id": "rtb-0a0000000000000a0", "default_network_acl_id": "acl-0a0000000000000d0"}[v.attr]
        if isinstance(v, list):
            return [known(x) for x in v]
        if isinstance(v, dict):
            return {k: known(x) for k, x in v.items()}
        return v

    # In the deployed example, what the plan creates or replaces has no ID
    # until apply, and neither has what refers to it.
    pending = {a for a, (act, _) in changes.items() if act in ("create", "replace")}

    def split(v, unknown=lambda ref: True):
        """(planned value, after_unknown) of a value: in create mode every
        reference is unknown; in the deployed example only references to
        what the plan creates or replaces."""
        if isinstance(v, Ref):
            return (None, True) if unknown(v) else (known(v), False)
        if isinstance(v, list):
            vals, unk, any_unknown = [], [], False
            for x in v:
                a, u = split(x, unknown)
                if u is True:
                    any_unknown = True
                    unk.append(True)
                    continue
                vals.append(a)
                unk.append(u)
            return (vals, unk) if not any_unknown else (vals, unk)
        if isinstance(v, dict):
            vals, unk = {}, {}
            for k, x in v.items():
                a, u = split(x, unknown)
                if u is True:
                    unk[k] = True
                    continue
                vals[k] = a
                if u not in (False, None, [], {}):
                    unk[k] = u
            return vals, unk
        return v, False

    def any_unknown(u):
        if isinstance(u, list):
            return any(any_unknown(x) for x in u)
        if isinstance(u, dict):
            return any(any_unknown(x) for x in u.values())
        return u is True

    def expr(v, module, own_index=None):
        """The configuration expression of a value; own_index is the
        for_each key of the resource, which its references follow."""
        def rel(addr):
            return addr[len(module) + 1:] if module and addr.startswith(module + ".") else addr
        refs = []

        def walk(x):
            if isinstance(x, Ref):
                a = rel(x.addr)
                if x.addr.startswith(VPC_MOD + ".") and not module:
                    # root refers into the module through an output
                    out = out_name(x.addr[len(VPC_MOD) + 1:])
                    OUTPUTS[out] = x.addr[len(VPC_MOD) + 1:]
                    refs.extend(["module.network.%s" % out, "module.network"])
                    return
                if own_index is not None and index_of(a) == own_index:
                    refs.extend([a.split("[")[0], "each.key"])
                    return
                refs.extend(["%s.%s" % (a, x.attr), a])
            elif isinstance(x, list):
                for y in x:
                    walk(y)
            elif isinstance(x, dict):
                for y in x.values():
                    walk(y)
        walk(v)
        if refs:
            seen = []
            for r in refs:
                if r not in seen:
                    seen.append(r)
            return {"references": seen}
        return {"constant_value": v}

    planned = {"root_module": {"resources": [], "child_modules": [{"address": VPC_MOD, "resources": []}]}}
    rcs, cfg_root, cfg_mod = [], [], []
    seen_cfg = set()
    for r in res:
        action, after_vals = "create" if mode == "create" else "no-op", r["values"]
        if r["addr"] in changes:
            action, new = changes[r["addr"]]
            if new is not None:
                after_vals = new
        local = r["addr"][len(r["module"]) + 1:] if r["module"] else r["addr"]
        if mode == "create":
            vals, unk = split(after_vals)
            if r["mode"] == "data":
                vals, unk = known(after_vals), {}
                vals["id"] = r["id"]
            else:
                unk = dict(unk)
                unk["id"] = True
                if r["type"] == "aws_vpc_endpoint":
                    for k in ("state", "network_interface_ids", "dns_entry"):
                        vals.pop(k, None)
                        unk[k] = True
                if r["type"] in ("aws_instance", "aws_nat_gateway"):
                    vals.pop("primary_network_interface_id", None)
                    unk["primary_network_interface_id"] = True
                if r["type"] == "aws_eip":
                    vals.pop("public_ip", None)
                    unk["public_ip"] = True
            before = None
        elif action == "create":  # a new resource in an existing deployment
            vals, unk = split(after_vals, lambda ref: ref.addr in pending)
            unk, before = dict(unk if any_unknown(unk) else {}, id=True), None
        else:
            vals, unk = split(after_vals, lambda ref: ref.addr in pending)
            unk = dict(unk if any_unknown(unk) else {})
            if action == "replace":  # a new object, its ID unknown until apply
                unk["id"] = True
                if r["type"] == "aws_instance":
                    unk["primary_network_interface_id"] = True
                    vals.pop("primary_network_interface_id", None)
            else:
                vals["id"] = r["id"]
            before = known(r["values"])
            before["id"] = r["id"]
        entry = {"address": r["addr"], "mode": r["mode"], "type": r["type"], "name": r["name"],
                 "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                 "values": vals, "sensitive_values": {}}
        if index_of(r["addr"]) is not None:
            entry["index"] = index_of(r["addr"])
        if action != "delete":
            (planned["child_modules"][0] if False else (planned["root_module"]["child_modules"][0] if r["module"] else planned["root_module"]))["resources"].append(entry)
        rc = {"address": r["addr"], "mode": r["mode"], "type": r["type"], "name": r["name"],
              "provider_name": "registry.terraform.io/hashicorp/aws",
              "change": {"actions": [action] if action != "replace" else ["delete", "create"],
                         "before": before, "after": None if action == "delete" else vals,
                         "after_unknown": unk if action != "delete" else {},
                         "before_sensitive": {} if before is not None else False,
                         "after_sensitive": {} if action != "delete" else False}}
        if r["module"]:
            rc["module_address"] = r["module"]
        if "index" in entry:
            rc["index"] = entry["index"]
        if r["mode"] == "data":
            rc["change"]["actions"] = ["read"] if mode == "create" else ["no-op"]
        if r["mode"] == "data" and mode == "existing":
            pass
        else:
            rcs.append(rc)
        # configuration: one entry per resource block, not per instance
        cfg_addr = local.split("[")[0]
        key = (r["module"], cfg_addr)
        if key in seen_cfg:
            continue
        seen_cfg.add(key)
        exprs = {}
        for k, v in r["values"].items():
            if k in ("state", "network_interface_ids", "primary_network_interface_id", "instance_state", "prefix_list_id") or r["mode"] == "data" and k != "name":
                continue
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                exprs[k] = [{kk: expr(vv, r["module"], index_of(r["addr"])) for kk, vv in blk.items()} for blk in v]
            else:
                exprs[k] = expr(v, r["module"], index_of(r["addr"]))
        c = {"address": cfg_addr, "mode": r["mode"], "type": r["type"], "name": r["name"],
             "provider_config_key": "aws" if not r["module"] else "module.network:aws", "expressions": exprs, "schema_version": 0}
        if index_of(r["addr"]) is not None:
            if isinstance(index_of(r["addr"]), int):
                c["count_expression"] = {"constant_value": 2}
            else:
                c["for_each_expression"] = {"references": ["local.subnets"]}
        (cfg_mod if r["module"] else cfg_root).append(c)
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "planned_values": planned,
        "resource_changes": rcs,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                        "expressions": {"region": {"constant_value": "us-east-1"}}}},
            "root_module": {
                "resources": cfg_root,
                "module_calls": {"network": {"source": "./network", "module": {
                    "outputs": {k: {"expression": {"references": [v + ".id", v]}} for k, v in sorted(OUTPUTS.items())},
                    "resources": cfg_mod}}}}},
        "timestamp": "2026-11-26T08:00:00Z",
        "errored": False,
    }
    return plan


def write(name, plan):
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(plan, f, indent=1, sort_keys=False)
        f.write("\n")


def main():
    res = resources()
    write("databricks-privatelink.plan.json", render(res, "create"))
    by = {r["addr"]: r for r in res}
    # Failure class: lineage and internal APIs fail silently (8443-8451 missing).
    write("fail-endpoint-sg-missing-8443.plan.json", render(res, "existing", {"aws_security_group_rule.vpce_8443": ("delete", None)}))
    # Failure class: cluster start times out (NACL without ephemeral return).
    nacl = copy.deepcopy(by[N + "aws_network_acl.workspace"]["values"])
    nacl["ingress"] = [
        {"rule_no": 100, "action": "allow", "protocol": "6", "from_port": 443, "to_port": 443, "cidr_block": "0.0.0.0/0", "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""},
        {"rule_no": 110, "action": "allow", "protocol": "6", "from_port": 0, "to_port": 1023, "cidr_block": "0.0.0.0/0", "icmp_code": 0, "icmp_type": 0, "ipv6_cidr_block": ""}]
    write("fail-nacl-no-ephemeral-return.plan.json", render(res, "existing", {N + "aws_network_acl.workspace": ("update", nacl)}))
    # Failure class: S3 through NAT or nowhere (gateway endpoint not associated).
    write("fail-s3-endpoint-unassociated.plan.json", render(res, "existing", {"aws_vpc_endpoint_route_table_association.s3_workspace": ("delete", None)}))
    # Failure class: the workspace name resolves publicly (private DNS off).
    ep = copy.deepcopy(by["aws_vpc_endpoint.rest"]["values"])
    ep["private_dns_enabled"] = False
    write("fail-private-dns-off.plan.json", render(res, "existing", {"aws_vpc_endpoint.rest": ("update", ep)}))
    # Access added: SSH from the workspace group into the endpoint group,
    # which an intent forbids (two new rule resources, IDs unknown).
    ssh = res + [
        R("aws_security_group_rule.ws_ssh_out", "aws_security_group_rule", "ws_ssh_out", "sgrule-ssh-out", {
            "type": "egress", "security_group_id": Ref(WS), "source_security_group_id": Ref(VPCE), "protocol": "tcp",
            "from_port": 22, "to_port": 22, "description": "SSH to the endpoints (debugging)", "self": False}),
        R("aws_vpc_security_group_ingress_rule.vpce_ssh", "aws_vpc_security_group_ingress_rule", "vpce_ssh", "sgr-ssh-in", {
            "security_group_id": Ref(VPCE), "referenced_security_group_id": Ref(WS), "ip_protocol": "tcp",
            "from_port": 22, "to_port": 22}),
    ]
    write("fail-ssh-into-endpoints.plan.json", render(ssh, "existing", {"aws_security_group_rule.ws_ssh_out": ("create", None),
                                                                        "aws_vpc_security_group_ingress_rule.vpce_ssh": ("create", None)}))
    # Failure class: S3 downloads time out (the workspace NACL's outbound
    # list tightened to the VPC CIDR: rules 110-150 to 0.0.0.0/0 deleted).
    write("fail-nacl-outbound-vpc-cidr-only.plan.json", render(res, "existing", {
        N + "aws_network_acl_rule.workspace_out[%d]" % num: ("delete", None) for num in (110, 120, 130, 140, 150)}))
    # Failure class: traffic leaves through NAT despite PrivateLink (the
    # VPC's DNS hostnames attribute off).
    vpc = copy.deepcopy(by[N + "aws_vpc.this"]["values"])
    vpc["enable_dns_hostnames"] = False
    write("fail-dns-hostnames-off.plan.json", render(res, "existing", {N + "aws_vpc.this": ("update", vpc)}))
    # Failure class: everything times out at start (a private hosted zone
    # for the parent domain cloud.databricks.com, made for a BI proxy with
    # one unrelated record, associated with the workspace VPC).
    phz = res + [
        R("aws_route53_zone.corp", "aws_route53_zone", "corp", "Z0871234CORPDBX01", {
            "name": "cloud.databricks.com", "comment": "BI proxy", "force_destroy": False,
            "vpc": [{"vpc_id": Ref(N + "aws_vpc.this"), "vpc_region": "us-east-1"}], "tags": {"Name": "corp-databricks"}}),
        R("aws_route53_record.bi", "aws_route53_record", "bi", "Z0871234CORPDBX01_bi.cloud.databricks.com_A", {
            "zone_id": Ref("aws_route53_zone.corp", "zone_id"), "name": "bi.cloud.databricks.com", "type": "A",
            "ttl": 300, "records": ["10.0.1.50"]}),
    ]
    write("fail-phz-shadows-workspace-name.plan.json", render(phz, "existing", {"aws_route53_zone.corp": ("create", None),
                                                                              "aws_route53_record.bi": ("create", None)}))
    # Failure class: metastore unhealthy (an isolated workspace: the
    # workspace route table's default route to NAT deleted).
    write("fail-isolated-no-nat-route.plan.json", render(res, "existing", {N + "aws_route.workspace_nat": ("delete", None)}))
    # Failure class: subnet exhausted (the workspace subnets replaced by
    # /28s; what sits in them or names them follows: the nodes and the route
    # table associations are replaced, the NACL's subnet_ids updated).
    small = {}
    for key, cidr in [("workspace-a", "10.0.1.0/28"), ("workspace-b", "10.0.2.0/28")]:
        v = copy.deepcopy(by[N + 'aws_subnet.this["%s"]' % key]["values"])
        v["cidr_block"] = cidr
        small[N + 'aws_subnet.this["%s"]' % key] = ("replace", v)
        small[N + 'aws_route_table_association.workspace["%s"]' % key] = ("replace", None)
        small["aws_instance.node_%s" % key[-1]] = ("replace", None)
    small[N + "aws_network_acl.workspace"] = ("update", None)
    write("fail-workspace-subnets-28.plan.json", render(res, "existing", small))


if __name__ == "__main__":
    main()
