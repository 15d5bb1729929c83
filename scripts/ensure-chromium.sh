#!/usr/bin/env bash
# Makes sure Debian's headless-capable Chromium is at /usr/bin/chromium for the browser tests (tests/Browser.Tests).
# It is installed from the distribution's packages only: Playwright's own browser download is never used.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "WARNING: /usr/bin/chromium is missing and this is not root; install it with: sudo apt-get install chromium" >&2
  exit 0
fi

echo "Installing Chromium from Debian's packages for the browser tests..."
export DEBIAN_FRONTEND=noninteractive
# A failed install must not stop the other test projects; the browser tests then fail saying Chromium is missing.
if apt-get update -qq && apt-get install -y -qq chromium >/dev/null; then
  /usr/bin/chromium --version 2>/dev/null || true
else
  echo "WARNING: apt-get could not install chromium; the browser tests will fail" >&2
fi
