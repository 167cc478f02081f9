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
. (Join-Path $PSScriptRoot 'BenchEmulator.ps1')
$manifest = Get-BenchModulePath -RepoRoot $repoRoot
# Moves stay NotStarted for the whole run (a long step): the bench measures starting them.
$emulator = Start-BenchEmulator -RepoRoot $repoRoot -Argument '--move-step', '1h'
try {
    $contoso = $emulator.Contoso
    $fabrikam = $emulator.Fabrikam
    $VerbosePreference = 'SilentlyContinue'
    Import-Module $manifest -Force
    $files = New-BenchWaveFiles -Emulator $emulator -Moves $Moves
    $csv = $files.Csv
    function Initialize-Batch { Initialize-BenchWave -Emulator $emulator -Moves $Moves -Map $files.Map }

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
    Stop-BenchEmulator $emulator
}
