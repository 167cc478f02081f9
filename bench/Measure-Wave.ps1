#!/usr/bin/env pwsh
<#
.SYNOPSIS
Benchmarks a wave of 4,000 user moves against an emulator that answers like a real tenant: slowly,
and throttling. Not a test.

.DESCRIPTION
Against the release emulator with -LatencyMs added to every request (100 ms by default), each run
starts on a fresh emulator, sets up 4,000 movers, the trust and the identity map, then times

  Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl <fabrikam>

1. with the defaults (-ThrottleLimit 16), then the same wave with -ThrottleLimit 1 (one request at
   a time, as before): the ratio of the two is the speed-up overlapping buys (target: >= 10x);
2. under a tenant that takes only -InFlightCap requests at a time (the emulator's fault
   429:in-flight=N): every row must start exactly once and none fail, and the wall time is
   compared with the least it could be, rows x latency / cap (target: within 1.5x);
3. Stop- of the same 4,000 rows, with the defaults;
4. with the defaults and -JournalPath (each row flushed to disk before and after its request).

Each run prints wall time, rows per second, the emulator's peak of requests answered at once, the
429s it sent, the rows written, the rows that failed, and the moves started twice (for the Stop
run: the moves not stopped). The process working set and managed heap (after a full garbage
collection, and after a whole warm-up wave) are printed before the first run and after each; they
should stay flat.

