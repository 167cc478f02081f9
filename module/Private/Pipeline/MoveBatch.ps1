# Start- and Stop-SPOCrossTenant*ContentMove take their rows from the pipeline (typically
# Import-Csv) and send them as one batch; Add-SPOTenantIdentityMapping{User,Group} send their piped
# entries through the same batch, one at a time. The rows are collected first, so a batch over the
# service's limit is refused before anything is sent. Then up to -ThrottleLimit requests are in
# flight at once: each row is decided (ShouldProcess, the journal's "before") and handed to the
# engine in input order, and the rows come out in input order too (the oldest in flight is waited
# for first), each with its output object or its error, as if they had been sent one by one. The
# engine's throttle gate (src/transport/gate.rs) decides when each request actually goes: the
# service sets the pace of the whole connection. Under -ErrorAction Stop no row is sent after a
# failure: the rows already in flight finish, are journaled and named in a warning, and the first
# failed row's error stops the command.

# The service takes at most this many moves in one batch (Microsoft's migration guide).
$script:SpoMoveBatchLimit = 4000
# Requests of a batch in flight at once when -ThrottleLimit is not given. At a real tenant's few
# hundred milliseconds per request, 16 keep a wave of 4,000 rows to a few minutes, at a rate
# (tens of requests a second) within what a tenant's per-minute budget allows for a while; when the
# service says otherwise (RateLimit headers, 429/503), the engine's gate slows every request of
# the connection down. The most is the gate's own ceiling (MAX_IN_FLIGHT, src/transport/gate.rs).
$script:SpoDefaultThrottleLimit = 16
$script:SpoMaxThrottleLimit = 64

# The three kinds of move: the content type the engine takes, the commands' parameter names for
# the source and target keys, and what the commands' names say. Readiness, journals and
# Wait-SPOCrossTenantContentMove read rows and states with these.
$script:SpoMoveKinds = [ordered]@{
    User  = @{ Name = 'User'; ContentType = 'Odb'; SourceParameter = 'SourceUserPrincipalName'; TargetParameter = 'TargetUserPrincipalName'; Noun = 'OneDrive account' }
    Site  = @{ Name = 'Site'; ContentType = 'RegSite'; SourceParameter = 'SourceSiteUrl'; TargetParameter = 'TargetSiteUrl'; Noun = 'site' }
    Group = @{ Name = 'Group'; ContentType = 'Group'; SourceParameter = 'SourceGroupAlias'; TargetParameter = 'TargetGroupAlias'; Noun = 'group' }
}

function Get-SpoMoveKind {
    # The kind (an entry of $script:SpoMoveKinds) of a content type name (Odb, RegSite, Group).
    param([string]$ContentType)
    foreach ($kind in $script:SpoMoveKinds.Values) { if ($kind.ContentType -eq $ContentType) { return $kind } }
}

function New-SpoMoveStateQuery {
    # The arguments of GetSPOCrossTenantContentMoveState for the moves of one kind with $Partner:
    # of one source key ($Source), in one direction, started since a time; what is not given is null.
    param([hashtable]$Kind, [string]$Partner, [string]$Source, [object]$MoveDirection, [object]$Since)
    [ordered]@{ ContentType = $Kind.ContentType; PartnerCrossTenantHostUrl = $Partner; $Kind.SourceParameter = $(if ($Source) { $Source })
        SiteMoveId = $null; MoveState = $null; MoveDirection = $MoveDirection; Limit = $null; MoveStartTime = $Since; MoveEndTime = $null; PartnerRole = $null }
}

function New-SpoMoveBatch {
    # $Method is the server method each row calls; $Activity the progress bar's title; $Limit the
    # most rows the batch may hold (0: no limit). $JournalPath and $Resume: Start's journal
    # (Journal/MoveJournal.ps1); none: no journal. $ThrottleLimit: requests in flight at once
    # (0: the default, 1: one at a time). $KeyArgument: the argument that names a row in progress
    # and warnings; none: a move's source key (the source parameter of its content type's kind).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [string]$Activity, [int]$Limit, [string]$JournalPath, [bool]$Resume, [int]$ThrottleLimit,
        [string]$KeyArgument)
    if ($ThrottleLimit -le 0) { $ThrottleLimit = $script:SpoDefaultThrottleLimit }
    # What the command line gave, read before any piped row binds (Add-SpoMoveBatchRow: a restart keeps it).
    $given = [System.Collections.Generic.HashSet[string]]::new([string[]]@($Cmdlet.MyInvocation.BoundParameters.Keys), [System.StringComparer]::OrdinalIgnoreCase)
    @{ Given = $given; Cmdlet = $Cmdlet; Method = $Method; Activity = $Activity; Limit = $Limit; JournalPath = $JournalPath; Resume = $Resume
        ThrottleLimit = [Math]::Min($ThrottleLimit, $script:SpoMaxThrottleLimit); KeyArgument = $KeyArgument
        Rows = [System.Collections.Generic.List[System.Collections.Specialized.OrderedDictionary]]::new() }
}

