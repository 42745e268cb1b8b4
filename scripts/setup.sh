#!/usr/bin/env bash
# Install what vpcpath's tests need on a Debian machine with Go. Safe to run
# again. moto_server (the EC2/Route 53 emulator for the collector tests) comes
# from PyPI where it is reachable; tests that need it skip with a message
# when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
go mod download
if ! command -v moto_server >/dev/null 2>&1; then
  pip install --quiet 'moto[server]>=5,<6' 2>/dev/null || echo "setup: moto_server unavailable; the collector's emulator tests will skip" >&2
fi
# The probe's network-lab tests (probe/labtest) need ip and nft, as root.
if [ "$(id -u)" = 0 ] && ! { command -v nft && command -v ip; } >/dev/null 2>&1; then
  { apt-get install -y nftables iproute2 || { apt-get update && apt-get install -y nftables iproute2; }; } >/dev/null \
    || echo "setup: nftables/iproute2 unavailable; the network-lab tests will skip" >&2
fi
# The HTML report's browser test (cmd/vpcpath/report_browser_test.go) drives
# Debian's Chromium headless; it skips with a message when it is missing.
if [ "$(id -u)" = 0 ] && ! command -v chromium >/dev/null 2>&1; then
  { apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; } >/dev/null \
    || echo "setup: chromium unavailable; the HTML report's browser test will skip" >&2
fi
