#!/usr/bin/env bash
# The one build step of the installable module: writes dist/SPOCrossTenant/<version>/ (and with
# -Package its .nupkg in dist/repository). Arguments go to scripts/build-module.ps1, e.g.
#   ./scripts/build-module.sh                        # release build
#   ./scripts/build-module.sh -Configuration Debug -Package
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
pwsh_bin=$(bash scripts/install-pwsh.sh)
exec "$pwsh_bin" -NoProfile -NonInteractive -File scripts/build-module.ps1 "$@"
