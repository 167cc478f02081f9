# Wait-SPOCrossTenantContentMove's work: follow a batch of moves until each reaches a final state.
#
# One state query per content type (and partner) per poll, whatever the number of moves: the
# answer lists every move of that kind, narrowed to those created since the oldest one waited
# for, and each waited move is found in it by MoveJobId (or, for a key, as the newest move of that
# key). Polls back off while nothing changes (x1.5 up to a minute, or the first interval when
# that is longer) and start again from the first interval when something does; a throttled
# query is retried by the engine's policy, as the service asks. The progress view shows the
# counts per state and the move that has been under way the longest. With -ReportPath, the wave
# report of the moves waited for is kept up to date (WaitReport.ps1).

$script:SpoFinalMoveStates = @('Success', 'Failed', 'Stopped')
$script:SpoWaitMaxIntervalSeconds = 60

function Get-SpoWaitItem {
    # One piped object -> @{ Kind; Key; MoveJobId; State } or $null (not a move; an error is written).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [object]$InputObject)
    $value = if ($InputObject -is [psobject]) { $InputObject.PSObject.BaseObject } else { $InputObject }
    if ($value -is [string]) {
        $key = $value.Trim()
        $kindName = if ($key -match '^https?://') { 'Site' } elseif ($key.Contains('@')) { 'User' } else { 'Group' }
        if ($key) { return @{ Kind = $script:SpoMoveKinds[$kindName]; Key = $key; MoveJobId = $null; State = $null } }
    } elseif ($InputObject) {
        $properties = $InputObject.PSObject.Properties
        if ($properties['ContentType'] -and $properties['SourceContentKey'] -and $InputObject.SourceContentKey) {
            $kind = Get-SpoMoveKind ([string]$InputObject.ContentType)
            if ($kind) {
                $final = $InputObject.MoveState -in $script:SpoFinalMoveStates -or $InputObject.ValidationOnly
                return @{ Kind = $kind; Key = [string]$InputObject.SourceContentKey; MoveJobId = $InputObject.MoveJobId; State = $(if ($final -or $InputObject.CreatedTime) { $InputObject }) }
            }
        }
        foreach ($kind in $script:SpoMoveKinds.Values) {
            $key = [string]$properties[$kind.SourceParameter].Value
            if ($key.Trim()) { return @{ Kind = $kind; Key = $key.Trim(); MoveJobId = $null; State = $null } }
        }
    }
    $Cmdlet.WriteError((New-SpoArgumentErrorRecord -Id MoveInputInvalid -ParameterName InputObject -TargetObject $InputObject `
                -Message "'$InputObject' is not a move: pipe the state objects of Start-/Get-SPOCrossTenant*ContentMove*, CSV rows of the move commands, or source keys (UPNs, site URLs, group aliases)."))
}

function Test-SpoFinalMoveState {
    param([psobject]$State)
    $State -and ($State.MoveState -in $script:SpoFinalMoveStates -or $State.ValidationOnly)
}

function Wait-SpoContentMoves {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.Generic.List[object]]$InputObjects, [string]$Partner, [int]$Timeout,
        [double]$PollIntervalSeconds, [string]$ReportPath)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    if (-not $script:SpoConnection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $report = if ($ReportPath) { New-SpoWaitReport -Cmdlet $Cmdlet -ReportPath $ReportPath -Partner $Partner }
    $items = [System.Collections.Generic.List[hashtable]]::new()
    foreach ($object in $InputObjects) {
        $item = Get-SpoWaitItem -Cmdlet $Cmdlet -InputObject $object
        if ($item) { $items.Add($item) }
    }
    if (-not $items.Count) { return }

    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $interval = $PollIntervalSeconds
    $maxInterval = [Math]::Max($PollIntervalSeconds, $script:SpoWaitMaxIntervalSeconds)
    $activity = "Waiting for $($items.Count) cross-tenant move(s)"
    $failedPolls = 0
    try {
        while ($true) {
            $pending = @($items | Where-Object { -not $_.Missing -and -not (Test-SpoFinalMoveState $_.State) })
            $shownChanged = $false
            if ($pending.Count) {
                $poll = Update-SpoWaitItems -Items $pending -Partner $Partner -Cmdlet $Cmdlet
                if ($null -eq $poll) {
                    $failedPolls++
                    if ($failedPolls -ge 5) { $Cmdlet.ThrowTerminatingError($script:SpoLastPollError) }
                } else {
                    $failedPolls = 0
                    $interval = if ($poll.Changed) { $PollIntervalSeconds } else { [Math]::Min($interval * 1.5, $maxInterval) }
                    $shownChanged = $poll.Shown
                }
                $pending = @($items | Where-Object { -not $_.Missing -and -not (Test-SpoFinalMoveState $_.State) })
            }
            Show-SpoWaitProgress -Items $items -Activity $activity -Elapsed $clock.Elapsed
            $over = -not $pending.Count -or ($Timeout -ge 0 -and $clock.Elapsed.TotalSeconds -ge $Timeout)
            $sleep = $interval
            if ($Timeout -ge 0) { $sleep = [Math]::Min($sleep, [Math]::Max(0.05, $Timeout - $clock.Elapsed.TotalSeconds)) }
            if ($report) { Update-SpoWaitReport -Report $report -Items $items -Changed $shownChanged -Over $over -RefreshSeconds ([Math]::Max(1, [int][Math]::Ceiling($sleep))) }
            if ($over) { break }
            Start-Sleep -Milliseconds ([int](1000 * $sleep))
        }
    } finally {
        Write-Progress -Activity $activity -Completed
        if ($report) { Close-SpoWaitReport -Report $report -Items $items }
    }
    foreach ($item in $items) {
        if ($item.Missing) { continue }
        if (-not (Test-SpoFinalMoveState $item.State)) {
            $state = if ($item.State) { "$($item.State.MoveState)$(if ($item.State.MovePhase) { " ($($item.State.MovePhase), $($item.State.PercentComplete)%)" })" } else { 'unknown' }
            $record = [System.Management.Automation.ErrorRecord]::new(
                [System.TimeoutException]::new("The move of $($item.Key) did not reach a final state within $Timeout s; it is $state. It goes on: wait again, or follow it with Get-SPOCrossTenant$($item.Kind.Name)ContentMoveState."),
                'SPOCrossTenant.MoveWaitTimeout', [System.Management.Automation.ErrorCategory]::OperationTimeout, $(if ($item.State) { $item.State } else { $item.Key }))
            $Cmdlet.WriteError($record)
        }
        if ($item.State) { $item.State }
    }
}

function Update-SpoWaitItems {
    # One poll: a state query per content type. Returns @{ Changed: a state or phase changed (the
    # polls start again from the first interval); Shown: anything the report shows changed (also
    # a percentage or a message) }, or $null when a query failed (its error is kept in
    # $script:SpoLastPollError).
    param([object[]]$Items, [string]$Partner, [System.Management.Automation.PSCmdlet]$Cmdlet)
    $changed = $false; $shown = $false
    foreach ($group in ($Items | Group-Object { $_.Kind.ContentType })) {
        $kind = $group.Group[0].Kind
        $created = @($group.Group | ForEach-Object { if ($_.State) { $_.State.CreatedTime } })
        $since = if ($created.Count -eq $group.Count -and $created -notcontains $null) { ($created | Measure-Object -Minimum).Minimum }
        $source = if ($group.Count -eq 1 -and -not $since) { $group.Group[0].Key }
        $arguments = New-SpoMoveStateQuery -Kind $kind -Partner $Partner -Source $source -Since $since
        $probe = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method GetSPOCrossTenantContentMoveState -Arguments $arguments
        if ($probe.Error) {
            $script:SpoLastPollError = $probe.Error
            Write-Warning "Reading the move states failed, trying again: $($probe.Error.Exception.Message)"
            return $null
        }
        $byId = @{}; $byKey = @{}
        foreach ($state in $probe.Output) {
            if ($state.MoveJobId) { $byId[[string]$state.MoveJobId] = $state }
            $key = ([string]$state.SourceContentKey).ToLowerInvariant()
            $known = $byKey[$key]
            if (-not $known -or $state.CreatedTime -ge $known.CreatedTime) { $byKey[$key] = $state }
        }
        foreach ($item in $group.Group) {
            $state = if ($item.MoveJobId) { $byId[[string]$item.MoveJobId] } else { $byKey[$item.Key.ToLowerInvariant()] }
            if (-not $state) {
                if (-not $item.State) {
                    $item.Missing = $true
                    $Cmdlet.WriteError((New-SpoArgumentErrorRecord -Id MoveNotFound -ParameterName InputObject -TargetObject $item.Key `
                                -Message "There is no $($kind.Noun) move of $($item.Key)$(if ($Partner) { " with $Partner" }) to wait for."))
                }
                continue
            }
            if (-not $item.MoveJobId) { $item.MoveJobId = $state.MoveJobId }
            if (-not $item.State -or $item.State.MoveState -ne $state.MoveState -or $item.State.MovePhase -ne $state.MovePhase) { $changed = $true }
            if ($changed -or $item.State.PercentComplete -ne $state.PercentComplete -or $item.State.ErrorMessage -ne $state.ErrorMessage) { $shown = $true }
            $item.State = $state
        }
    }
    @{ Changed = $changed; Shown = $shown }
}