.PARAMETER Moves
Rows in the wave (at most 4,000, the service's limit per batch).

.PARAMETER LatencyMs
Latency the emulator adds to every request.

.PARAMETER InFlightCap
How many requests at once the throttling tenant of run 2 takes.

.PARAMETER BaselineMoves
Rows of the -ThrottleLimit 1 run; fewer than -Moves makes the run shorter (it takes rows x
latency), and the figure printed for it is then scaled to -Moves and marked so.

.EXAMPLE
./scripts/build-module.sh && cargo build --release --workspace && pwsh -NoProfile -File bench/Measure-Wave.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(10, 4000)][int]$Moves = 4000,
    [ValidateRange(0, 10000)][int]$LatencyMs = 100,
    [ValidateRange(1, 64)][int]$InFlightCap = 4,
    [ValidateRange(10, 4000)][int]$BaselineMoves = 4000
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
. (Join-Path $PSScriptRoot 'BenchEmulator.ps1')
$manifest = Get-BenchModulePath -RepoRoot $repoRoot
$emulator = Start-BenchEmulator -RepoRoot $repoRoot -Argument '--move-step', '1h'   # moves stay NotStarted, so they can be stopped
try {
    $VerbosePreference = 'SilentlyContinue'
    $ProgressPreference = 'SilentlyContinue'
    Import-Module $manifest -Force
    $files = New-BenchWaveFiles -Emulator $emulator -Moves $Moves
    $partner = $emulator.Fabrikam.hostUrl
    $base = $emulator.Base

    function Invoke-WaveRun {
        # Times $Action on a freshly set-up wave with $Fault armed; counts the rows written, the
        # errors, and the moves started twice (a Stop run: the moves not Stopped); returns one
        # row of the table.
        param([string]$Name, [int]$Rows, [string[]]$Fault, [scriptblock]$Action, [switch]$StartFirst)
        $null = Initialize-BenchWave -Emulator $emulator -Moves $Moves -Map $files.Map
        $waveRows = @(Import-Csv -LiteralPath $files.Csv | Select-Object -First $Rows)
        if ($StartFirst) { $null = $waveRows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $partner -ErrorAction Stop }
        $null = Invoke-RestMethod -Method Delete -Uri "$base/_emulator/stats"
        foreach ($spec in $Fault) { $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/faults" -ContentType 'application/json' -Body (ConvertTo-Json $spec) }
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $written = @(& $Action $waveRows 2>&1)
        $seconds = $clock.Elapsed.TotalSeconds
        $failed = @($written | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $null = Invoke-RestMethod -Method Delete -Uri "$base/_emulator/faults"
        $stats = Invoke-RestMethod -Uri "$base/_emulator/stats"
        $moves = @((Invoke-RestMethod "$base/_emulator/tenants/contoso/moves").moves | Where-Object MoveDirection -EQ 'MoveOut')
        $wrong = if ($StartFirst) { @($moves | Where-Object MoveState -NE 'Stopped').Count } else { @($moves | Group-Object SourceContentKey | Where-Object Count -GT 1).Count }
        $writtenCount = $written.Count - $failed.Count
        $failedCount = $failed.Count
        # The memory figures are of what the module keeps, not of this run's rows and outputs.
        $written = $failed = $moves = $waveRows = $null
        [pscustomobject]@{
            Run              = $Name
            Rows             = $Rows
            'Wall (s)'       = [math]::Round($seconds, 1)
            'Rows/s'         = [math]::Round($Rows / $seconds, 1)
            'Peak in flight' = [int]$stats.peakInFlight.contoso
            '429s'           = [int]$stats.byStatus.'429'
            Written          = $writtenCount
            Failed           = $failedCount
            'Twice/not stopped' = $wrong
            'Working set (MiB)' = Get-WorkingSetMiB
            'Managed heap (MiB)' = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
        }
    }

    $start = { param($Rows) $Rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $partner -ErrorAction Continue }
    $latency = "latency:ms=$LatencyMs"
    # Warm-up: a whole wave, so the first run does not pay for compiling, and the working set
    # before is that of a process that has already run one.
    $null = Invoke-WaveRun -Name warm-up -Rows $Moves -Fault @() -Action $start
    $startMiB = Get-WorkingSetMiB
    $startHeap = [math]::Round([GC]::GetTotalMemory($true) / 1MB, 1)
    Write-Host ("pwsh {0}, {1} CPUs; {2} moves; {3} ms per request; working set before: {4} MiB" -f $PSVersionTable.PSVersion, [Environment]::ProcessorCount, $Moves, $LatencyMs, $startMiB)

    $runs = [System.Collections.Generic.List[object]]::new()
    $runs.Add((Invoke-WaveRun -Name 'Start, defaults (16)' -Rows $Moves -Fault $latency -Action $start))
    $runs.Add((Invoke-WaveRun -Name 'Start, -ThrottleLimit 1' -Rows $BaselineMoves -Fault $latency -Action { param($Rows) $Rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $partner -ThrottleLimit 1 -ErrorAction Continue }))
    $runs.Add((Invoke-WaveRun -Name "Start, tenant takes $InFlightCap at a time" -Rows $Moves -Fault $latency, "429:retry-after=1:in-flight=$InFlightCap" -Action $start))
    $runs.Add((Invoke-WaveRun -Name 'Stop, defaults' -Rows $Moves -Fault $latency -StartFirst -Action { param($Rows) $Rows | Stop-SPOCrossTenantUserContentMove -ErrorAction Continue }))
    $runs.Add((Invoke-WaveRun -Name 'Start, defaults, -JournalPath' -Rows $Moves -Fault $latency -Action {
                param($Rows)
                $journal = Join-Path $emulator.Work "wave-$([guid]::NewGuid()).jsonl"
                $Rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $partner -JournalPath $journal -ErrorAction Continue 6>$null
            }))
    $runs | Format-Table -AutoSize | Out-String -Width 220 | Write-Host

    $overlapped = $runs[0].'Wall (s)'
    $oneAtATime = $runs[1].'Wall (s)' * $Moves / $BaselineMoves
    $scaled = if ($BaselineMoves -ne $Moves) { " (measured on $BaselineMoves rows, scaled to $Moves)" } else { '' }
    Write-Host ("Speed-up of the defaults over -ThrottleLimit 1: {0:N1}x ({1:N1} s against {2:N1} s{3}); target >= 10x." -f ($oneAtATime / $overlapped), $overlapped, $oneAtATime, $scaled)
    $floor = $Moves * $LatencyMs / 1000 / $InFlightCap
    $capped = $runs[2]
    Write-Host ("Tenant taking {0} at a time: {1:N1} s against the least possible {2:N1} s ({3} x {4} ms / {0}): {5:N2}x, target <= 1.5x; {6} written, {7} failed, {8} started twice, {9} throttled answers." -f
        $InFlightCap, $capped.'Wall (s)', $floor, $Moves, $LatencyMs, ($capped.'Wall (s)' / $floor), $capped.Written, $capped.Failed, $capped.'Twice/not stopped', $capped.'429s')
    Write-Host ("Working set: {0} MiB before, {1} MiB after the last run; managed heap {2} MiB before, {3} MiB after." -f $startMiB, $runs[-1].'Working set (MiB)', $startHeap, $runs[-1].'Managed heap (MiB)')
    Disconnect-SPOService
} finally {
    Stop-BenchEmulator $emulator
}
