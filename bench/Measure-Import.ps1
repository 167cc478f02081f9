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

The breakdown is a timeline: an instrumented copy of the installed module (same name, found the
same way) records when its script starts, when its footer starts and when it ends, so import
splits into: before the script (finding the module by name, the manifest, the binding assembly,
the format and type files, parsing the psm1), running the script (defining the functions), the
footer (native library found, loaded and ABI-checked, enum assemblies) and after the script
(exports). Two more copies give the share of the format/type files (a copy without them) and of
parsing the psm1 (a copy whose script is only the footer) by difference. All imports in further
fresh processes, interleaved, each copy alone in a user module folder of its own (Linux, macOS).

The psm1 holds only what import needs; the rest of the private code (SPOCrossTenant.Private.ps1)
is loaded by the first command that needs it, so it is not part of the import. Its cost is shown
apart, as "first use": the time of loading it right after the import in the timeline processes.

Where pwsh comes from matters: the .NET global tool (how scripts/install-pwsh.sh installs it)
ships System.Management.Automation as IL only, so everything PowerShell runs is compiled by the JIT
first; the installers of PowerShell (MSI, deb, rpm, tar.gz, Homebrew) ship it precompiled
(ReadyToRun), which makes parsing a large script and loading format files much cheaper. The
figures print which kind ran them.

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
# PowerShell's module analysis cache: every machine where PowerShell has run has one, and without it
# each Import-Module by name spends some 70 ms more (on both modules alike), flattering the ratio. A
# fresh sandbox never gets one written, so the invoking user's is copied in (Linux and macOS).
$analysisCache = @()
if (-not $IsWindows) {
    $cacheRoot = if ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { Join-Path $HOME '.cache' }
    $analysisCache = @(Get-ChildItem -Path (Join-Path $cacheRoot 'powershell/ModuleAnalysisCache-*') -File -ErrorAction SilentlyContinue)
    $null = New-Item -ItemType Directory -Force -Path "$homeFolder/.cache/powershell"
    $analysisCache | Copy-Item -Destination "$homeFolder/.cache/powershell"
}
$userModules = if ($IsWindows) { Join-Path $homeFolder 'Documents/PowerShell/Modules' } else { "$homeFolder/.local/share/powershell/Modules" }

