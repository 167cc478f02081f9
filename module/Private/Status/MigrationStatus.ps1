# Get-SPOCrossTenantMigrationStatus's work, and the status object Wait-SPOCrossTenantContentMove
# writes its report from: one SPOCrossTenant.MigrationStatus of every move of a wave.
#
# The service is asked once per kind (three state queries, in flight together). A key moved
# again (a failed move restarted) counts once, as its newest move: the status says where each
# OneDrive, site and group stands now. States are counted in five buckets ($script:SpoStatusBuckets);
# each Failed move becomes a failure with its fix (MoveFailureFixes.ps1). The pace is the
# completed moves (Success and Failed) per hour since the first move was created, up to now, or
# to the last completion once nothing is left; the estimate divides what is left by that pace.

$script:SpoMigrationStatusTypeName = 'SPOCrossTenant.MigrationStatus'
$script:SpoMoveFailureTypeName = 'SPOCrossTenant.MoveFailure'
# The five buckets, in the order the status, its view and its report show them (what needs
# attention first), each with the MoveStates it holds, in the order the report's moves table
# sorts them: Scheduled is everything not running yet, and NotSupported (the service will not do
# the move) is Failed. A state the table does not know (one the service adds later) is counted as
# Scheduled, as not final, and a warning says so.
$script:SpoStatusBuckets = [ordered]@{
    Failed     = @('Failed', 'NotSupported')
    InProgress = @('InProgress')
    Scheduled  = @('ReadyToTrigger', 'Scheduled', 'Queued', 'Rescheduled', 'NotStarted')
    Stopped    = @('Stopped')
    Success    = @('Success')
}
# A failure lists these, in this order (Format-List shows them; the rest stays one property away).
$script:SpoMoveFailureDisplay = [System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
        [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]@('Kind', 'SourceContentKey', 'TargetContentKey', 'ErrorCode', 'ErrorMessage', 'Fix'))))

function Get-SpoMigrationStatus {
    # $Cmdlet is the command's $PSCmdlet; the rest its parameters.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Partner, [object]$MoveDirection, [string]$ReportPath)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    $connection = $script:SpoConnection
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $files = if ($ReportPath) { Resolve-SpoReportPath -Cmdlet $Cmdlet -ReportPath $ReportPath -Example wave.html }
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $requests = [System.Collections.Generic.List[hashtable]]::new()
    foreach ($kind in $script:SpoMoveKinds.Values) {
        $requests.Add(@{ Method = 'GetSPOCrossTenantContentMoveState'; Kind = $kind
                Arguments = (New-SpoMoveStateQuery -Kind $kind -Partner $Partner -MoveDirection $MoveDirection) })
    }
    $states = [System.Collections.Generic.List[object]]::new()
    $failed = $null
    Invoke-SpoTenantProbeWindow -Cmdlet $Cmdlet -Requests $requests -ThrottleLimit $requests.Count -Verbose $verbose | ForEach-Object {
        if ($_.Probe.Error) { if (-not $failed) { $failed = $_.Probe.Error } }
        else { foreach ($state in $_.Probe.Output) { $states.Add($state) } }
    }
    # A status without one kind would count wrong: the first failed query stops the command.
    if ($failed) { $Cmdlet.ThrowTerminatingError($failed) }
    $direction = if ($null -ne $MoveDirection -and "$MoveDirection") { [string]$MoveDirection } else { 'All' }
    $context = Get-SpoStatusContext -Cmdlet $Cmdlet -Connection $connection -Moves $states -Verbose $verbose
    $status = New-SpoMigrationStatus -States $states -Partner $Partner -MoveDirection $direction -Context $context
    # The status is the command's answer: a report that cannot be written (Excel holds the CSV)
    # does not take it away. It comes out first, then the failure as a non-terminating error.
    $unwritten = if ($files) { Write-SpoStatusReport -Status $status -Files $files }
    if ($files -and -not $unwritten) { Write-Host "Report: $($files.Html) (and $($files.Csv))" }
    $status
    if ($unwritten) {
        $record = [System.Management.Automation.ErrorRecord]::new(
            [System.IO.IOException]::new("The status was read, but its report was not written: $unwritten If another program holds the file (Excel keeps a CSV it has open), close it there and run the command again."),
            'SPOCrossTenant.ReportWriteFailed', [System.Management.Automation.ErrorCategory]::WriteError, $ReportPath)
        $Cmdlet.WriteError($record)
    }
}

