#!/usr/bin/env bash
# Debian packages the app and its tests need beyond Python: Pango for
# WeasyPrint, poppler-utils (pdftotext/pdftoppm) to check PDFs, Debian's
# Chromium for the browser tests, Node.js to check the phone's JavaScript
# (static/js/growth.js against the Python growth module), DejaVu fonts for the
# PDFs. Installs only what is missing; never downloads a browser of its own.
set -euo pipefail
want=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils fonts-dejavu-core)
[ "${1:-}" = "--with-browser" ] && want+=(chromium)
# Node.js: the machine may ship its own build (then `node` is on PATH already).
[ "${1:-}" = "--with-browser" ] && ! command -v node >/dev/null && want+=(nodejs)
missing=()
for pkg in "${want[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "Please install these Debian packages: ${missing[*]}" >&2
  exit 1
fi
echo "Installing ${missing[*]}..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
