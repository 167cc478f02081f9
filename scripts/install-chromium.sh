#!/usr/bin/env bash
# Installs the headless Chromium that the tests open the HTML reports in (the Debian package
# chromium-headless-shell) when it is not there yet, and prints the path of its binary.
# CHROMIUM_BIN names another Chromium to use instead (e.g. on a machine without apt-get).
set -euo pipefail
if [ -n "${CHROMIUM_BIN:-}" ]; then
  [ -x "$CHROMIUM_BIN" ] || { echo "install-chromium: CHROMIUM_BIN=$CHROMIUM_BIN is not an executable" >&2; exit 1; }
  echo "$CHROMIUM_BIN"
  exit 0
fi
find_shell() {
  # The binary itself before /usr/bin's wrapper script, so that stopping the browser stops all of it.
  for candidate in /usr/lib/chromium/chromium-headless-shell chromium-headless-shell chrome-headless-shell; do
    if command -v "$candidate" >/dev/null 2>&1; then command -v "$candidate"; return 0; fi
  done
  return 1
}
if find_shell; then exit 0; fi
command -v apt-get >/dev/null 2>&1 || { echo "install-chromium: no chromium-headless-shell and no apt-get; install a headless Chromium and set CHROMIUM_BIN" >&2; exit 1; }
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-chromium: installing chromium-headless-shell needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
# Other apt runs on a shared machine hold the lock for a while: wait for it instead of failing.
$sudo apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium-headless-shell >&2
find_shell || { echo "install-chromium: chromium-headless-shell was installed but its binary was not found" >&2; exit 1; }
