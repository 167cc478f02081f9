#!/usr/bin/env pwsh
<#
.SYNOPSIS
Benchmarks the SPOCrossTenant module: import time and the cost of one call. Not a test.

.DESCRIPTION
Prints one table from one run:

  (a) Import-Module time in a fresh pwsh (measured inside the new process with a Stopwatch around
      Import-Module only; median of -ImportRepetitions runs), against importing a trivial
      one-function script module created in a temporary folder, measured the same way and
      interleaved with ours. Target: ours <= 3x the trivial module. A warm-up import first fills
      the per-user type cache; a second row shows imports without that cache.
  (b) Mean time per call of -Calls Set-SPOCrossTenantRelationship calls against the emulator,
      against the same number of Invoke-RestMethod POSTs of the same CSOM body to the same
      emulator from the same session. Target: ours <= 0.5x Invoke-RestMethod.
  (c) How the P/Invoke binding is declared: Reflection.Emit (what the module does) against
      Add-Type compiling the equivalent C#, each in a fresh pwsh. Informational.

Uses the release build (target/release, from 'cargo build --release --workspace') when present,
otherwise the debug build; the table says which. -LibraryPath and -EmulatorPath point elsewhere.

.PARAMETER ImportRepetitions
How many fresh processes to start for each module in (a).

.PARAMETER Calls
How many calls to time in (b), after a short warm-up.

.PARAMETER LibraryPath
The native library to benchmark instead of target/release (or target/debug).

.PARAMETER EmulatorPath
The spo-emulator executable to use instead of target/release (or target/debug).

.PARAMETER SkipBindingComparison
Leave out (c), which spends a few seconds compiling C#.

.EXAMPLE
pwsh -NoProfile -File bench/Measure-Module.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 101)][int]$ImportRepetitions = 9,
    [ValidateRange(10, 100000)][int]$Calls = 1000,
    [string]$LibraryPath,
    [string]$EmulatorPath,
    [switch]$SkipBindingComparison
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
$manifest = Join-Path $repoRoot 'module/SPOCrossTenant.psd1'

function Get-BuildFile {
    # The release build when there is one, else the debug build.
    param([string]$Name)
    foreach ($profileName in 'release', 'debug') {
        $path = Join-Path $repoRoot "target/$profileName/$Name"
        if (Test-Path -LiteralPath $path) { return [pscustomobject]@{ Path = $path; Profile = $profileName } }
    }
    throw "target/*/$Name is missing; run 'cargo build --release --workspace' in $repoRoot."
}

