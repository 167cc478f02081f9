#!/usr/bin/env bash
# The main job, shown end to end on the local emulator: builds the engine and the emulator,
# then walks the cross-tenant trust workflow between two emulated tenants with the module.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pwsh_bin=$(bash scripts/install-pwsh.sh)
echo "Building the engine and the emulator (release)..."
cargo build --release --workspace --quiet
exec "$pwsh_bin" -NoProfile -File scripts/Start-TrustDemo.ps1 "$@"
