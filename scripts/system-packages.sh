#!/usr/bin/env bash
# Debian packages the tests and benchmarks need. Installed once; a no-op afterwards.
set -euo pipefail
needed=()
# Build dependencies of Pillow-SIMD (scripts/install-pillow-simd.sh).
command -v cc >/dev/null || needed+=(gcc)
for pkg in python3-dev libjpeg62-turbo-dev zlib1g-dev liblcms2-dev libwebp-dev libtiff-dev libfreetype-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || needed+=("$pkg")
done
command -v chromium >/dev/null || needed+=(chromium)
# libvips for bench/renditions.py's reference: pyvips (PyPI) loads libvips.so.42 in its ABI mode, no headers needed.
for pkg in libvips42 libvips-tools; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || needed+=("$pkg")
done
command -v wrk >/dev/null || needed+=(wrk)  # bench/share_page.py
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || needed+=(nginx)  # tests/deploy/test_nginx.py: the shipped site, for real
[ ${#needed[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "FATAL: missing Debian packages: ${needed[*]} (run as root or: sudo apt-get install ${needed[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
