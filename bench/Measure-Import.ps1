#!/usr/bin/env pwsh
<#
.SYNOPSIS
Import-Module time of the INSTALLED SPOCrossTenant module against a trivial module, in fresh
processes, with a breakdown of what import still does. Not a test.

.DESCRIPTION
Installs the package (dist/repository/SPOCrossTenant.<version>.nupkg, from
'./scripts/build-module.sh -Package') with Install-PSResource into a throwaway user module path,
next to a trivial one-function script module (a manifest and a psm1, as installed modules have).
Then, in fresh pwsh processes whose per-user folders are that throwaway place, alternates
'Import-Module Trivial' and 'Import-Module SPOCrossTenant' (both by name), each timed inside the new
process with a Stopwatch around Import-Module only, and prints the medians and their ratio
(target: at most 1.5x).

The breakdown times, in further fresh processes and after a trivial import has paid for what every
import pays (module discovery, the parser, the manifest machinery), each piece of work our import
adds: loading the compiled assemblies, parsing the one psm1, loading the format and type files,
finding and loading the native library with its ABI check; then Import-Module itself in that
process, whose time beyond those pieces is running the psm1 (defining the functions, the footer).
The pieces are measured one by one, so they only approximate their share of a real import.

.PARAMETER Repetitions
Fresh processes per module for the ratio (at least 7), and for the breakdown.

.PARAMETER Repository
The folder holding SPOCrossTenant.<version>.nupkg; dist/repository by default.

.EXAMPLE
./scripts/build-module.sh -Package; pwsh -NoProfile -File bench/Measure-Import.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(7, 101)][int]$Repetitions = 11,
    [string]$Repository
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
if (-not $Repository) { $Repository = Join-Path $repoRoot 'dist/repository' }
$version = [regex]::Match((Get-Content -Raw (Join-Path $repoRoot 'Cargo.toml')), '(?ms)^\[package\]\s*$.*?^version\s*=\s*"([^"]+)"').Groups[1].Value
$package = Join-Path $Repository "SPOCrossTenant.$version.nupkg"
if (-not (Test-Path -LiteralPath $package)) { throw "No package at '$package': run './scripts/build-module.sh -Package' first." }

# A throwaway machine: fresh per-user folders, no inherited module path.
$sandbox = Join-Path ([System.IO.Path]::GetTempPath()) "spo-import-bench-$PID"
$homeFolder = Join-Path $sandbox 'home'
$environment = [ordered]@{
    HOME = $homeFolder; USERPROFILE = $homeFolder; XDG_DATA_HOME = "$homeFolder/.local/share"; XDG_CONFIG_HOME = "$homeFolder/.config"
    XDG_CACHE_HOME = "$homeFolder/.cache"; TMPDIR = "$sandbox/tmp"; LOCALAPPDATA = "$sandbox/localappdata"; APPDATA = "$sandbox/appdata"
    PSModulePath = $null; SPO_CROSSTENANT_LIBRARY = $null
}
foreach ($folder in @($environment.Values) | Where-Object { $_ }) { $null = New-Item -ItemType Directory -Force -Path $folder }
$userModules = if ($IsWindows) { Join-Path $homeFolder 'Documents/PowerShell/Modules' } else { "$homeFolder/.local/share/powershell/Modules" }

function Invoke-FreshPwsh {
    # Runs a script in a new pwsh inside the sandbox; returns its output lines.
    param([string]$Script)
    $file = Join-Path $sandbox "run-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $file -Value $Script
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $file)
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments = @([Environment]::GetCommandLineArgs()[0]) + $arguments }
    $saved = @{}
    foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
    try { & $pwsh @arguments 2>&1 | ForEach-Object { "$_" } }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