function Invoke-FreshPwsh {
    # Runs a command or a script file in a new pwsh process and returns its output
    # (pwsh installed as a .NET tool runs as 'dotnet pwsh.dll').
    param([string]$Command, [string]$File, [string[]]$Arguments = @())
    $host_ = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $pwshArguments = if ($File) { @('-NoProfile', '-NonInteractive', '-File', $File) + $Arguments } else { @('-NoProfile', '-NonInteractive', '-Command', $Command) }
    if ([System.IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { $pwshArguments = @([Environment]::GetCommandLineArgs()[0]) + $pwshArguments }
    & $host_ @pwshArguments
}

function Get-Median {
    param([double[]]$Values)
    $sorted = $Values | Sort-Object
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function New-Row {
    param([string]$Measure, [double]$Ours, [double]$Baseline, [string]$BaselineName, [string]$Unit, [double]$Target)
    $ratio = $Ours / $Baseline
    [pscustomobject]@{
        Measure  = $Measure
        Ours     = '{0:N3} {1}' -f $Ours, $Unit
        Baseline = '{0:N3} {1} ({2})' -f $Baseline, $Unit, $BaselineName
        Ratio    = '{0:N2}x' -f $ratio
        Target   = if ($Target) { '<= {0}x' -f $Target } else { '-' }
        Met      = if ($Target) { if ($ratio -le $Target) { 'yes' } else { 'NO' } } else { '-' }
    }
}

# (PowerShell variable names ignore case: $library below must not share a name with a parameter.)
$library = if ($LibraryPath) { [pscustomobject]@{ Path = (Resolve-Path -LiteralPath $LibraryPath).ProviderPath; Profile = 'given' } }
else { Get-BuildFile $(if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }) }
$emulatorFile = if ($EmulatorPath) { [pscustomobject]@{ Path = (Resolve-Path -LiteralPath $EmulatorPath).ProviderPath; Profile = 'given' } }
else { Get-BuildFile $(if ($IsWindows) { 'spo-emulator.exe' } else { 'spo-emulator' }) }
$env:SPO_CROSSTENANT_LIBRARY = $library.Path
Write-Host "Library: $($library.Path)`nEmulator: $($emulatorFile.Path)`npwsh $($PSVersionTable.PSVersion) on $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription), $([Environment]::ProcessorCount) CPUs"
$rows = [System.Collections.Generic.List[object]]::new()

# (a) Import time, fresh processes, interleaved so that machine load hits both alike.
$trivialRoot = Join-Path ([System.IO.Path]::GetTempPath()) "spo-bench-$PID/Trivial"
$null = New-Item -ItemType Directory -Force -Path $trivialRoot
Set-Content -LiteralPath (Join-Path $trivialRoot 'Trivial.psm1') -Value "function Get-Trivial { 'trivial' }`nExport-ModuleMember -Function Get-Trivial"
$measureImport = '$clock = [System.Diagnostics.Stopwatch]::StartNew(); Import-Module ''{0}''; $clock.Elapsed.TotalMilliseconds'
$oursMs = @(); $trivialMs = @()
try {
    $null = Invoke-FreshPwsh ($measureImport -f $manifest)   # the first start pays for disk caches
    for ($i = 0; $i -lt $ImportRepetitions; $i++) {
        Write-Progress -Activity 'Import-Module in fresh processes' -PercentComplete (100 * $i / $ImportRepetitions)
        $trivialMs += [double](Invoke-FreshPwsh ($measureImport -f (Join-Path $trivialRoot 'Trivial.psm1')) | Select-Object -Last 1)
        $oursMs += [double](Invoke-FreshPwsh ($measureImport -f $manifest) | Select-Object -Last 1)
    }
} finally {
    Write-Progress -Activity 'Import-Module in fresh processes' -Completed
    Remove-Item -Recurse -Force -LiteralPath (Split-Path $trivialRoot) -ErrorAction SilentlyContinue
}
$rows.Add((New-Row -Measure "Import-Module, fresh pwsh (median of $ImportRepetitions)" -Ours (Get-Median $oursMs) -Baseline (Get-Median $trivialMs) -BaselineName 'trivial module' -Unit 'ms' -Target 3))

# The same without the per-user type cache (PowerShell 7.2-7.4, or a profile that cannot be
# written): the cache folder is pointed below a plain file, so every import declares its types in
# memory. Informational; not on macOS, whose data folder does not follow an environment variable.
if (-not $IsMacOS) {
    $cacheVariable = if ($IsWindows) { 'LOCALAPPDATA' } else { 'XDG_DATA_HOME' }
    $savedCacheRoot = [Environment]::GetEnvironmentVariable($cacheVariable)
    $blocker = [System.IO.Path]::GetTempFileName()
    $noCacheMs = @()
    try {
        [Environment]::SetEnvironmentVariable($cacheVariable, "$blocker/data")
        for ($i = 0; $i -lt $ImportRepetitions; $i++) { $noCacheMs += [double](Invoke-FreshPwsh ($measureImport -f $manifest) | Select-Object -Last 1) }
    } finally {
        [Environment]::SetEnvironmentVariable($cacheVariable, $savedCacheRoot)
        Remove-Item -LiteralPath $blocker -ErrorAction SilentlyContinue
    }
    $rows.Add((New-Row -Measure "Import-Module without the type cache (median of $ImportRepetitions)" -Ours (Get-Median $noCacheMs) -Baseline (Get-Median $trivialMs) -BaselineName 'trivial module' -Unit 'ms'))
}
Write-Verbose "Import ms, ours: $($oursMs -join ', ')"
Write-Verbose "Import ms, trivial: $($trivialMs -join ', ')"

# (b) Per-call time against the emulator.
$emulatorLog = [System.IO.Path]::GetTempFileName()
$start = [System.Diagnostics.ProcessStartInfo]::new($emulatorFile.Path)
foreach ($argument in '--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--log', $emulatorLog) { $start.ArgumentList.Add($argument) }
$start.UseShellExecute = $false
$start.RedirectStandardOutput = $true
$emulator = $null
try {
    $emulator = [System.Diagnostics.Process]::Start($start)
    $firstLine = $emulator.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000)) { throw 'The emulator did not start within 20 s.' }
    $tenants = ($firstLine.Result | ConvertFrom-Json).tenants
    $contoso = $tenants.contoso; $partner = $tenants.fabrikam.hostUrl

    # Quiet streams for both contenders: -Verbose on this script must not slow either down.
    $VerbosePreference = 'SilentlyContinue'
    Import-Module $manifest -Force
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    $warmUp = [math]::Min(200, $Calls)
    for ($i = 0; $i -lt $warmUp; $i++) { Set-SPOCrossTenantRelationship MnA Target $partner -ErrorAction Stop }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $Calls; $i++) { Set-SPOCrossTenantRelationship MnA Target $partner -ErrorAction Stop }
    $oursPerCall = $clock.Elapsed.TotalMilliseconds / $Calls
    Disconnect-SPOService

    # The same CSOM request the module sends (see docs/protocol.md section 4), sent by Invoke-RestMethod.
    $escapedPartner = [System.Security.SecurityElement]::Escape($partner)
    $body = @"
