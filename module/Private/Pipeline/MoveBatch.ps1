# Start- and Stop-SPOCrossTenant*ContentMove take their rows from the pipeline (typically
# Import-Csv) and send them as one batch: the rows are collected first, so a batch over the
# service's limit is refused before anything is sent; then each row is one request through the
# one pipeline (Invoke-SpoTenantMethod: ShouldProcess, throttling through the engine's retry
# policy, a non-terminating error that names the row), under a progress bar.

# The service takes at most this many moves in one batch (Microsoft's migration guide).
$script:SpoMoveBatchLimit = 4000

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

function New-SpoMoveBatch {
    # $Method is the server method each row calls; $Activity the progress bar's title; $Limit the
    # most rows the batch may hold (0: no limit). $JournalPath and $Resume: Start's journal
    # (Journal/MoveJournal.ps1); none: no journal.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [string]$Activity, [int]$Limit, [string]$JournalPath, [bool]$Resume)
    @{ Cmdlet = $Cmdlet; Method = $Method; Activity = $Activity; Limit = $Limit; JournalPath = $JournalPath; Resume = $Resume
        Rows = [System.Collections.Generic.List[System.Collections.Specialized.OrderedDictionary]]::new() }
}

function Add-SpoMoveBatchRow {
    param([hashtable]$Batch, [System.Collections.Specialized.OrderedDictionary]$Arguments)
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
    $journal = $null
    if ($Batch.JournalPath -and $count) {
        if ($WhatIfPreference) { Write-Verbose 'WhatIf: no journal is written.' }
        else {
            if (-not $script:SpoConnection) { $cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
            $journal = Open-SpoMoveJournal -Cmdlet $cmdlet -Path $Batch.JournalPath -Resume $Batch.Resume
        }
    }
    $piped = $cmdlet.MyInvocation.ExpectingInput
    $tally = @{ Skipped = 0; Found = 0; Started = 0; NotStarted = 0; Unknown = 0 }
    try {
        if ($journal) {
            Write-SpoMoveJournalRecord $journal run ([ordered]@{ contentType = $Batch.Rows[0].ContentType; rows = $count; resume = $Batch.Resume })
        }
        # The progress bar moves at most ten times a second: drawing it costs more than a request.
        $sinceProgress = [System.Diagnostics.Stopwatch]::StartNew()
        for ($index = 0; $index -lt $count; $index++) {
            $row = $Batch.Rows[$index]
            if ($count -gt 1 -and ($index -eq 0 -or $sinceProgress.ElapsedMilliseconds -ge 100)) {
                $key = $row[1]   # the source key: the value after the content type
                Write-Progress -Activity $Batch.Activity -Status "$($index + 1) of ${count}: $key" -PercentComplete ([int](100 * $index / $count))
                $sinceProgress.Restart()
            }
            $rowNumber = if ($piped) { $index + 1 } else { 0 }
            if (-not $journal) {
                Invoke-SpoTenantMethod $cmdlet $Batch.Method $row $rowNumber
                continue
            }
            Invoke-SpoJournaledRow -Batch $Batch -Journal $journal -Row $row -Index $index -RowNumber $rowNumber -Tally $tally
        }
    } finally {
        if ($count -gt 1) { Write-Progress -Activity $Batch.Activity -Completed }
        if ($journal) {
            Close-SpoMoveJournal $journal
            $skipped = if ($Batch.Resume) { ", $($tally.Skipped) skipped as already started, $($tally.Found) found started on the service (skipped)" }
            Write-Host ("Journal {0}: {1} row(s): {2} started{3}, {4} not started{5}." -f $journal.Path, $count, $tally.Started, $skipped, $tally.NotStarted,
                $(if ($tally.Unknown) { ", $($tally.Unknown) not decided (look-up failed; run again with -Resume)" }))
        }
    }
}

function Invoke-SpoJournaledRow {
    # One row of a journaled batch: decide (Resume), record "before", send, record "after", then
    # write the state object. The "after" is on disk before the output goes down the pipeline.
    param([hashtable]$Batch, [hashtable]$Journal, [System.Collections.Specialized.OrderedDictionary]$Row, [int]$Index, [int]$RowNumber, [hashtable]$Tally)
    $cmdlet = $Batch.Cmdlet
    $kind = Get-SpoMoveKind $Row.ContentType
    $source = [string]$Row[$kind.SourceParameter]
    $fields = [ordered]@{ row = $Index + 1; contentType = $kind.ContentType; source = $source }
    $dangling = $false
    $entry = $Journal.Entries[(Get-SpoJournalKey $kind.ContentType $source)]
    if ($Batch.Resume -and $entry) {
        $after = $entry.After
        if ($after -and $after.outcome -in 'Started', 'Found') {
            Write-Verbose "Row $($Index + 1) ($source): skipped, started by an earlier run (MoveJobId $($after.moveJobId))."
            Write-SpoMoveJournalRecord $Journal skip ($fields + [ordered]@{ reason = 'Started'; moveJobId = $after.moveJobId })
            $Tally.Skipped++
            return
        }
        if ($entry.Before -and -not $after) {
            # The earlier run died while this request was in flight: ask the service.
            $found = Find-SpoJournaledMove -Cmdlet $cmdlet -Kind $kind -Row $Row -Before $entry.Before
            if ($found.Error) {
                $cause = $found.Error.Exception
                $causeKind = if ($cause -is [SPOCrossTenant.ServerException] -and $cause.Kind) { $cause.Kind } else { 'Server' }
                $info = [SPOCrossTenant.NativeResult]@{ Status = (Get-SpoStatusOfKind $causeKind); ErrorId = 'JournalLookupFailed'; Kind = $causeKind
                    CorrelationId = [string](Get-SpoProbeCorrelationId $found.Error)
                    Message = "Row $($Index + 1) ($source) was being started when the earlier run stopped, and its state could not be read, so it was not started again: $($cause.Message) Run the command again with -Resume." }
                $record = New-SpoServiceErrorRecord -ErrorInfo $info -TargetObject $source -AdminUrl $script:SpoConnection.AdminUrl
                $cmdlet.WriteError($record)
                $Tally.Unknown++
                return
            }
            if ($found.State) {
                Write-Verbose "Row $($Index + 1) ($source): skipped, the earlier run's request reached the service (MoveJobId $($found.State.MoveJobId), $($found.State.MoveState))."
                Write-SpoMoveJournalRecord $Journal after ($fields + [ordered]@{ outcome = 'Found'; moveJobId = [string]$found.State.MoveJobId; moveState = $found.State.MoveState })
                $Tally.Found++
                return
            }
            Write-Verbose "Row $($Index + 1) ($source): the service has no move from the earlier run's request; starting it."
            $dangling = $true
        }
    }
    Write-SpoMoveJournalRecord $Journal before ($fields + [ordered]@{ target = [string]$Row[$kind.TargetParameter]; partner = [string]$Row.TargetCrossTenantHostUrl })
    $output = $null
    try {
        $output = @(if ($dangling) { Invoke-SpoDanglingStart -Batch $Batch -Journal $Journal -Row $Row -RowNumber $RowNumber -Fields $fields -Tally $Tally }
            else { Invoke-SpoTenantMethod $cmdlet $Batch.Method $Row $RowNumber })
        if ($dangling -and $output.Count -eq 1 -and $output[0] -eq 'Found') { return }
    } catch [System.Management.Automation.PipelineStoppedException] {
        throw   # Ctrl+C or a stopped pipeline: whether it was sent is unknown; no "after" (Resume looks it up).
    } catch {
        Write-SpoMoveJournalRecord $Journal after ($fields + [ordered]@{ outcome = 'NotStarted'; error = $_.Exception.Message })
        $Tally.NotStarted++
        throw
    }
    $state = @($output | Where-Object { $_.PSObject.TypeNames -contains $script:SpoMoveStateTypeName })[0]
    if ($state -and -not $state.ValidationOnly) {
        Write-SpoMoveJournalRecord $Journal after ($fields + [ordered]@{ outcome = 'Started'; moveJobId = [string]$state.MoveJobId; moveState = $state.MoveState })
        $Tally.Started++
    } else {
        Write-SpoMoveJournalRecord $Journal after ($fields + [ordered]@{ outcome = $(if ($state) { 'Validated' } else { 'NotStarted' }) })
        $Tally.NotStarted++
    }
    $output
}

function Invoke-SpoDanglingStart {
    # Starts a row whose earlier request was in flight when its run died and that the service did
    # not list. That request may still land after the look-up; the service keeps one active move
    # per key, so if it did, this start is refused with MnAMoveAlreadyExists: then the row is
    # recorded as Found and nothing is written ('Found' is returned). Otherwise the start's state
    # object, or its error written as Invoke-SpoTenantMethod writes it.
    param([hashtable]$Batch, [hashtable]$Journal, [System.Collections.Specialized.OrderedDictionary]$Row, [int]$RowNumber, [System.Collections.Specialized.OrderedDictionary]$Fields, [hashtable]$Tally)
    $cmdlet = $Batch.Cmdlet
    $connection = $script:SpoConnection
    $source = $Fields.source
    if (-not $cmdlet.ShouldProcess($source, "Send $(Format-SpoMethodCall $Batch.Method $Row) to $($connection.AdminUrl)")) { return }
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $probe = Invoke-SpoTenantProbe -Cmdlet $cmdlet -Method $Batch.Method -Arguments $Row -Verbose $verbose
    if (-not $probe.Error) { return $probe.Output }
    if ((Get-SpoMnAStatusName $probe.Error) -eq 'MnAMoveAlreadyExists') {
        Write-Verbose "Row $($Fields.row) ($source): the earlier run's request reached the service after all (MnAMoveAlreadyExists); not started again."
        Write-SpoMoveJournalRecord $Journal after ($Fields + [ordered]@{ outcome = 'Found'; moveJobId = $null; moveState = $null })
        $Tally.Found++
        return 'Found'
    }
    $record = $probe.Error
    if ($RowNumber) { Add-SpoRowToErrorRecord $record $RowNumber $source }
    if ($record.Exception -is [System.ArgumentException] -and -not $cmdlet.MyInvocation.ExpectingInput) { $cmdlet.ThrowTerminatingError($record) }
    $cmdlet.WriteError($record)
}