function Get-SpoStatusContext {
    # What the fixes of identity-map failures need: the source tenant's id. For a move out of this
    # tenant it is this tenant's own (the connection's). For a move into it (a status read on the
    # target) it is the partner's, which this tenant knows from its identity map: the entry of a
    # user who moved in holds it. That entry is read (one request) only when a move in failed for
    # want of an entry and the id is not known yet; each key is tried once. Without it, the fixes
    # say where to find the id. $Known: the context of an earlier call (Wait- keeps one).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [psobject]$Connection, [object[]]$Moves, [hashtable]$Known, [bool]$Verbose)
    $context = if ($Known) { $Known } else { @{ CompanyId = $null; PartnerCompanyId = $null; Tried = [System.Collections.Generic.HashSet[string]]::new([System.StringComparer]::OrdinalIgnoreCase) } }
    if (-not $context.CompanyId) { $context.CompanyId = Get-SpoTenantCompanyId $Connection }
    if ($context.PartnerCompanyId -or -not $Connection) { return $context }
    $needed = $false; $mapped = $null
    foreach ($move in $Moves) {
        if ($move.MoveDirection -ne 'MoveIn') { continue }
        if ($move.MoveState -eq 'Failed' -and (Get-SpoMoveFailureCode $move) -eq 'MnAIdentityMappingNotFound') { $needed = $true; continue }
        # A user who moved in had an entry; one still moving in has one too, most likely.
        if ($move.ContentType -eq 'Odb' -and $move.MoveState -ne 'Failed' -and -not $context.Tried.Contains([string]$move.SourceContentKey) -and
            (-not $mapped -or ($move.MoveState -eq 'Success' -and $mapped.MoveState -ne 'Success'))) { $mapped = $move }
    }
    if (-not $needed -or -not $mapped) { return $context }
    $key = [string]$mapped.SourceContentKey
    $null = $context.Tried.Add($key)
    $probe = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method GetTenantUserIdentityMappingItem -Arguments ([ordered]@{ Field = 'SourceUserKey'; Value = $key }) -Verbose $Verbose
    $entry = @($probe.Output)[0]
    if ($entry -and $entry.SourceTenantCompanyId) {
        $context.PartnerCompanyId = [string]$entry.SourceTenantCompanyId
        Write-Verbose "The source tenant's ID, for the identity-map fixes of the moves in: $($context.PartnerCompanyId), from this tenant's identity-map entry of $key."
    }
    $context
}

