# The -ReportPath of Wait-SPOCrossTenantContentMove: the wave report (Status/StatusReport.ps1) of
# the moves waited for, kept up to date while the wait goes on.
#
# It is written after a poll that changed something it shows (a state, a phase, a percentage),
# and again after one that failed to write it; for a wave of more than $SpoWaitReportLargeWave
# moves at most every $SpoWaitReportLargeGapSeconds seconds (building the page of 12,000 moves
# takes seconds: written after every 5 s poll it would cost the wait most of its time), and
# always once the wait is over. While the wait goes on the page reloads itself; at the end, also
# when the wait is stopped (Ctrl+C) or ends in an error, it is written once more without the
# reload, so a browser left open stops reloading a page that no longer changes.
#
# A write that fails (Excel holds the CSV, the disk is full) does not stop the wait: a warning
# says what happened, once per distinct failure, and the report is written again at the next poll.

$script:SpoWaitReportLargeWave = 1000
$script:SpoWaitReportLargeGapSeconds = 30

function New-SpoWaitReport {
    # The report's state for one wait; the path is checked here, before anything is sent.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$ReportPath, [string]$Partner)
    @{ Cmdlet = $Cmdlet; Files = (Resolve-SpoReportPath -Cmdlet $Cmdlet -ReportPath $ReportPath -Example wave.html); Partner = $Partner
        Context = $null; Due = $true; Written = $null; Reloading = $false; Clock = [System.Diagnostics.Stopwatch]::new()
        Warned = [System.Collections.Generic.HashSet[string]]::new() }
}

function Update-SpoWaitReport {
    # After a poll: writes the report when it is due (something shown changed, or the last write
    # failed) and the gap of a large wave allows it; $Over: the wait ends, written anyway, without
    # the reload. $RefreshSeconds: how soon the page reloads itself while the wait goes on.
    param([hashtable]$Report, [System.Collections.Generic.List[hashtable]]$Items, [bool]$Changed, [bool]$Over, [int]$RefreshSeconds)
    if ($Changed) { $Report.Due = $true }
    $last = if ($Report.Written) { " (last written at $([SPOCrossTenant.InvariantText]::Date($Report.Written)) UTC)" } else { '' }
    if (-not $Over) {
        if (-not $Report.Due) { Write-Verbose "Report $($Report.Files.Html): nothing it shows changed, not written$last."; return }
        if ($Items.Count -gt $script:SpoWaitReportLargeWave -and $Report.Clock.IsRunning -and $Report.Clock.Elapsed.TotalSeconds -lt $script:SpoWaitReportLargeGapSeconds) {
            Write-Verbose "Report $($Report.Files.Html): $($Items.Count) moves, written at most every $script:SpoWaitReportLargeGapSeconds s; next after this gap$last."
            return
        }
    }
    Write-SpoWaitReport -Report $Report -Items $Items -RefreshSeconds $(if ($Over) { 0 } else { $RefreshSeconds })
}

function Close-SpoWaitReport {
    # The wait is over however it ended: a page on disk that still reloads itself is written once
    # more without the reload. Runs in a finally block, also when the pipeline is stopping: it asks
    # the service nothing and writes no warning or error then, only the file.
    param([hashtable]$Report, [System.Collections.Generic.List[hashtable]]$Items)
    if ($Report.Reloading) { Write-SpoWaitReport -Report $Report -Items $Items -RefreshSeconds 0 -Quiet }
}

function Write-SpoWaitReport {
    # The wave report of the moves waited for, as they stand now. $RefreshSeconds: how soon the
    # page reloads itself (0: it does not). A failure becomes a warning, once per distinct failure
    # (none with -Quiet), and the report is due again.
    param([hashtable]$Report, [System.Collections.Generic.List[hashtable]]$Items, [int]$RefreshSeconds, [switch]$Quiet)
    $states = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $Items) { if ($item.State -and -not $item.Missing) { $states.Add($item.State) } }
    if (-not $Quiet) {   # (-Quiet, at the end: the context of the last write; nothing is asked of the service)
        $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
        $Report.Context = Get-SpoStatusContext -Cmdlet $Report.Cmdlet -Connection $script:SpoConnection -Moves $states -Known $Report.Context -Verbose $verbose
    }
    $status = New-SpoMigrationStatus -States $states -Partner $Report.Partner -Context $Report.Context -Warned $Report.Warned
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $unwritten = Write-SpoStatusReport -Status $status -Files $Report.Files -RefreshSeconds $RefreshSeconds
    if ($unwritten) {
        $Report.Due = $true
        if (-not $Quiet -and $Report.Warned.Add($unwritten)) {
            Write-Warning "The wave report was not written: $unwritten If another program holds the file (Excel keeps a CSV it has open), close it there: the report is written again at the next poll."
        }
        $Report.Reloading = $Report.Reloading -or $RefreshSeconds -gt 0   # the page may have been written: at the end it is again, to be sure
        return
    }
    $Report.Due = $false
    $Report.Reloading = $RefreshSeconds -gt 0
    $Report.Written = $status.GeneratedAt
    $Report.Clock.Restart()
    if (-not $Quiet) { Write-Verbose "Report $($Report.Files.Html) written at $([SPOCrossTenant.InvariantText]::Date($Report.Written)) UTC in $([SPOCrossTenant.InvariantText]::Format('{0:0.00}', $clock.Elapsed.TotalSeconds)) s ($($states.Count) moves)." }
}