function Invoke-FreshPwsh {
    # Runs a script in a new pwsh inside the sandbox; returns its output lines. $DataHome, when given,
    # is another XDG_DATA_HOME, i.e. another user module folder (Linux and macOS).
    param([string]$Script, [string]$DataHome)
    $file = Join-Path $sandbox "run-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -LiteralPath $file -Value $Script
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $file)
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $arguments = @([Environment]::GetCommandLineArgs()[0]) + $arguments }
    $saved = @{}
    $variables = [ordered]@{} + $environment
    if ($DataHome) { $variables['XDG_DATA_HOME'] = $DataHome }
    foreach ($name in $variables.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $variables[$name]) }
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
    # ./scripts/test.sh packages the debug engine: its load costs more than the release build's.
    $releaseLibrary = Join-Path $repoRoot "target/release/$($library.Name)"
    if (-not (Test-Path -LiteralPath $releaseLibrary) -or (Get-FileHash -LiteralPath $library.FullName).Hash -ne (Get-FileHash -LiteralPath $releaseLibrary).Hash) {
        Write-Warning "The packaged engine is not the release build in target/release: run './scripts/build-module.sh -Package' first, or the figures measure a debug engine."
    }
    $psm1 = Get-Item -LiteralPath (Join-Path $moduleBase 'SPOCrossTenant.psm1')
    $privateCode = Get-Item -LiteralPath (Join-Path $moduleBase 'SPOCrossTenant.Private.ps1')
    if (-not $analysisCache) { Write-Warning 'No PowerShell module analysis cache to copy: every import below pays PowerShell''s first-use module analysis, which flatters the ratio.' }
    $smaFile = [System.IO.File]::OpenRead([System.Management.Automation.PSObject].Assembly.Location)
    try { $readyToRun = [System.Reflection.PortableExecutable.PEReader]::new($smaFile).PEHeaders.CorHeader.ManagedNativeHeaderDirectory.Size -gt 0 } finally { $smaFile.Dispose() }
    Write-Host ("PowerShell's engine assembly: {0}; module analysis cache: {1}" -f $(if ($readyToRun) { 'precompiled (ReadyToRun)' } else { 'IL only (JIT-compiled at run time, as in the .NET global tool)' }),
        $(if ($analysisCache) { 'warm (copied from this user)' } else { 'none' }))
    Write-Host ("SPOCrossTenant {0} installed in {1}`n  psm1 {2:N0} KB (private code loaded on first use: {8:N0} KB); native library {3} ({4:N1} MB)`npwsh {5} on {6}, {7} CPUs" -f $version, $moduleBase,
        ($psm1.Length / 1KB), $library.Directory.Name, ($library.Length / 1MB), $PSVersionTable.PSVersion,
        [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, [Environment]::ProcessorCount, ($privateCode.Length / 1KB))

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

    # 2. The breakdown: a timeline of the import, from marks written by an instrumented copy of the
    #    installed module (same name, so found the same way) when its script starts, when the footer
    #    starts and ends; and two more copies, one without the format and type files and one whose
    #    script is only the footer, whose "script starts" marks give those two pieces by difference.
    #    Each copy is alone in a user module folder of its own (another XDG_DATA_HOME), found by name
    #    exactly as the installed module is; all interleaved.
    $psm1Text = [System.IO.File]::ReadAllText($psm1.FullName)
    $footerAt = $psm1Text.IndexOf('# Footer: bind')
    $mark = { param($label) "`$global:SpoBenchMarks['$label'] = `$global:SpoBenchClock.Elapsed.TotalMilliseconds`n" }
    $instrumented = (& $mark 'script') + $psm1Text.Substring(0, $footerAt) + (& $mark 'footer') + $psm1Text.Substring($footerAt) + "`n" + (& $mark 'end')
    $stubs = "function ConvertTo-SpoImportError { param(`$e) `$e }`nfunction Close-SpoConnection { }`n"
    # The floor: what the module cannot do without. Its manifest as shipped (binding, formats,
    # types), each exported command's declaration (attributes and parameters, with an empty body) and
    # the footer (the native library bound and checked, the enums, the exports); nothing else.
    $psm1Ast = [System.Management.Automation.Language.Parser]::ParseInput($psm1Text, [ref]$null, [ref]$null)
    $exported = @((Import-PowerShellDataFile -LiteralPath (Join-Path $moduleBase 'SPOCrossTenant.psd1')).FunctionsToExport)
    $declarations = foreach ($function in $psm1Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -in $exported }, $false)) {
        # From the body's '{' to the end of its param block: [CmdletBinding()], [OutputType()], param(...).
        $body = $function.Body.Extent
        $end = if ($function.Body.ParamBlock) { $function.Body.ParamBlock.Extent.EndOffset } else { $body.StartOffset + 1 }
        "function $($function.Name) {$($psm1Text.Substring($body.StartOffset + 1, $end - $body.StartOffset - 1))`n}`n"
    }
    $usingLines = @($psm1Ast.UsingStatements | ForEach-Object { $_.Extent.Text })
    $variants = [ordered]@{
        Timeline  = @{ Psm1 = $instrumented }
        NoFormats = @{ Psm1 = $instrumented; Manifest = { param($m) $m -replace "(?m)^(\s*(FormatsToProcess|TypesToProcess)\s*=).*$", '$1 @()' } }
        NoScript  = @{ Psm1 = (& $mark 'script') + $stubs + (& $mark 'footer') + $psm1Text.Substring($footerAt) + "`n" + (& $mark 'end') }
        Floor     = @{ Psm1 = ($usingLines -join "`n") + "`n" + (& $mark 'script') + $stubs + ($declarations -join '') + (& $mark 'footer') + $psm1Text.Substring($footerAt) + "`n" + (& $mark 'end') }
    }
    $variantRoot = Join-Path $sandbox 'variants'
    foreach ($name in $variants.Keys) {
        $copy = Join-Path $variantRoot "$name/powershell/Modules/SPOCrossTenant/$version"
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $copy)
        Copy-Item -Recurse -LiteralPath $moduleBase -Destination $copy
        [System.IO.File]::WriteAllText((Join-Path $copy 'SPOCrossTenant.psm1'), $variants[$name].Psm1)
        if ($variants[$name].Manifest) {
            $manifestFile = Join-Path $copy 'SPOCrossTenant.psd1'
            [System.IO.File]::WriteAllText($manifestFile, (& $variants[$name].Manifest ([System.IO.File]::ReadAllText($manifestFile))))
        }
    }
    $timeline = @'