<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="SPOCrossTenant benchmark"><Actions><ObjectPath Id="2" ObjectPathId="1" /><Method Name="NewSPOTenantOrgRelation" Id="3" ObjectPathId="1"><Parameters><Parameter Type="Enum">1</Parameter><Parameter Type="Enum">2</Parameter><Parameter Type="String">$escapedPartner</Parameter></Parameters></Method></Actions><ObjectPaths><Constructor Id="1" TypeId="{268004ae-ef6b-4e9b-8425-127220d84719}" /></ObjectPaths></Request>
"@
    $request = @{
        Method = 'Post'; Uri = $contoso.adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'
        ContentType = 'text/xml'; Body = $body; Headers = @{ Authorization = "Bearer $($contoso.accessToken)" }
    }
    $answer = Invoke-RestMethod @request
    if ($answer[0].ErrorInfo) { throw "The emulator refused the benchmark body: $($answer[0].ErrorInfo.ErrorMessage)" }
    for ($i = 1; $i -lt $warmUp; $i++) { $null = Invoke-RestMethod @request }
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    for ($i = 0; $i -lt $Calls; $i++) { $null = Invoke-RestMethod @request }
    $restPerCall = $clock.Elapsed.TotalMilliseconds / $Calls
    $rows.Add((New-Row -Measure "Set-SPOCrossTenantRelationship, mean of $Calls calls" -Ours $oursPerCall -Baseline $restPerCall -BaselineName 'Invoke-RestMethod' -Unit 'ms' -Target 0.5))
} finally {
    if ($emulator) {
        if (-not $emulator.HasExited) { $emulator.Kill(); $null = $emulator.WaitForExit(10000) }
        $emulator.Dispose()
    }
    Remove-Item -LiteralPath $emulatorLog -ErrorAction SilentlyContinue
}

# (c) Declaring the P/Invoke signatures: Reflection.Emit in memory (the module's code, without its
# type cache) against Add-Type C#. Each variant runs as a script file in a fresh pwsh; the C# is
# generated from the module's own signature table, so both declare exactly the same functions.
if (-not $SkipBindingComparison) {
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) "spo-bench-binding-$PID"
    $null = New-Item -ItemType Directory -Force -Path $scratch
    $private = Join-Path $repoRoot 'module/Private'
    Set-Content -LiteralPath (Join-Path $scratch 'emit.ps1') -Value @'
param($Private, $Library)
. "$Private/NativeLibrary.ps1"
$clock = [System.Diagnostics.Stopwatch]::StartNew()
$name = [System.Reflection.AssemblyName]::new('SpoBenchEmit')
$module = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly($name, 'Run').DefineDynamicModule($name.Name)
$native = New-SpoNativeType -Module $module -Path $Library -Name 'SpoBenchNative'
$null = $native::spo_abi_version()
$clock.Elapsed.TotalMilliseconds
'@
    Set-Content -LiteralPath (Join-Path $scratch 'addtype.ps1') -Value @'
param($Private, $Library)
. "$Private/NativeLibrary.ps1"
$csharp = @{ 'System.UInt32' = 'uint'; 'System.UInt16' = 'ushort'; 'System.Void' = 'void'; 'System.IntPtr' = 'IntPtr'; 'System.UIntPtr' = 'UIntPtr'; 'System.Byte[]' = 'byte[]'; 'System.IntPtr&' = 'ref IntPtr' }
$methods = foreach ($entry in (Get-SpoNativeSignatures).GetEnumerator()) {
    $parameters = for ($i = 0; $i -lt $entry.Value[1].Count; $i++) { '{0} p{1}' -f $csharp[$entry.Value[1][$i].FullName], $i }
    '[DllImport(@"{0}", CallingConvention = CallingConvention.Cdecl)] public static extern {1} {2}({3});' -f $Library, $csharp[$entry.Value[0].FullName], $entry.Key, ($parameters -join ', ')
}
$source = 'using System; using System.Runtime.InteropServices; public static class SpoBenchNative { ' + ($methods -join ' ') + ' }'
$clock = [System.Diagnostics.Stopwatch]::StartNew()
Add-Type -TypeDefinition $source
$null = [SpoBenchNative]::spo_abi_version()
$clock.Elapsed.TotalMilliseconds
'@
    $emitMs = @(); $addTypeMs = @()
    try {
        for ($i = 0; $i -lt 3; $i++) {
            $emitMs += [double](Invoke-FreshPwsh -File (Join-Path $scratch 'emit.ps1') -Arguments $private, $library.Path | Select-Object -Last 1)
            $addTypeMs += [double](Invoke-FreshPwsh -File (Join-Path $scratch 'addtype.ps1') -Arguments $private, $library.Path | Select-Object -Last 1)
        }
    } finally {
        Remove-Item -Recurse -Force -LiteralPath $scratch -ErrorAction SilentlyContinue
    }
    $rows.Add((New-Row -Measure 'Declare the P/Invoke binding, fresh pwsh (median of 3)' -Ours (Get-Median $emitMs) -Baseline (Get-Median $addTypeMs) -BaselineName 'Add-Type C#' -Unit 'ms'))
}

Write-Host "Build used: $($library.Profile)"
$rows | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
