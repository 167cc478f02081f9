#!/usr/bin/env pwsh
<#
.SYNOPSIS
Measures Test-SPOCrossTenantMigrationReadiness on -Rows OneDrive rows against the emulator. Not a test.

.DESCRIPTION
Starts an emulator (release build when there is one, else debug) with contoso and fabrikam, adds
-Rows licensed users with a OneDrive to contoso through the control endpoint, sets the trust on
both sides, uploads an identity map for all of them on fabrikam, then times the readiness check
of all the rows (each row: one validation-only start) with the target-side checks on, and prints
seconds, rows per second and milliseconds per row.

With -LatencyMs, a second run adds that much latency to every request (an emulator fault), to
show how much of a real tenant's time would be spent waiting on the network: the part bounded
concurrency could overlap. The closing line compares the two runs.

.PARAMETER Rows
How many rows to check (default 1000).

.PARAMETER LatencyMs
The latency of the second run, per request; 0 skips it (default 50, on -LatencyRows rows).

.PARAMETER LatencyRows
How many rows the latency run checks (default 200).

.PARAMETER ModulePath
The module manifest to import; defaults to the one scripts/build-module.sh puts under dist/.

.EXAMPLE
./scripts/build-module.sh -Configuration Debug && pwsh -NoProfile -File bench/Measure-Readiness.ps1

.EXAMPLE
pwsh -NoProfile -File bench/Measure-Readiness.ps1 -Rows 4000 -LatencyMs 0
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 100000)][int]$Rows = 1000,
    [ValidateRange(0, 10000)][int]$LatencyMs = 50,
    [ValidateRange(1, 100000)][int]$LatencyRows = 200,
    [string]$ModulePath
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
if (-not $ModulePath) {
    $ModulePath = Get-ChildItem -Path (Join-Path $repoRoot 'dist/SPOCrossTenant') -Filter SPOCrossTenant.psd1 -Recurse -ErrorAction SilentlyContinue |
        Select-Object -First 1 -ExpandProperty FullName
    if (-not $ModulePath) { throw 'No built module under dist/; run ./scripts/build-module.sh first.' }
}
$exe = "spo-emulator$(if ($IsWindows) { '.exe' })"
$emulatorPath = @('release', 'debug') | ForEach-Object { Join-Path $repoRoot "target/$_/$exe" } | Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
if (-not $emulatorPath) { throw "No emulator under target/; run 'cargo build --workspace'." }
Import-Module $ModulePath -Force

$start = [System.Diagnostics.ProcessStartInfo]::new($emulatorPath)
foreach ($argument in '--listen', '127.0.0.1:0', '--dormant-period', '0s', '--log', ([System.IO.Path]::GetTempFileName()), '--tenant', 'contoso', '--tenant', 'fabrikam') { $start.ArgumentList.Add($argument) }
$start.UseShellExecute = $false
$start.RedirectStandardOutput = $true
$emulator = [System.Diagnostics.Process]::Start($start)
$work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-readiness-bench-$PID"
$null = New-Item -ItemType Directory -Force -Path $work
try {
    $info = $emulator.StandardOutput.ReadLine() | ConvertFrom-Json
    $base = "http://$($info.listen)"
    $contoso = $info.tenants.contoso; $fabrikam = $info.tenants.fabrikam
    Write-Host "Emulator: $emulatorPath ($base)"

    $names = 1..$Rows | ForEach-Object { 'bench{0:d5}' -f $_ }
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/tenants/contoso/users" -ContentType 'application/json' `
        -Body (ConvertTo-Json -InputObject @($names | ForEach-Object { "$_@contoso.onmicrosoft.com" }))
    $map = Join-Path $work 'map.csv'
    [System.IO.File]::WriteAllLines($map, [string[]]@($names | ForEach-Object {
                "User,$($contoso.companyId),$_@contoso.onmicrosoft.com,$_@fabrikam.onmicrosoft.com,$_@fabrikam.onmicrosoft.com,RegularUser" }))
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Set-SPOCrossTenantRelationship MnA Source $contoso.hostUrl
    Add-SPOTenantIdentityMap -IdentityMapPath $map
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl
    $rowObjects = foreach ($name in $names) { [pscustomobject]@{ SourceUserPrincipalName = "$name@contoso.onmicrosoft.com"; TargetUserPrincipalName = "$name@fabrikam.onmicrosoft.com" } }
    $target = @{ TargetAdminUrl = $fabrikam.adminUrl; TargetAccessToken = $fabrikam.accessToken }

    function Measure-Run {
        param([object[]]$Row, [string]$Label, [int]$ThrottleLimit = 4)
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $findings = @($Row | Test-SPOCrossTenantMigrationReadiness $fabrikam.hostUrl @target -ThrottleLimit $ThrottleLimit 6>$null)
        $clock.Stop()
        $bad = @($findings | Where-Object Result -NE 'Pass').Count
        if ($bad) { throw "$Label`: $bad finding(s) are not Pass; the bench expects a clean run." }
        $seconds = $clock.Elapsed.TotalSeconds
        Write-Host ("{0}: {1} rows in {2:N2} s = {3:N0} rows/s, {4:N2} ms per row ({5} findings)" -f $Label, $Row.Count, $seconds, ($Row.Count / $seconds), (1000 * $seconds / $Row.Count), $findings.Count)
        $seconds / $Row.Count
    }

    $null = Measure-Run -Row $rowObjects[0..([Math]::Min(19, $Rows - 1))] -Label 'warm-up'
    $perRowOne = Measure-Run -Row $rowObjects -Label 'readiness, -ThrottleLimit 1' -ThrottleLimit 1
    $perRow = Measure-Run -Row $rowObjects -Label 'readiness, -ThrottleLimit 4 (default)'
    if ($LatencyMs) {
        $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/faults" -ContentType 'application/json' -Body (ConvertTo-Json "latency:ms=$LatencyMs")
        $some = $rowObjects[0..([Math]::Min($LatencyRows, $Rows) - 1)]
        $slowOne = Measure-Run -Row $some -Label "readiness, +$LatencyMs ms per request, -ThrottleLimit 1" -ThrottleLimit 1
        $slowFour = Measure-Run -Row $some -Label "readiness, +$LatencyMs ms per request, -ThrottleLimit 4" -ThrottleLimit 4
        $slowEight = Measure-Run -Row $some -Label "readiness, +$LatencyMs ms per request, -ThrottleLimit 8" -ThrottleLimit 8
        $waiting = ($slowOne - $perRowOne) / $slowOne
        Write-Host ("At +{0} ms per request, one at a time spends {1:P0} of each row waiting on the network; 4 in flight are {2:N1}x faster, 8 are {3:N1}x." -f
            $LatencyMs, $waiting, ($slowOne / $slowFour), ($slowOne / $slowEight))
    }
} finally {
    if (-not $emulator.HasExited) { $emulator.Kill(); $null = $emulator.WaitForExit(10000) }
    $emulator.Dispose()
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}