$global:SpoBenchMarks = @{{}}
$global:SpoBenchClock = [System.Diagnostics.Stopwatch]::StartNew()
Import-Module {0} -ErrorAction Stop
$total = $global:SpoBenchClock.Elapsed.TotalMilliseconds
foreach ($key in 'script', 'footer', 'end') {{ '{{0}}={{1}}' -f $key, $global:SpoBenchMarks[$key] }}
'total=' + $total
# First use (not part of the import): loading the private code, as the first command would.
$module = Get-Module SPOCrossTenant
if ($module -and (& $module {{ Get-Command Import-SpoPrivateCode -ErrorAction Ignore }})) {{
    $clock = [System.Diagnostics.Stopwatch]::StartNew(); & $module {{ Import-SpoPrivateCode }}; 'private=' + $clock.Elapsed.TotalMilliseconds
}}
'@
    $samples = @{}
    function Add-Sample([string]$Run, [string[]]$Lines) {
        foreach ($line in $Lines) {
            if ($line -match '^(?<key>\w+)=(?<ms>[\d.]+)$') {
                $key = "$Run.$($Matches.key)"
                if (-not $samples.Contains($key)) { $samples[$key] = [System.Collections.Generic.List[double]]::new() }
                $samples[$key].Add([double]$Matches.ms)
            }
        }
    }
    $null = Invoke-FreshPwsh ($timeline -f 'SPOCrossTenant') -DataHome (Join-Path $variantRoot 'Timeline')
    for ($i = 0; $i -lt $Repetitions; $i++) {
        Write-Progress -Activity 'Breakdown in fresh processes' -PercentComplete (100 * $i / $Repetitions)
        Add-Sample 'Trivial' (Invoke-FreshPwsh ($timeline -f 'Trivial'))
        foreach ($name in $variants.Keys) { Add-Sample $name (Invoke-FreshPwsh ($timeline -f 'SPOCrossTenant') -DataHome (Join-Path $variantRoot $name)) }
    }
    Write-Progress -Activity 'Breakdown in fresh processes' -Completed
    function M([string]$Key) { if ($samples.Contains($Key)) { Get-Median $samples[$Key] } else { [double]::NaN } }

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
    $rows = [ordered]@{
        'trivial module: Import-Module'                                                        = M 'Trivial.total'
        'ours (instrumented copy): Import-Module'                                              = M 'Timeline.total'
        '  until its script runs: find by name, manifest, assemblies, format/type files, parse' = M 'Timeline.script'
        '    of which the format and type files (copy without them)'                           = (M 'Timeline.script') - (M 'NoFormats.script')
        "    of which parsing the $([int]($psm1.Length / 1KB)) KB script (copy with only the footer)"       = (M 'Timeline.script') - (M 'NoScript.script')
        '  running the script: defining functions, variables, argument completers'              = (M 'Timeline.footer') - (M 'Timeline.script')
        '  the footer: native library found, loaded, ABI checked; enum assemblies loaded'       = (M 'Timeline.end') - (M 'Timeline.footer')
        '  after the script: exports, Import-Module returns'                                   = (M 'Timeline.total') - (M 'Timeline.end')
        'floor: a copy with only the manifest, the commands'' declarations and the footer'      = M 'Floor.total'
        "first use, not in the import: loading the $([int]($privateCode.Length / 1KB)) KB private code (parse, define)"  = M 'Timeline.private'
    }
    "Where the time goes (medians over $Repetitions more fresh processes each, each module alone in a user module folder):"
    foreach ($entry in $rows.GetEnumerator()) { '  {0,-92} {1,7:N1} ms' -f $entry.Key, $entry.Value }
    ''
    'The floor against the trivial module: {0:N2}x (no module with these commands, their format data and a checked native library can import in less here)' -f ((M 'Floor.total') / (M 'Trivial.total'))
} finally {
    Remove-Item -Recurse -Force -LiteralPath $sandbox -ErrorAction SilentlyContinue
}
