// Package labtest holds vpcpath's tests in a real network: a small VPC
// made of Linux network namespaces, veth pairs and nftables that mirrors
// the bundled databricks-privatelink example, and two VPCs joined by a
// namespace standing for a transit gateway (testdata/tgw-two-vpcs), where
// the probe runs and validate compares. It has no code of its own.
package labtest