function Get-SpoBatchRowKey {
    # What names a row of $Batch: its $KeyArgument, or a move's source key.
    param([hashtable]$Batch, [System.Collections.Specialized.OrderedDictionary]$Row)
    $name = if ($Batch.KeyArgument) { $Batch.KeyArgument } else { (Get-SpoMoveKind $Row.ContentType).SourceParameter }
    $Row[$name]
}

# What a piped object that is itself a move (a state object of Get-/Start-SPOCrossTenant*ContentMove*,
# a failure of Get-SPOCrossTenantMigrationStatus) is to Start-: a restart, a new schedule. The dates
# it carries are those of its old schedule (an end date long past would be refused), so they are not
# taken; dates given on the command line are.
$script:SpoRestartTypeNames = @('SPOCrossTenant.ContentMoveState', 'SPOCrossTenant.MoveFailure')
$script:SpoRestartDropped = @('PreferredMoveBeginDate', 'PreferredMoveEndDate')

function Add-SpoMoveBatchRow {
    # $InputObject: the piped object the row was bound from ($_ of the command's process block;
    # none when the command was not given pipeline input).
    param([hashtable]$Batch, [System.Collections.Specialized.OrderedDictionary]$Arguments, [object]$InputObject)
    if ($null -ne $InputObject -and $Batch.Cmdlet.MyInvocation.ExpectingInput -and
        $InputObject.PSObject.TypeNames.Where({ $_ -in $script:SpoRestartTypeNames }, 'First').Count) {
        $dropped = foreach ($name in $script:SpoRestartDropped) {
            if (-not $Arguments.Contains($name) -or $Batch.Given.Contains($name)) { continue }
            $value = $Arguments[$name]
            $Arguments[$name] = $null
            if ($value -is [datetime] -and $value -ne [datetime]::MinValue) { "$name $([SPOCrossTenant.InvariantText]::Date($value)) UTC" }
        }
        if ($dropped) {
            Write-Verbose "Row $($Batch.Rows.Count + 1) ($(Get-SpoBatchRowKey $Batch $Arguments)): a piped move is started again on a new schedule; its old $($dropped -join ' and ') not taken."
        }
    }
    $Batch.Rows.Add($Arguments)
}