function Show-SpoWaitProgress {
    # The live view: counts per state, and the unfinished move under way the longest.
    param([System.Collections.Generic.List[hashtable]]$Items, [string]$Activity, [timespan]$Elapsed)
    $counts = [ordered]@{}
    $percent = 0
    $slowest = $null
    foreach ($item in $Items) {
        if ($item.Missing) { continue }
        $name = if ($item.State) { [string]$item.State.MoveState } else { 'Unknown' }
        $counts[$name] = 1 + [int]$counts[$name]
        if (Test-SpoFinalMoveState $item.State) { $percent += 100; continue }
        if ($item.State) { $percent += [int]$item.State.PercentComplete }
        if ($item.State -and (-not $slowest -or $item.State.CreatedTime -lt $slowest.State.CreatedTime)) { $slowest = $item }
    }
    $total = [Math]::Max(1, @($Items | Where-Object { -not $_.Missing }).Count)
    $status = (@($counts.GetEnumerator() | ForEach-Object { "$($_.Key) $($_.Value)" }) -join ', ')
    if ($slowest) {
        $age = [datetime]::UtcNow - $slowest.State.CreatedTime
        $phase = if ($slowest.State.MovePhase) { " $($slowest.State.MovePhase) $($slowest.State.PercentComplete)%" } else { '' }
        $status += "; slowest: $($slowest.Key) ($($slowest.State.MoveState)$phase, $([int]$age.TotalSeconds) s)"
    }
    Write-Progress -Activity $Activity -Status "$status; $([int]$Elapsed.TotalSeconds) s" -PercentComplete ([Math]::Min(100, [int]($percent / $total)))
}
