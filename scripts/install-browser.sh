#!/usr/bin/env bash
# Installs the browser the browser tests drive: Debian's `chromium` package,
# run by playwright-core with executablePath /usr/bin/chromium. Never
# `npx playwright install` (it downloads its own browser, which fails without
# internet access and is not what CI runs).
#
# Idempotent: does nothing when /usr/bin/chromium is already there. Needs root
# (or sudo) for apt-get. CI runs it before `npm test`.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-browser: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM") already installed"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: apt-get not found; install Chromium so that $CHROMIUM exists (Debian/Ubuntu: apt-get install chromium)" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-browser: run as root (or install sudo): apt-get needs it" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "install-browser: the chromium package did not provide $CHROMIUM" >&2
  exit 1
fi
echo "install-browser: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