function New-SpoMigrationStatus {
    # The status of these move states (as the Get- commands write them). $GeneratedAt: now,
    # unless a test says otherwise. CompletedPerHour keeps its full precision (one completion in
    # three days is 0.0139, not 0): the view and the report round it.
    # $Warned: what was warned about already (a wait warns once per thing, not once per poll).
    param([System.Collections.Generic.List[object]]$States, [string]$Partner, [string]$MoveDirection = 'All', [hashtable]$Context,
        [datetime]$GeneratedAt = [datetime]::UtcNow, [System.Collections.Generic.HashSet[string]]$Warned)
    # The newest move of each key (oldest first as the service lists them, so later ones win).
    $newest = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $order = [System.Collections.Generic.List[string]]::new()
    foreach ($state in $States) {
        $key = "$($state.ContentType)|$($state.MoveDirection)|$($state.SourceContentKey)"
        $known = $null
        if (-not $newest.TryGetValue($key, [ref]$known)) { $order.Add($key); $newest[$key] = $state }
        elseif ($state.CreatedTime -ge $known.CreatedTime) { $newest[$key] = $state }
    }
    $moves = [System.Collections.Generic.List[object]]::new($order.Count)
    foreach ($key in $order) { $moves.Add($newest[$key]) }

    $bucketOf = Get-SpoStatusBucketOf
    $total = [ordered]@{ Total = 0 }
    foreach ($bucket in $script:SpoStatusBuckets.Keys) { $total[$bucket] = 0 }
    $byKind = [ordered]@{}
    foreach ($name in $script:SpoMoveKinds.Keys) { $byKind[$name] = [ordered]@{ Total = 0 }; foreach ($bucket in $script:SpoStatusBuckets.Keys) { $byKind[$name][$bucket] = 0 } }
    $failures = [System.Collections.Generic.List[object]]::new()
    $unknown = [ordered]@{}
    $completed = 0
    $first = $null; $last = $null; $latestBegin = $null
    foreach ($move in $moves) {
        $kind = Get-SpoMoveKind ([string]$move.ContentType)
        $bucket = $bucketOf[[string]$move.MoveState]
        if (-not $bucket) { $bucket = 'Scheduled'; $unknown[[string]$move.MoveState] = 1 + [int]$unknown[[string]$move.MoveState] }
        $total.Total++; $total[$bucket]++
        $counts = $byKind[$kind.Name]; $counts.Total++; $counts[$bucket]++
        if ($move.CreatedTime -and (-not $first -or $move.CreatedTime -lt $first)) { $first = $move.CreatedTime }
        if ($bucket -in 'Success', 'Failed') {
            $completed++
            $done = if ($move.CompletedTime) { $move.CompletedTime } else { $move.TimeStamp }
            if ($done -and (-not $last -or $done -gt $last)) { $last = $done }
        } elseif ($bucket -in 'Scheduled', 'InProgress' -and $move.PreferredMoveBeginDate -and (-not $latestBegin -or $move.PreferredMoveBeginDate -gt $latestBegin)) {
            $latestBegin = $move.PreferredMoveBeginDate
        }
        if ($bucket -eq 'Failed') { $failures.Add((New-SpoMoveFailure -Move $move -Kind $kind -Context $Context)) }
    }
    foreach ($state in $unknown.Keys) {
        if ($Warned -and -not $Warned.Add("state:$state")) { continue }
        Write-Warning "$($unknown[$state]) move(s) are in the state '$state', which this module does not know: they are counted as Scheduled (not final)."
    }

    # The pace and the estimate agree: no estimate only while nothing has completed. The pace runs
    # from the first move's creation to now, or to the last completion once nothing is left (now,
    # when the service gave no completion times); once nothing is left the estimate is that end.
    $remaining = $total.InProgress + $total.Scheduled
    $perHour = 0.0
    $estimate = $null
    if ($completed) {
        $end = if ($last) { $last } else { $GeneratedAt }
        $until = if ($remaining) { $GeneratedAt } else { $end }
        if ($first) { $perHour = $completed / [Math]::Max(1.0 / 3600, ($until - $first).TotalHours) }   # at least a second: the dates are to the second
        # (At most to the end of the calendar: one completion in a long time gives a far estimate.)
        $estimate = if (-not $remaining) { $end } elseif ($perHour) { $GeneratedAt.AddHours([Math]::Min($remaining / $perHour, ([datetime]::MaxValue - $GeneratedAt).TotalHours - 1)) }
        if ($estimate -and $latestBegin -and $latestBegin -gt $estimate) { $estimate = $latestBegin }
    }
    $status = [ordered]@{ PSTypeName = $script:SpoMigrationStatusTypeName; PartnerCrossTenantHostUrl = $Partner; MoveDirection = $MoveDirection }
    foreach ($name in $total.Keys) { $status[$name] = $total[$name] }
    $kinds = [ordered]@{}
    foreach ($name in $byKind.Keys) { $kinds[$name] = [pscustomobject]$byKind[$name] }
    $status.ByKind = [pscustomobject]$kinds
    $status.CompletedPerHour = $perHour
    $status.EstimatedCompletion = $estimate
    $status.GeneratedAt = $GeneratedAt
    $status.Failures = $failures.ToArray()
    $status.Moves = $moves.ToArray()
    [pscustomobject]$status
}

function Get-SpoStatusBucketOf {
    # MoveState -> its bucket, from $script:SpoStatusBuckets.
    $bucketOf = @{}
    foreach ($bucket in $script:SpoStatusBuckets.Keys) { foreach ($state in $script:SpoStatusBuckets[$bucket]) { $bucketOf[$state] = $bucket } }
    $bucketOf
}

function New-SpoMoveFailure {
    # One SPOCrossTenant.MoveFailure: what failed, why, and the fix. It carries the property
    # names the Start- command of its kind binds (SourceContentKey, TargetContentKey,
    # TargetCrossTenantHostUrl), so failures of one kind pipe into it.
    param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
    $code = Get-SpoMoveFailureCode $Move
    $failure = [pscustomobject]@{
        PSTypeName = $script:SpoMoveFailureTypeName
        Kind = $Kind.Name; SourceContentKey = $Move.SourceContentKey; TargetContentKey = $Move.TargetContentKey
        TargetCrossTenantHostUrl = $Move.TargetCrossTenantHostUrl; MoveJobId = $Move.MoveJobId
        ErrorCode = $code; ErrorMessage = $Move.ErrorMessage; TraceCorrelationId = $Move.TraceCorrelationId
        Fix = Get-SpoMoveFailureFix -Move $Move -Kind $Kind -Code $code -Context $Context
        CompletedTime = $Move.CompletedTime
    }
    $failure.PSObject.Members.Add($script:SpoMoveFailureDisplay)
    $failure
}
