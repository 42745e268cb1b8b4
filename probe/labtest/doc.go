// Package labtest holds vpcpath's tests in a real network: a small VPC
// made of Linux network namespaces, veth pairs and nftables that mirrors
// the bundled databricks-privatelink example, where the probe runs and
// validate compares. It has no code of its own.
package labtest
