#!/usr/bin/env bash
# Installs Pester from NuGet (with the sources this machine's dotnet is already configured with) into the
# current user's PowerShell module folder, so tests run on a fresh machine. Skips work when it is there.
set -euo pipefail
version="${PESTER_VERSION:-5.7.1}"
modules="${XDG_DATA_HOME:-$HOME/.local/share}/powershell/Modules"
dest="$modules/Pester/$version"
if [ -f "$dest/Pester.psd1" ]; then
  echo "install-pester: Pester $version already in $dest"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A throwaway project whose only job is to make NuGet restore the Pester package.
cat > "$work/fetch-pester.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net$(dotnet --version | cut -d. -f1-1).0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Pester" Version="[$version]" /></ItemGroup>
</Project>
XML
dotnet restore "$work/fetch-pester.csproj" --nologo -v quiet
package="${NUGET_PACKAGES:-$HOME/.nuget/packages}/pester/$version"
src="$package/tools"
[ -f "$src/Pester.psd1" ] || src="$package"
[ -f "$src/Pester.psd1" ] || { echo "install-pester: Pester.psd1 not found under $package" >&2; exit 1; }
mkdir -p "$dest"
cp -r "$src"/. "$dest"/
echo "install-pester: Pester $version installed in $dest"