function Get-Median {
    param([double[]]$Values)
    $sorted = @($Values | Sort-Object)
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

try {
    # Install ours by name from the package, and place the trivial module beside it.
    $install = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name SPOBench -Uri '$Repository'
Install-PSResource SPOCrossTenant -Version '$version' -Repository SPOBench -TrustRepository -Scope CurrentUser
(Get-Module -ListAvailable SPOCrossTenant).ModuleBase
"@
    $moduleBase = Join-Path $userModules "SPOCrossTenant/$version"
    if (-not (Test-Path -LiteralPath (Join-Path $moduleBase 'SPOCrossTenant.psd1'))) { throw "Install failed: $($install -join "`n")" }
    $trivial = Join-Path $userModules 'Trivial/1.0.0'
    $null = New-Item -ItemType Directory -Force -Path $trivial
    Set-Content -LiteralPath (Join-Path $trivial 'Trivial.psm1') -Value "function Get-Trivial { 'trivial' }"
    Set-Content -LiteralPath (Join-Path $trivial 'Trivial.psd1') -Value "@{ RootModule = 'Trivial.psm1'; ModuleVersion = '1.0.0'; GUID = '0f5b8a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b'; FunctionsToExport = @('Get-Trivial'); CmdletsToExport = @(); VariablesToExport = @(); AliasesToExport = @() }"

    $library = Get-ChildItem -LiteralPath (Join-Path $moduleBase 'bin') -Recurse -File | Where-Object { $_.Name -match '^(lib)?spo_crosstenant\.(so|dylib|dll)$' } | Select-Object -First 1
    $psm1 = Get-Item -LiteralPath (Join-Path $moduleBase 'SPOCrossTenant.psm1')
    Write-Host ("SPOCrossTenant {0} installed in {1}`n  psm1 {2:N0} KB; native library {3} ({4:N1} MB)`npwsh {5} on {6}, {7} CPUs" -f $version, $moduleBase,
        ($psm1.Length / 1KB), $library.Directory.Name, ($library.Length / 1MB), $PSVersionTable.PSVersion,
        [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, [Environment]::ProcessorCount)

    # 1. The ratio: fresh processes, interleaved so that machine load hits both alike.
    $measure = '$clock = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module {0} -ErrorAction Stop; $clock.Elapsed.TotalMilliseconds'
    $null = Invoke-FreshPwsh ($measure -f 'Trivial'); $null = Invoke-FreshPwsh ($measure -f 'SPOCrossTenant')   # disk caches
    $oursMs = @(); $trivialMs = @()
    for ($i = 0; $i -lt $Repetitions; $i++) {
        Write-Progress -Activity 'Import-Module in fresh processes' -PercentComplete (100 * $i / $Repetitions)
        $trivialMs += [double](Invoke-FreshPwsh ($measure -f 'Trivial') | Select-Object -Last 1)
        $oursMs += [double](Invoke-FreshPwsh ($measure -f 'SPOCrossTenant') | Select-Object -Last 1)
    }
    Write-Progress -Activity 'Import-Module in fresh processes' -Completed
    $ours = Get-Median $oursMs; $baseline = Get-Median $trivialMs; $ratio = $ours / $baseline

    # 2. The breakdown, piece by piece, after a trivial import paid for the common machinery.
    $pieces = @"
`$ErrorActionPreference = 'Stop'
Import-Module Trivial
Import-Module Microsoft.PowerShell.Utility   # Update-FormatData/Update-TypeData live there; not part of our import
`$root = '$moduleBase'
`$t = [System.Diagnostics.Stopwatch]::StartNew()
`$times = [ordered]@{}
foreach (`$name in 'SPOCrossTenant.dll', 'SPOCrossTenant.Enums.dll', 'SPOCrossTenant.ModuleEnums.dll') {
    if ([System.IO.File]::Exists("`$root/bin/`$name")) { `$null = [System.Reflection.Assembly]::LoadFrom("`$root/bin/`$name") }
}
`$times['assemblies'] = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$null = [System.Management.Automation.Language.Parser]::ParseFile("`$root/SPOCrossTenant.psd1", [ref]`$null, [ref]`$null)
`$times['manifest parse'] = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$null = [System.Management.Automation.Language.Parser]::ParseFile("`$root/SPOCrossTenant.psm1", [ref]`$null, [ref]`$null)
`$times['psm1 parse'] = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
Update-FormatData -AppendPath (Get-ChildItem "`$root/*.format.ps1xml").FullName
foreach (`$file in Get-ChildItem "`$root/*.types.ps1xml") { Update-TypeData -AppendPath `$file.FullName }
`$times['format and type files'] = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
`$path = [SPOCrossTenant.ModuleLoader]::FindLibrary(`$root, `$PWD.ProviderPath)
[SPOCrossTenant.ModuleLoader]::BindLibrary(`$path)
`$times['native library load + ABI check'] = `$t.Elapsed.TotalMilliseconds; `$t.Restart()
Import-Module SPOCrossTenant
`$times['Import-Module, the rest (psm1 run: functions, footer)'] = `$t.Elapsed.TotalMilliseconds
foreach (`$entry in `$times.GetEnumerator()) { '{0}={1}' -f `$entry.Key, `$entry.Value }
"@
    $samples = @{}
    for ($i = 0; $i -lt $Repetitions; $i++) {
        Write-Progress -Activity 'Breakdown in fresh processes' -PercentComplete (100 * $i / $Repetitions)
        foreach ($line in Invoke-FreshPwsh $pieces) {
            if ($line -match '^(?<name>[^=]+)=(?<ms>[\d.]+)$') {
                if (-not $samples.Contains($Matches.name)) { $samples[$Matches.name] = [System.Collections.Generic.List[double]]::new() }
                $samples[$Matches.name].Add([double]$Matches.ms)
            } else { Write-Warning $line }
        }
    }
    Write-Progress -Activity 'Breakdown in fresh processes' -Completed

    ''
    [pscustomobject]@{
        Measure  = "Import-Module by name, fresh pwsh (median of $Repetitions each, interleaved)"
        Ours     = '{0:N1} ms' -f $ours
        Trivial  = '{0:N1} ms' -f $baseline
        Ratio    = '{0:N2}x' -f $ratio
        Target   = '<= 1.5x'
        Met      = if ($ratio -le 1.5) { 'yes' } else { 'NO' }
    } | Format-List
    'Each run (ms), trivial / ours:'
    '  ' + (($trivialMs | ForEach-Object { '{0:N0}' -f $_ }) -join ' ') + ' / ' + (($oursMs | ForEach-Object { '{0:N0}' -f $_ }) -join ' ')
    ''
    "What our import adds to a trivial one (medians over $Repetitions fresh processes, each piece alone):"
    foreach ($name in 'assemblies', 'manifest parse', 'psm1 parse', 'format and type files', 'native library load + ABI check', 'Import-Module, the rest (psm1 run: functions, footer)') {
        if ($samples.Contains($name)) { '  {0,-55} {1,7:N1} ms' -f $name, (Get-Median $samples[$name]) }
    }
    '  {0,-55} {1,7:N1} ms' -f 'difference of the medians above (ours - trivial)', ($ours - $baseline)
} finally {
    Remove-Item -Recurse -Force -LiteralPath $sandbox -ErrorAction SilentlyContinue
}
