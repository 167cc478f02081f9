# Get-SPOCrossTenantMigrationStatus's work, and the status object Wait-SPOCrossTenantContentMove
# writes its report from: one SPOCrossTenant.MigrationStatus of every move of a wave.
#
# The service is asked once per kind (three state queries, in flight together). A key moved
# again (a failed move restarted) counts once, as its newest move: the status says where each
# OneDrive, site and group stands now. States are counted in five buckets: Success, Failed,
# InProgress, Scheduled (everything not running yet) and Stopped; each Failed move becomes a
# failure with its fix (MoveFailureFixes.ps1). The pace is the completed moves (Success and
# Failed) per hour since the first move was created, up to now, or to the last completion once
# nothing is left; the estimate divides what is left by that pace.

$script:SpoMigrationStatusTypeName = 'SPOCrossTenant.MigrationStatus'
$script:SpoMoveFailureTypeName = 'SPOCrossTenant.MoveFailure'
$script:SpoStatusBuckets = @('Success', 'Failed', 'InProgress', 'Scheduled', 'Stopped')
# The bucket of each MoveState the service writes (NotSupported: the service will not do it).
$script:SpoStatusBucketOf = @{
    Success = 'Success'; Failed = 'Failed'; NotSupported = 'Failed'; InProgress = 'InProgress'; Stopped = 'Stopped'
    NotStarted = 'Scheduled'; Scheduled = 'Scheduled'; ReadyToTrigger = 'Scheduled'; Queued = 'Scheduled'; Rescheduled = 'Scheduled'
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
                Arguments = [ordered]@{ ContentType = $kind.ContentType; PartnerCrossTenantHostUrl = $Partner; $kind.SourceParameter = $null; SiteMoveId = $null
                    MoveState = $null; MoveDirection = $MoveDirection; Limit = $null; MoveStartTime = $null; MoveEndTime = $null; PartnerRole = $null } })
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
    $status = New-SpoMigrationStatus -States $states -Partner $Partner -MoveDirection $direction -Context (Get-SpoStatusContext $connection)
    if ($files) {
        Write-SpoStatusReport -Status $status -Files $files
        Write-Host "Report: $($files.Html) (and $($files.Csv))"
    }
    $status
}

function Get-SpoStatusContext {
    # What the fixes need from the connection: the source tenant's id, for identity-map lines.
    param([psobject]$Connection)
    $companyId = ''
    $info = if ($Connection) { Read-SpoConnectionInfo $Connection.Handle }
    if ($info) { $companyId = [string](ConvertFrom-Json -InputObject $info).tenantId }
    if (-not $companyId) { $companyId = "<the source tenant's ID (Get-MgOrganization shows it)>" }
    @{ CompanyId = $companyId }
}

function New-SpoMigrationStatus {
    # The status of these move states (as the Get- commands write them). $GeneratedAt: now,
    # unless a test says otherwise.
    param([System.Collections.Generic.List[object]]$States, [string]$Partner, [string]$MoveDirection = 'All', [hashtable]$Context,
        [datetime]$GeneratedAt = [datetime]::UtcNow)
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

    $total = [ordered]@{ Total = 0 }
    foreach ($bucket in $script:SpoStatusBuckets) { $total[$bucket] = 0 }
    $byKind = [ordered]@{}
    foreach ($name in $script:SpoMoveKinds.Keys) { $byKind[$name] = [ordered]@{ Total = 0 }; foreach ($bucket in $script:SpoStatusBuckets) { $byKind[$name][$bucket] = 0 } }
    $failures = [System.Collections.Generic.List[object]]::new()
    $completed = 0
    $first = $null; $last = $null; $latestBegin = $null
    foreach ($move in $moves) {
        $kind = Get-SpoMoveKind ([string]$move.ContentType)
        $bucket = $script:SpoStatusBucketOf[[string]$move.MoveState]
        if (-not $bucket) { $bucket = 'Scheduled' }
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

    $remaining = $total.InProgress + $total.Scheduled
    $perHour = 0.0
    $estimate = $null
    if ($completed -and $first) {
        $until = if ($remaining) { $GeneratedAt } else { $last }
        $hours = [Math]::Max(1.0 / 3600, ($until - $first).TotalHours)   # at least a second: the dates are to the second
        $perHour = [Math]::Round($completed / $hours, 1)
        # (At most to the end of the calendar: one completion in a long time gives a far estimate.)
        $estimate = if ($remaining) { $GeneratedAt.AddHours([Math]::Min($remaining / ($completed / $hours), ([datetime]::MaxValue - $GeneratedAt).TotalHours - 1)) } else { $last }
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
