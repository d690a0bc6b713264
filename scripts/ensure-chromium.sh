#!/usr/bin/env bash
# Makes Debian's Chromium available for the browser tests (test/docs/).
# Playwright cannot download its own browsers here, so the tests drive /usr/bin/chromium.
# Idempotent and silent when Chromium is already installed.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: /usr/bin/chromium is missing and apt-get is not available; install Chromium by hand." >&2
  exit 1
fi

# CI runs as root; elsewhere fall back to sudo when it exists.
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ensure-chromium: need root (or sudo) to apt-get install chromium." >&2
    exit 1
  fi
fi

echo "ensure-chromium: installing Debian's chromium package (one-time)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
test -x /usr/bin/chromium
echo "ensure-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')" >&2
