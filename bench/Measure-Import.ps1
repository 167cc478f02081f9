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

The breakdown is by ablation: copies of the installed module, each without one piece of what
import does (the format and type files; the script code, i.e. parsing and running the one psm1;
the comment-based help in it; the compiled binding with the native library load and ABI check),
imported in further fresh processes interleaved with the full module and the trivial one. A
piece's cost is the full module's median minus the copy's; "the rest" is what is left of the
difference to the trivial module (the manifest, finding the module by name, noise).

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

    # 2. The breakdown, by ablation: copies of the installed module, each without one piece of what
    #    import does, imported in fresh processes interleaved with the full module and the trivial one.
    #    A piece's cost is the full module's median minus the copy's.
    $footerAt = { param($text) $text.IndexOf('# Footer: bind') }
    $psm1Text = [System.IO.File]::ReadAllText($psm1.FullName)
    $variants = [ordered]@{
        'SpoNoFormats' = @{ Piece = 'format and type files (FormatsToProcess, TypesToProcess)'; Manifest = { param($m) $m -replace "(?m)^(\s*(FormatsToProcess|TypesToProcess)\s*=).*$", '$1 @()' } }
        'SpoNoScript'  = @{ Piece = "the script: parse and run of the $([int]($psm1.Length / 1KB)) KB psm1 (functions, variables, completers)"; Psm1 = { param($t) "function ConvertTo-SpoImportError { param(`$e) `$e }`nfunction Close-SpoConnection { }`n" + $t.Substring((& $footerAt $t)) } }
        'SpoNoHelp'    = @{ Piece = '  of which the comment-based help in it'; Psm1 = { param($t) [regex]::Replace($t, '(?s)<#.*?#>', '') } }
        'SpoNoNative'  = @{ Piece = 'binding and enum assemblies, native library load + ABI check (footer)'; Psm1 = { param($t) $t.Substring(0, (& $footerAt $t)) }; Manifest = { param($m) $m -replace "(?m)^(\s*RequiredAssemblies\s*=).*$", '$1 @()' } }
    }
    foreach ($name in $variants.Keys) {
        $copy = Join-Path $userModules "$name/$version"
        Copy-Item -Recurse -LiteralPath $moduleBase -Destination $copy
        $manifestText = [System.IO.File]::ReadAllText((Join-Path $copy 'SPOCrossTenant.psd1'))
        if ($variants[$name].Manifest) { $manifestText = & $variants[$name].Manifest $manifestText }
        Remove-Item -LiteralPath (Join-Path $copy 'SPOCrossTenant.psd1')
        [System.IO.File]::WriteAllText((Join-Path $copy "$name.psd1"), $manifestText)
        if ($variants[$name].Psm1) { [System.IO.File]::WriteAllText((Join-Path $copy 'SPOCrossTenant.psm1'), (& $variants[$name].Psm1 $psm1Text)) }
    }
    $samples = [ordered]@{ Trivial = @(); SPOCrossTenant = @() }
    foreach ($name in $variants.Keys) { $samples[$name] = @() }
    for ($i = 0; $i -lt $Repetitions; $i++) {
        Write-Progress -Activity 'Breakdown in fresh processes' -PercentComplete (100 * $i / $Repetitions)
        foreach ($name in @($samples.Keys)) { $samples[$name] += [double](Invoke-FreshPwsh ($measure -f $name) | Select-Object -Last 1) }
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
    $full = Get-Median $samples.SPOCrossTenant; $trivialAgain = Get-Median $samples.Trivial
    "What our import adds to the trivial one, by ablation (medians over $Repetitions more fresh processes each):"
    '  {0,-82} {1,7:N1} ms' -f 'full module, again', $full
    '  {0,-82} {1,7:N1} ms' -f 'trivial module, again', $trivialAgain
    foreach ($name in $variants.Keys) { '  {0,-82} {1,7:N1} ms' -f $variants[$name].Piece, ($full - (Get-Median $samples[$name])) }
    '  {0,-82} {1,7:N1} ms' -f 'the rest (manifest, module discovery, noise)', (($full - $trivialAgain) - (($variants.Keys | Where-Object { $_ -ne 'SpoNoHelp' } | ForEach-Object { $full - (Get-Median $samples[$_]) }) | Measure-Object -Sum).Sum)
} finally {
    Remove-Item -Recurse -Force -LiteralPath $sandbox -ErrorAction SilentlyContinue
}
