# The journal's part of a move batch (MoveBatch.ps1) with -JournalPath: what the journal says of a
# row before it is sent (-Resume: skip it, look it up, or start it on its own), and the "after"
# record of each row's outcome. The journal file itself is MoveJournal.ps1's.

function Resolve-SpoJournaledRow {
    # What the journal says of a row before it is sent: @{ Fields = its journal fields; Skip = it
    # was started by an earlier run (recorded as skipped), or its look-up failed (an error is
    # written); Dangling = an earlier run died while its request was in flight and the service
    # has no move for it, so it is started on its own (Invoke-SpoDanglingRow) }.
    param([hashtable]$Run, [System.Collections.Specialized.OrderedDictionary]$Row, [int]$Index)
    $journal = $Run.Journal
    $kind = Get-SpoMoveKind $Row.ContentType
    $source = [string]$Row[$kind.SourceParameter]
    $fields = [ordered]@{ row = $Index + 1; contentType = $kind.ContentType; source = $source }
    $decision = @{ Fields = $fields; Skip = $false; Dangling = $false }
    $key = Get-SpoJournalKey $kind.ContentType $source
    $entry = $journal.Entries[$key]
    if (-not $Run.Batch.Resume -or -not $entry) { return $decision }
    $after = $entry.After
    if ($after -and $after.outcome -in 'Started', 'Found') {
        Write-Verbose "Row $($Index + 1) ($source): skipped, started by an earlier run (MoveJobId $($after.moveJobId))."
        Write-SpoMoveJournalRecord $journal skip ($fields + [ordered]@{ reason = 'Started'; moveJobId = $after.moveJobId })
        $Run.Tally.Skipped++
        $decision.Skip = $true
        return $decision
    }
    if (-not $entry.Before -or $after) { return $decision }
    # The earlier run died while this request was in flight: ask the service.
    $found = Find-SpoJournaledMove -Cmdlet $Run.Cmdlet -Kind $kind -Row $Row -Before $entry.Before -Probe $Run.Lookups[$key]
    if ($found.Error) {
        $cause = $found.Error.Exception
        $causeKind = if ($cause -is [SPOCrossTenant.ServerException] -and $cause.Kind) { $cause.Kind } else { 'Server' }
        $info = [SPOCrossTenant.NativeResult]@{ Status = (Get-SpoStatusOfKind $causeKind); ErrorId = 'JournalLookupFailed'; Kind = $causeKind
            CorrelationId = [string](Get-SpoProbeCorrelationId $found.Error)
            Message = "Row $($Index + 1) ($source) was being started when the earlier run stopped, and its state could not be read, so it was not started again: $($cause.Message) Run the command again with -Resume." }
        # In input order: the rows before it come out first.
        while ($Run.Window.Count) { Complete-SpoBatchRow $Run }
        $Run.Cmdlet.WriteError((New-SpoServiceErrorRecord -ErrorInfo $info -TargetObject $source -AdminUrl $Run.Connection.AdminUrl))
        $Run.Tally.Unknown++
        $decision.Skip = $true
        return $decision
    }
    if ($found.State) {
        Write-Verbose "Row $($Index + 1) ($source): skipped, the earlier run's request reached the service (MoveJobId $($found.State.MoveJobId), $($found.State.MoveState))."
        Write-SpoMoveJournalRecord $journal after ($fields + [ordered]@{ outcome = 'Found'; moveJobId = [string]$found.State.MoveJobId; moveState = $found.State.MoveState })
        $Run.Tally.Found++
        $decision.Skip = $true
        return $decision
    }
    Write-Verbose "Row $($Index + 1) ($source): the service has no move from the earlier run's request; starting it."
    $decision.Dangling = $true
    $decision
}

