#!/usr/bin/env bash
# Debian packages the tests and benchmarks need. Installed once; a no-op afterwards.
set -euo pipefail
needed=()
command -v chromium >/dev/null || needed+=(chromium)
command -v vipsthumbnail >/dev/null || needed+=(libvips-tools)
command -v wrk >/dev/null || needed+=(wrk)  # bench/share_page.py
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "FATAL: missing Debian packages: ${needed[*]} (run as root or: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
