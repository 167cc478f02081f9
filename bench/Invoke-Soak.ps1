#!/usr/bin/env pwsh
<#
.SYNOPSIS
Soaks the module: many runspaces call it at once against the emulator with faults on, and the
script reports calls, failures by kind, memory and open handles. Not a test.

.DESCRIPTION
Starts spo-emulator with two tenants and a mix of faults (throttling with Retry-After, added
latency, dropped connections, HTML and truncated bodies, each limited to a share of requests),
then runs -Rounds rounds. In each round -Runspaces runspaces (ForEach-Object -Parallel) each
import the module, connect, and make -CallsPerRunspace calls (Set, Get-SPOCrossTenantHostUrl,
Verify). Between rounds it records this process's working set, managed heap and open handles,
so growth across rounds shows a leak. The faults make some calls fail; every failure must be an
ErrorRecord with an SPOCrossTenant error id, never a crash or a hang.

.PARAMETER Runspaces
How many runspaces call the module at the same time.

.PARAMETER CallsPerRunspace
Calls each runspace makes per round.

.PARAMETER Rounds
How many rounds to run; memory and handles are sampled after each.

.EXAMPLE
pwsh -NoProfile -File bench/Invoke-Soak.ps1 -Runspaces 8 -CallsPerRunspace 200 -Rounds 5
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 64)][int]$Runspaces = 8,
    [ValidateRange(1, 100000)][int]$CallsPerRunspace = 150,
    [ValidateRange(1, 100)][int]$Rounds = 4
)

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$configuration = if (Test-Path (Join-Path $root 'target/release/spo-emulator')) { 'release' } else { 'debug' }
$library = if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }
$env:SPO_CROSSTENANT_LIBRARY = Join-Path $root "target/$configuration/$library"
# The built module (./scripts/build-module.sh), as users get it.
$manifest = Get-ChildItem -Path (Join-Path $root 'dist/SPOCrossTenant') -Filter SPOCrossTenant.psd1 -Recurse -ErrorAction SilentlyContinue |
    Select-Object -First 1 -ExpandProperty FullName
if (-not $manifest) { throw "No built module under dist/; run ./scripts/build-module.sh first." }

function Get-OpenHandleCount {
    # Linux and macOS count file descriptors (sockets included); Windows counts kernel handles.
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    if ($IsLinux) { return @([System.IO.Directory]::GetFileSystemEntries('/proc/self/fd')).Count }
    return $process.HandleCount
}

function Get-Sample([string] $Label) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    [pscustomobject]@{
        When          = $Label
        WorkingSetMiB = [math]::Round($process.WorkingSet64 / 1MB, 1)
        ManagedMiB    = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
        OpenHandles   = Get-OpenHandleCount
        Threads       = $process.Threads.Count
    }
}

$start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $root "target/$configuration/spo-emulator"))
$faults = '429:retry-after=0:count=150', '503:retry-after=0:count=100', 'latency:ms=20:count=400', 'drop:count=40', 'html:count=30', 'truncated:count=30'
foreach ($argument in @('--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--log', '/dev/null') + ($faults | ForEach-Object { '--fault', $_ })) {
    $start.ArgumentList.Add($argument)
}
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$emulator = [System.Diagnostics.Process]::Start($start)
try {
    $startup = $emulator.StandardOutput.ReadLine() | ConvertFrom-Json
    $contoso = $startup.tenants.contoso
    $fabrikamHost = $startup.tenants.fabrikam.hostUrl
    Import-Module $manifest
    $samples = [System.Collections.Generic.List[object]]::new()
    $samples.Add((Get-Sample 'start'))
    $failures = @{}
    $calls = 0
    $elapsed = [System.Diagnostics.Stopwatch]::StartNew()
    for ($round = 1; $round -le $Rounds; $round++) {
        $results = 1..$Runspaces | ForEach-Object -ThrottleLimit $Runspaces -Parallel {
            Import-Module $using:manifest
            Connect-SPOService -Url $using:contoso.adminUrl -AccessToken $using:contoso.accessToken -MaxRetryAttempts 3 -MaxRetrySeconds 5
            $made = 0
            $errors = [System.Collections.Generic.List[string]]::new()
            for ($i = 0; $i -lt $using:CallsPerRunspace; $i++) {
                $failure = $null
                switch ($i % 3) {
                    0 { Set-SPOCrossTenantRelationship MnA Target $using:fabrikamHost -ErrorVariable failure -ErrorAction SilentlyContinue }
                    1 { $null = Get-SPOCrossTenantHostUrl -ErrorVariable failure -ErrorAction SilentlyContinue }
                    2 { $null = Verify-SPOCrossTenantRelationship MnA Target $using:fabrikamHost -ErrorVariable failure -ErrorAction SilentlyContinue }
                }
                $made++
                foreach ($record in $failure) { $errors.Add(($record.FullyQualifiedErrorId -split ',')[0]) }
            }
            Disconnect-SPOService
            [pscustomobject]@{ Calls = $made; Errors = $errors.ToArray() }
        }
        foreach ($result in $results) {
            $calls += $result.Calls
            foreach ($id in $result.Errors) { $failures[$id] = 1 + [int]$failures[$id] }
        }
        $samples.Add((Get-Sample "after round $round"))
    }
    $elapsed.Stop()

    "`nSoak: $Runspaces runspaces x $CallsPerRunspace calls x $Rounds rounds against the emulator ($configuration build), faults: $($faults -join ', ')"
    "Calls made: $calls in $([math]::Round($elapsed.Elapsed.TotalSeconds, 1)) s ($([math]::Round($calls / $elapsed.Elapsed.TotalSeconds)) calls/s)"
    "Failures by kind:"
    if ($failures.Count -eq 0) { '  none' } else { $failures.GetEnumerator() | Sort-Object Name | ForEach-Object { '  {0,-40} {1}' -f $_.Name, $_.Value } }
    $samples | Format-Table -AutoSize | Out-String
    $first = $samples[1]; $last = $samples[-1]
    "Growth from round 1 to round $Rounds`: working set {0:+0.0;-0.0} MiB, managed heap {1:+0.0;-0.0} MiB, open handles {2:+0;-0}" -f ($last.WorkingSetMiB - $first.WorkingSetMiB), ($last.ManagedMiB - $first.ManagedMiB), ($last.OpenHandles - $first.OpenHandles)
}
finally {
    if (-not $emulator.HasExited) { $emulator.Kill() }
    $emulator.Dispose()
}