function Invoke-SpoDanglingRow {
    # A dangling row (see Resolve-SpoJournaledRow), on its own: "before", the start, "after", then
    # its output or error. Its earlier request may still land after the look-up; the service keeps
    # one active move per key, so if it did, this start is refused with MnAMoveAlreadyExists: then
    # the row is recorded as Found, and nothing is written.
    param([hashtable]$Run, [hashtable]$Flight)
    $row = $Flight.Row
    $fields = $Flight.Fields
    $journal = $Run.Journal
    $cmdlet = $Run.Cmdlet
    $source = $fields.source
    $method = $Run.Batch.Method
    Write-SpoMoveJournalRecord $journal before ($fields + [ordered]@{ target = [string]$row[(Get-SpoMoveKind $row.ContentType).TargetParameter]; partner = [string]$row.TargetCrossTenantHostUrl })
    if (-not $cmdlet.ShouldProcess($source, "Send $(Format-SpoMethodCall $method $row) to $($Run.Connection.AdminUrl)")) {
        Write-SpoJournaledOutcome -Run $Run -Fields $fields -Output @()
        return
    }
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $probe = Invoke-SpoTenantProbe -Cmdlet $cmdlet -Method $method -Arguments $row -Verbose $verbose
    if (-not $probe.Error) {
        Write-SpoJournaledOutcome -Run $Run -Fields $fields -Output $probe.Output
        $probe.Output
        return
    }
    if ((Get-SpoMnAStatusName $probe.Error) -eq 'MnAMoveAlreadyExists') {
        Write-Verbose "Row $($fields.row) ($source): the earlier run's request reached the service after all (MnAMoveAlreadyExists); not started again."
        Write-SpoMoveJournalRecord $journal after ($fields + [ordered]@{ outcome = 'Found'; moveJobId = $null; moveState = $null })
        $Run.Tally.Found++
        return
    }
    $record = $probe.Error
    Write-SpoMoveJournalRecord $journal after ($fields + [ordered]@{ outcome = 'NotStarted'; error = $record.Exception.Message })
    $Run.Tally.NotStarted++
    if ($Flight.RowNumber) { Add-SpoRowToErrorRecord $record $Flight.RowNumber $source }
    if ($record.Exception -is [System.ArgumentException] -and -not $cmdlet.MyInvocation.ExpectingInput) { $cmdlet.ThrowTerminatingError($record) }
    $cmdlet.WriteError($record)
}

function Write-SpoJournaledFailure {
    # The "after" of a row that was not started: refused by the engine or the service, failed, or
    # declined at -Confirm (no error then). Written before the row's error goes out.
    param([hashtable]$Run, [System.Collections.Specialized.OrderedDictionary]$Fields, [SPOCrossTenant.TenantCall]$Call)
    $after = [ordered]@{ outcome = 'NotStarted' }
    if ($Call.Result) { $after.error = $Call.Result.Message }
    elseif (-not $Call.Declined) { $after.error = "The $($Call.RefusedParameter) contains a NUL character, which cannot be sent." }
    Write-SpoMoveJournalRecord $Run.Journal after ($Fields + $after)
    $Run.Tally.NotStarted++
}

function Write-SpoJournaledOutcome {
    # The "after" of a row whose request finished: Started (with the MoveJobId) or Validated when
    # its output holds a state object, otherwise NotStarted (the error is on the error stream).
    param([hashtable]$Run, [System.Collections.Specialized.OrderedDictionary]$Fields, [object[]]$Output)
    $state = @($Output | Where-Object { $_.PSObject.TypeNames -contains $script:SpoMoveStateTypeName })[0]
    if ($state -and -not $state.ValidationOnly) {
        Write-SpoMoveJournalRecord $Run.Journal after ($Fields + [ordered]@{ outcome = 'Started'; moveJobId = [string]$state.MoveJobId; moveState = $state.MoveState })
        $Run.Tally.Started++
    } else {
        Write-SpoMoveJournalRecord $Run.Journal after ($Fields + [ordered]@{ outcome = $(if ($state) { 'Validated' } else { 'NotStarted' }) })
        $Run.Tally.NotStarted++
    }
}
