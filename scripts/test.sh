#!/usr/bin/env bash
# Runs every test: the Rust unit, integration and C ABI tests of the engine and the emulator,
# then builds the module as it is installed (scripts/build-module.ps1) and runs the Pester suites
# against it and the local emulator, including installing its package by name (Install.Tests.ps1)
# and opening the HTML reports in headless Chromium (Reports.Browser.Tests.ps1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pwsh_bin=$(bash scripts/install-pwsh.sh)
bash scripts/install-pester.sh >/dev/null
# The HTML reports are tested in a real browser (tests/pester/Reports.Browser.Tests.ps1).
SPO_TEST_CHROMIUM=$(bash scripts/install-chromium.sh)
export SPO_TEST_CHROMIUM

echo "== cargo build (workspace: engine library and emulator)"
cargo build --workspace --quiet
echo "== build the module (dist/SPOCrossTenant/<version>, debug engine) and its package (dist/repository)"
"$pwsh_bin" -NoProfile -NonInteractive -File scripts/build-module.ps1 -Configuration Debug -NoCargo -Package
echo "== cargo test"
cargo test --workspace --quiet 2>&1
echo "== C ABI tests under valgrind memcheck"
bash scripts/valgrind-abi.sh
echo "== Pester"
"$pwsh_bin" -NoProfile -NonInteractive -File tests/pester/Invoke-Tests.ps1
