#!/usr/bin/env bash
# The main job, shown end to end on the local emulator: builds the installable module (engine
# included) and the emulator, then walks the cross-tenant trust and migration workflow between
# two emulated tenants with the module, imported as users get it. The HTML reports it writes, and
# a screenshot of each, are in dist/demo/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pwsh_bin=$(bash scripts/install-pwsh.sh)
echo "Building the module (release engine) and the emulator..."
"$pwsh_bin" -NoProfile -NonInteractive -File scripts/build-module.ps1 -Configuration Release | tail -n 1
cargo build --release --workspace --quiet
# The demo leaves a screenshot of each HTML report beside it, taken with headless Chromium
# (installed here when missing; without it the demo still runs, and says so).
SPO_DEMO_CHROMIUM=$(bash scripts/install-chromium.sh 2>/dev/null) || SPO_DEMO_CHROMIUM=""
export SPO_DEMO_CHROMIUM
exec "$pwsh_bin" -NoProfile -File scripts/Start-TrustDemo.ps1 "$@"
