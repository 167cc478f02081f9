#!/usr/bin/env bash
# Runs every test: the Rust unit, integration and C ABI tests of the engine and the emulator,
# then the Pester suites of the PowerShell module against the local emulator.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pwsh_bin=$(bash scripts/install-pwsh.sh)
bash scripts/install-pester.sh >/dev/null

echo "== cargo build (workspace: engine library and emulator)"
cargo build --workspace --quiet
echo "== cargo test"
cargo test --workspace --quiet 2>&1
echo "== C ABI tests under valgrind memcheck"
bash scripts/valgrind-abi.sh
echo "== Pester"
"$pwsh_bin" -NoProfile -NonInteractive -File tests/pester/Invoke-Tests.ps1
