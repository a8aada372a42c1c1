#!/usr/bin/env bash
# Installs redis-server (Debian's package) when it is missing, for the Redis adapter tests.
# The tests start their own throwaway server; nothing is started here.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
echo "ci: installing redis-server"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
command -v redis-server >/dev/null
