#!/usr/bin/env pwsh
<#
.SYNOPSIS
Benchmarks starting 4,000 user moves from a CSV against the emulator. Not a test.

.DESCRIPTION
Sets up what a real batch needs on a fresh emulator (release build): 4,000 licensed users with a
OneDrive on the source tenant (contoso), 4,000 users without one on the target (fabrikam), the
trust on both sides and a 4,000-row identity map uploaded on the target. Then, for each of
-Rounds rounds (the emulator is reset and set up again in between):

  Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl <fabrikam>

and, in the same round, -SetCalls calls of Set-SPOCrossTenantRelationship for the baseline. It
prints per round the time per move, the ratio to one Set call, the identity map upload time, and
the process working set (after a full garbage collection) before the first round and after each,
which should stay flat.

.PARAMETER Moves
Rows in the batch (at most 4,000, the service's limit per batch).

.PARAMETER Rounds
How many batches to time.

.PARAMETER SetCalls
How many Set-SPOCrossTenantRelationship calls per round for the baseline.

.EXAMPLE
./scripts/build-module.sh && cargo build --release --workspace && pwsh -NoProfile -File bench/Measure-Moves.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(10, 4000)][int]$Moves = 4000,
    [ValidateRange(1, 20)][int]$Rounds = 3,
    [ValidateRange(10, 100000)][int]$SetCalls = 1000
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
$manifest = Get-ChildItem -Path (Join-Path $repoRoot 'dist/SPOCrossTenant') -Filter SPOCrossTenant.psd1 -Recurse -ErrorAction SilentlyContinue |
    Select-Object -First 1 -ExpandProperty FullName
if (-not $manifest) { throw 'No built module under dist/; run ./scripts/build-module.sh first.' }
$emulatorPath = Join-Path $repoRoot "target/release/spo-emulator$(if ($IsWindows) { '.exe' })"
if (-not (Test-Path -LiteralPath $emulatorPath)) { throw "No release emulator at $emulatorPath; run 'cargo build --release --workspace'." }

function Get-WorkingSetMiB {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    [math]::Round($process.WorkingSet64 / 1MB, 1)
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-bench-moves-$PID"
$null = New-Item -ItemType Directory -Force -Path $work
$log = Join-Path $work 'emulator.log'
$start = [System.Diagnostics.ProcessStartInfo]::new($emulatorPath)
# Moves stay NotStarted for the whole run (a long step): the bench measures starting them.
foreach ($argument in '--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--move-step', '1h', '--log', $log) {
    $start.ArgumentList.Add($argument)
}
$start.UseShellExecute = $false
$start.RedirectStandardOutput = $true
$emulator = [System.Diagnostics.Process]::Start($start)
try {
    $firstLine = $emulator.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000)) { throw 'The emulator did not start within 20 s.' }
    $startup = $firstLine.Result | ConvertFrom-Json
    $base = "http://$($startup.listen)"
    $contoso = $startup.tenants.contoso
    $fabrikam = $startup.tenants.fabrikam
    $VerbosePreference = 'SilentlyContinue'
    Import-Module $manifest -Force

    $csv = Join-Path $work 'users.csv'
    $map = Join-Path $work 'identity-map.csv'
    1..$Moves | ForEach-Object { [pscustomobject]@{ SourceUserPrincipalName = "mover$_@contoso.onmicrosoft.com"; TargetUserPrincipalName = "mover$_@fabrikam.onmicrosoft.com" } } |
        Export-Csv -LiteralPath $csv -NoTypeInformation
    Set-Content -LiteralPath $map -Value (1..$Moves | ForEach-Object { "User,$($contoso.companyId),mover$_@contoso.onmicrosoft.com,mover$_@fabrikam.onmicrosoft.com,mover$_@fabrikam.onmicrosoft.com,RegularUser" })

    function Initialize-Batch {
        # A clean emulator with the users, the trust and the identity map a batch needs.
        $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/reset"
        $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/tenants/contoso/users" -ContentType 'text/plain' -Body ((1..$Moves | ForEach-Object { "mover$_@contoso.onmicrosoft.com" }) -join "`n")
        $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/tenants/fabrikam/users" -ContentType 'text/plain' -Body ((1..$Moves | ForEach-Object { "mover$_@fabrikam.onmicrosoft.com,no-onedrive" }) -join "`n")
        Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
        Set-SPOCrossTenantRelationship MnA Source $contoso.hostUrl
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        Add-SPOTenantIdentityMap $map -ErrorAction Stop
        $mapSeconds = $clock.Elapsed.TotalSeconds
        Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
        Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl
        $mapSeconds
    }

    # Warm-up: every code path once, so the first round does not pay for compiling it.
    $null = Initialize-Batch
    $null = Import-Csv $csv | Select-Object -First 20 | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $fabrikam.hostUrl -ErrorAction Stop
    for ($i = 0; $i -lt 100; $i++) { Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl }

    $baselineMiB = Get-WorkingSetMiB
    Write-Host ("pwsh {0}, {1} CPUs; {2} moves per batch; working set before: {3} MiB" -f $PSVersionTable.PSVersion, [Environment]::ProcessorCount, $Moves, $baselineMiB)
    $rows = for ($round = 1; $round -le $Rounds; $round++) {
        $mapSeconds = Initialize-Batch
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $started = @(Import-Csv $csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $fabrikam.hostUrl -ErrorAction Stop)
        $perMoveUs = $clock.Elapsed.TotalMilliseconds * 1000 / $Moves
        if ($started.Count -ne $Moves) { throw "Round ${round}: $($started.Count) of $Moves moves started." }
        $started = $null
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt $SetCalls; $i++) { Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl }
        $setUs = $clock.Elapsed.TotalMilliseconds * 1000 / $SetCalls
        [pscustomobject]@{
            Round              = $round
            'Batch (s)'        = [math]::Round($perMoveUs * $Moves / 1e6, 2)
            'us per move'      = [math]::Round($perMoveUs, 0)
            'us per Set'       = [math]::Round($setUs, 0)
            'move / Set'       = '{0:N2}x' -f ($perMoveUs / $setUs)
            'map upload (s)'   = [math]::Round($mapSeconds, 2)
            'working set (MiB)' = Get-WorkingSetMiB
        }
    }
    $rows | Format-Table -AutoSize | Out-String -Width 200 | Write-Host
    Disconnect-SPOService
} finally {
    if (-not $emulator.HasExited) { $emulator.Kill(); $null = $emulator.WaitForExit(10000) }
    $emulator.Dispose()
    Remove-Item -Recurse -Force -LiteralPath $work -ErrorAction SilentlyContinue
}
