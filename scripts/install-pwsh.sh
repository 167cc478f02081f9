#!/usr/bin/env bash
# Installs PowerShell 7 as a .NET global tool (from the NuGet sources dotnet is configured with)
# when no pwsh is on PATH or in ~/.dotnet/tools. Prints the path of the pwsh to use.
set -euo pipefail
version="${PWSH_VERSION:-7.6.9}"
tools="${DOTNET_TOOLS:-$HOME/.dotnet/tools}"
if [ -x "$tools/pwsh" ]; then
  echo "$tools/pwsh"
  exit 0
fi
if command -v pwsh >/dev/null 2>&1; then
  command -v pwsh
  exit 0
fi
command -v dotnet >/dev/null 2>&1 || { echo "install-pwsh: neither pwsh nor the .NET SDK (dotnet) is installed" >&2; exit 1; }
dotnet tool install --global PowerShell --version "$version" >&2
echo "$tools/pwsh"