function Invoke-SpoMoveBatch {
    param([hashtable]$Batch)
    $cmdlet = $Batch.Cmdlet
    $null = [SPOCrossTenant.CallerPreference]::Copy($cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    $count = $Batch.Rows.Count
    if ($Batch.Limit -and $count -gt $Batch.Limit) {
        $record = New-SpoArgumentErrorRecord -Id MoveBatchTooLarge -ParameterName InputObject -TargetObject $count -Message (
            "This batch holds $count moves, but the service accepts at most $($Batch.Limit) in one batch. Nothing was sent. " +
            "Split the input into batches of at most $($Batch.Limit) rows, e.g. Import-Csv users.csv | Select-Object -First $($Batch.Limit), then -Skip $($Batch.Limit) -First $($Batch.Limit).")
        $cmdlet.ThrowTerminatingError($record)
    }
    if ($Batch.Resume -and -not $Batch.JournalPath) {
        $cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalPathMissing -ParameterName Resume -TargetObject $null `
                    -Message 'Resume needs -JournalPath: the journal of the run to resume. Nothing was sent.'))
    }
    if (-not $count) { return }
    $connection = $script:SpoConnection
    if (-not $connection) { $cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $journal = $null
    if ($Batch.JournalPath) {
        if ($WhatIfPreference) { Write-Verbose 'WhatIf: no journal is written.' }
        else { $journal = Open-SpoMoveJournal -Cmdlet $cmdlet -Path $Batch.JournalPath -Resume $Batch.Resume }
    }
    $run = @{ Batch = $Batch; Cmdlet = $cmdlet; Connection = $connection; Journal = $journal; Count = $count; Finished = 0
        Piped = $cmdlet.MyInvocation.ExpectingInput; Spec = $script:SpoTenantMethods[$Batch.Method]
        Window = [System.Collections.Generic.Queue[hashtable]]::new(); Throttle = [Math]::Max(1, $Batch.ThrottleLimit)
        # One at a time (or a single row), a request waits its first slice inside its own call, as
        # a single command does.
        SendWaitMs = $(if ($Batch.ThrottleLimit -le 1 -or $count -eq 1) { $script:SpoWaitSliceMs } else { 0 })
        StopOnError = "$ErrorActionPreference" -eq 'Stop'; Stopping = $false
        Lookups = @{}; SinceProgress = [System.Diagnostics.Stopwatch]::StartNew(); Tally = @{ Skipped = 0; Found = 0; Started = 0; NotStarted = 0; Unknown = 0 } }
    try {
        if ($journal) {
            Write-SpoMoveJournalRecord $journal run ([ordered]@{ contentType = $Batch.Rows[0].ContentType; rows = $count; resume = $Batch.Resume })
            if ($Batch.Resume) { $run.Lookups = Find-SpoInterruptedMoves $run }
        }
        for ($index = 0; $index -lt $count -and -not $run.Stopping; $index++) {
            # Under -ErrorAction Stop, a row in flight that failed ends the sending at once.
            if ($run.StopOnError -and $run.Window.Count -and (Test-SpoBatchFailure $run)) { break }
            Send-SpoBatchRow $run $index
            while ($run.Window.Count -ge $run.Throttle) { Complete-SpoBatchRow $run }
        }
        while ($run.Window.Count) { Complete-SpoBatchRow $run }
    } finally {
        # Ctrl+C or a terminating error: nothing more is sent, and what is in flight is cancelled.
        # Its journal rows keep their "before" with no "after", which -Resume looks up.
        foreach ($flight in $run.Window) { if ($flight.Call) { $flight.Call.Cancel() } }
        if ($count -gt 1) { Write-Progress -Activity $Batch.Activity -Completed }
        if ($journal) {
            Close-SpoMoveJournal $journal
            $tally = $run.Tally
            $skipped = if ($Batch.Resume) { ", $($tally.Skipped) skipped as already started, $($tally.Found) found started on the service (skipped)" }
            Write-Host ("Journal {0}: {1} row(s): {2} started{3}, {4} not started{5}." -f $journal.Path, $count, $tally.Started, $skipped, $tally.NotStarted,
                $(if ($tally.Unknown) { ", $($tally.Unknown) not decided (look-up failed; run again with -Resume)" }))
        }
    }
}

function Send-SpoBatchRow {
    # Decides row $Index (Resume, the journal's "before", ShouldProcess) and hands it to the engine
    # without waiting for it; the row joins the window of rows in flight. A row the journal says to
    # skip sends nothing; a row whose earlier request may have landed late runs on its own, after
    # the rows before it have come out.
    param([hashtable]$Run, [int]$Index)
    $batch = $Run.Batch
    $row = $batch.Rows[$Index]
    $flight = @{ Index = $Index; Row = $row; RowNumber = $(if ($Run.Piped) { $Index + 1 } else { 0 }); Fields = $null; Call = $null }
    if ($Run.Count -gt 1 -and ($Index -eq 0 -or $Run.SinceProgress.ElapsedMilliseconds -ge 100)) { Write-SpoBatchProgress $Run $row }
    if ($Run.Journal) {
        $decision = Resolve-SpoJournaledRow -Run $Run -Row $row -Index $Index
        if ($decision.Skip) { return }
        $flight.Fields = $decision.Fields
        if ($decision.Dangling) {
            while ($Run.Window.Count) { Complete-SpoBatchRow $Run }
            Invoke-SpoDanglingRow -Run $Run -Flight $flight
            return
        }
        Write-SpoMoveJournalRecord $Run.Journal before ($flight.Fields + [ordered]@{ target = [string]$row[(Get-SpoMoveKind $row.ContentType).TargetParameter]; partner = [string]$row.TargetCrossTenantHostUrl })
    }
    # In the window before it is sent, so that Ctrl+C at any point finds it there and cancels it.
    $Run.Window.Enqueue($flight)
    $flight.Call = [SPOCrossTenant.TenantCall]::Send($Run.Cmdlet, $ExecutionContext.SessionState, $batch.Method, $Run.Spec, $Run.Connection, $row, $Run.SendWaitMs)
    $call = $flight.Call
    if ($call.Result -and -not $call.Done) { Write-SpoRecordProgress $call.Result }
}

function Complete-SpoBatchRow {
    # Waits for the oldest row in flight, journals its outcome and writes its output or its error.
    param([hashtable]$Run)
    $flight = $Run.Window.Peek()
    Wait-SpoBatchRow $flight.Call
    $null = $Run.Window.Dequeue()
    $Run.Finished++
    if ($Run.Count -gt 1 -and $Run.SinceProgress.ElapsedMilliseconds -ge 100) { Write-SpoBatchProgress $Run $flight.Row }
    $call = $flight.Call
    if ($Run.StopOnError -and -not $Run.Stopping -and -not $call.Succeeded -and -not $call.Declined) {
        # This row's error will stop the command: the rows behind it finish first, and are journaled.
        $Run.Stopping = $true
        Stop-SpoBatchWindow $Run $flight
    }
    $cmdlet = $Run.Cmdlet
    if (-not $Run.Journal) {
        Complete-SpoTenantCall $cmdlet $call $Run.Batch.Method $flight.Row $flight.RowNumber $Run.Connection
        return
    }
    # The "after" is on disk before the row's output or error goes out: under -ErrorAction Stop,
    # writing the error ends the command at once, with no catch of ours in between.
    if (-not $call.Succeeded) {
        Write-SpoJournaledFailure -Run $Run -Fields $flight.Fields -Call $call
        Complete-SpoTenantCall $cmdlet $call $Run.Batch.Method $flight.Row $flight.RowNumber $Run.Connection
        return
    }
    $output = @(Complete-SpoTenantCall $cmdlet $call $Run.Batch.Method $flight.Row $flight.RowNumber $Run.Connection)
    Write-SpoJournaledOutcome -Run $Run -Fields $flight.Fields -Output $output
    $output
}

function Wait-SpoBatchRow {
    # Waits, in slices (Ctrl+C stays responsive), until the engine has the row's final record, and
    # takes it; progress lines (throttling notes) go to -Verbose as they come.
    param([SPOCrossTenant.TenantCall]$Call)
    if (-not $Call.Result -or $Call.Done) { return }   # nothing sent, or finished within its first wait
    while ($Call.Operation -ne [IntPtr]::Zero) {
        $record = $Call.Wait($script:SpoWaitSliceMs)
        Write-SpoRecordProgress $record
    }
    Write-SpoRecordProgress $Call.Result
    $Call.Finish($Call.Result)
}

function Write-SpoRecordProgress {
    # Writes the progress lines a record has gathered so far (throttling notes, to -Verbose), once.
    param([object]$Record)
    if ($Record.Progress.Length) { Write-SpoProgressLine $Record.Progress; $Record.Progress = [string[]]@() }
}

function Test-SpoBatchFailure {
    # True when a row in flight has already failed (asked without waiting), or was refused.
    param([hashtable]$Run)
    foreach ($flight in $Run.Window) {
        $call = $flight.Call
        if (-not $call.Result) { if (-not $call.Declined) { return $true }; continue }
        if ($call.Operation -ne [IntPtr]::Zero) {
            Write-SpoRecordProgress $call.Wait(0)
        }
        if ($call.Finished -and -not $call.Result.Succeeded) { return $true }
    }
    $false
}

function Stop-SpoBatchWindow {
    # The rows still in flight behind $Failed, whose error is about to stop the command: each
    # finishes (nothing is cancelled: it was sent) and is journaled, and a warning names what they
    # did, since their output cannot follow the error.
    param([hashtable]$Run, [hashtable]$Failed)
    $lines = [System.Collections.Generic.List[string]]::new()
    while ($Run.Window.Count) {
        # Taken out of the window only once finished: Ctrl+C while waiting still cancels it.
        $flight = $Run.Window.Peek()
        $call = $flight.Call
        Wait-SpoBatchRow $call
        $null = $Run.Window.Dequeue()
        $Run.Finished++
        $output = @(if ($call.Succeeded -and $Run.Spec.Output) { & $Run.Spec.Output $Run.Cmdlet $call.Result $flight.Row $Run.Connection })
        if ($Run.Journal) {
            if ($call.Succeeded) { Write-SpoJournaledOutcome -Run $Run -Fields $flight.Fields -Output $output }
            else { Write-SpoJournaledFailure -Run $Run -Fields $flight.Fields -Call $call }
        }
        if (-not $call.Result) { continue }   # refused or declined: never sent
        $key = Get-SpoBatchRowKey $Run.Batch $flight.Row
        $state = @($output | Where-Object { $_.PSObject.TypeNames -contains $script:SpoMoveStateTypeName })[0]
        $lines.Add($(if ($state) { "row $($flight.Index + 1) ($key): $($state.MoveState), MoveJobId $($state.MoveJobId)" }
                elseif ($call.Succeeded) { "row $($flight.Index + 1) ($key): done" }
                else { "row $($flight.Index + 1) ($key): failed: $($call.Result.Message)" }))
    }
    if ($lines.Count) {
        Write-Warning ("Row $($Failed.Index + 1) failed, and under -ErrorAction Stop no row after it is sent; $($lines.Count) row(s) after it had already been sent: " +
            ($lines -join '; ') + '.')
    }
}

function Write-SpoBatchProgress {
    param([hashtable]$Run, [System.Collections.Specialized.OrderedDictionary]$Row)
    $inFlight = $Run.Window.Count
    Write-Progress -Activity $Run.Batch.Activity -Status "$($Run.Finished) of $($Run.Count) finished, $inFlight in flight: $(Get-SpoBatchRowKey $Run.Batch $Row)" -PercentComplete ([int](100 * $Run.Finished / $Run.Count))
    $Run.SinceProgress.Restart()
}
