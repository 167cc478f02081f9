# The -ReportPath files of Get-SPOCrossTenantMigrationStatus and Wait-SPOCrossTenantContentMove:
# an HTML page drawn with the module's report parts (Report/) and a CSV beside it.
#
# The page, top to bottom: the counts per state and per kind, a chart of the states per kind, a
# chart of the moves completed over time, the failures grouped by error code (the fix of each
# code once, then its moves, folded away beyond a few, so hundreds of failures stay one screen or
# two), then every move in a table sorted failures first, sortable by any column and filterable
# by state. The CSV has one row per move: Kind, SourceContentKey, TargetContentKey, MoveState,
# MovePhase, PercentComplete, ErrorMessage and Fix (each failure's own fix, in full).

# The failures of one error code shown before the rest fold away under "Show all".
$script:SpoReportFailuresShown = 5

function Write-SpoStatusReport {
    # Writes the CSV, then the page; a file that cannot be written does not keep the other from
    # being written. Returns nothing when both were written, else what was not, and why.
    # $RefreshSeconds > 0: the page reloads itself (Wait- rewrites it).
    param([psobject]$Status, [hashtable]$Files, [int]$RefreshSeconds = 0)
    $fixes = @{}
    foreach ($failure in $Status.Failures) { $fixes["$($failure.Kind)|$($failure.SourceContentKey)"] = $failure.Fix }
    $bucketOf = Get-SpoStatusBucketOf
    $unknown = [System.Collections.Generic.SortedSet[string]]::new()
    $rows = [System.Collections.Generic.List[object]]::new($Status.Moves.Count)
    foreach ($move in $Status.Moves) {
        $kind = (Get-SpoMoveKind ([string]$move.ContentType)).Name
        if (-not $bucketOf.ContainsKey([string]$move.MoveState)) { $null = $unknown.Add([string]$move.MoveState) }
        $rows.Add([pscustomobject]@{
                Kind = $kind; SourceContentKey = $move.SourceContentKey; TargetContentKey = $move.TargetContentKey; MoveState = $move.MoveState
                MovePhase = $move.MovePhase; PercentComplete = $move.PercentComplete; ErrorMessage = $move.ErrorMessage; Fix = $fixes["$kind|$($move.SourceContentKey)"]
                Completed = if ($move.CompletedTime) { [SPOCrossTenant.InvariantText]::Date($move.CompletedTime) } else { '' }
            })
    }
    $unwritten = @(Save-SpoReportCsv -Path $Files.Csv -Rows $rows -Columns Kind, SourceContentKey, TargetContentKey, MoveState, MovePhase, PercentComplete, ErrorMessage, Fix) -ne $null

    $partner = if ($Status.PartnerCrossTenantHostUrl) { $Status.PartnerCrossTenantHostUrl } else { 'any partner' }
    $direction = if ($Status.MoveDirection -and $Status.MoveDirection -ne 'All') { " ($($Status.MoveDirection))" } else { '' }
    $pace = if ($Status.EstimatedCompletion) {
        [SPOCrossTenant.InvariantText]::Format(' Completed per hour: {0:N1}; estimated completion: {1:yyyy-MM-dd HH:mm} UTC.', $Status.CompletedPerHour, $Status.EstimatedCompletion)
    } else { ' No move has completed yet, so there is no estimate.' }
    $lead = "Moves with $partner$direction`: $($Status.Total) move(s), as of $([SPOCrossTenant.InvariantText]::Date($Status.GeneratedAt)) UTC.$pace"
    if ($unknown.Count) { $lead += " States this module does not know ($($unknown -join ', ')) are counted as Scheduled." }
    if ($RefreshSeconds -gt 0) { $lead += " This page reloads every $RefreshSeconds s while Wait-SPOCrossTenantContentMove runs." }
    $report = New-SpoHtmlReport -Title 'Migration wave status' -Lead $lead -RefreshSeconds $RefreshSeconds -Generated $Status.GeneratedAt

    $buckets = @($script:SpoStatusBuckets.Keys)
    $counts = [ordered]@{}
    foreach ($bucket in $buckets) { $counts[$bucket] = $Status.$bucket }
    Add-SpoHtmlCounts -Report $report -Counts $counts
    $values = @{}
    foreach ($name in $script:SpoMoveKinds.Keys) {
        $values[$name] = @{}
        foreach ($bucket in $buckets) { $values[$name][$bucket] = $Status.ByKind.$name.$bucket }
    }
    Add-SpoHtmlHeading -Report $report -Text 'States per kind'
    Add-SpoHtmlStackedBars -Report $report -Id states-chart -Title 'Moves per kind and state' -Categories @($script:SpoMoveKinds.Keys) -Series $buckets -Values $values
    $grid = foreach ($name in $script:SpoMoveKinds.Keys) {
        $line = [ordered]@{ Kind = $name; Total = $Status.ByKind.$name.Total }
        foreach ($bucket in $buckets) { $line[$bucket] = $Status.ByKind.$name.$bucket }
        [pscustomobject]$line
    }
    Add-SpoHtmlGrid -Report $report -Id kind-counts -Rows @($grid) -Columns (@('Kind', 'Total') + $buckets)

    $events = [System.Collections.Generic.List[object]]::new()
    $from = $null
    foreach ($move in $Status.Moves) {
        if ($move.CreatedTime -and (-not $from -or $move.CreatedTime -lt $from)) { $from = $move.CreatedTime }
        if ($move.MoveState -in 'Success', 'Failed' -and $move.CompletedTime) { $events.Add(@{ Time = $move.CompletedTime; Series = [string]$move.MoveState }) }
    }
    $to = $Status.GeneratedAt
    if (-not ($Status.InProgress + $Status.Scheduled) -and $events.Count) { $to = ($events | ForEach-Object { $_.Time } | Measure-Object -Maximum).Maximum }
    if (-not $from -or $from -gt $to) { $from = $to }
    Add-SpoHtmlHeading -Report $report -Text 'Completions over time'
    Add-SpoHtmlTimeColumns -Report $report -Id completions-chart -Title 'Moves completed over time (UTC)' -Events $events.ToArray() -Series 'Success', 'Failed' `
        -From $from -To $to -Empty 'No move has completed yet.'

    Add-SpoStatusFailures -Report $report -Failures @($Status.Failures) -CsvName ([System.IO.Path]::GetFileName($Files.Csv))

    # Failures first: the rows grouped by state in the order of the buckets' states, each group in service order.
    $stateOrder = @($script:SpoStatusBuckets.Values | ForEach-Object { $_ })
    $groups = [ordered]@{}
    foreach ($state in $stateOrder) { $groups[$state] = [System.Collections.Generic.List[object]]::new() }
    foreach ($row in $rows) {
        $state = [string]$row.MoveState
        if (-not $groups.Contains($state)) { $groups[$state] = [System.Collections.Generic.List[object]]::new() }
        $groups[$state].Add($row)
    }
    $ordered = [System.Collections.Generic.List[object]]::new($rows.Count)
    foreach ($group in $groups.Values) { $ordered.AddRange($group) }
    Add-SpoHtmlHeading -Report $report -Text "Every move ($($Status.Total))"
    Add-SpoHtmlTable -Report $report -Id moves -Rows $ordered.ToArray() -Columns 'Kind', 'SourceContentKey', 'TargetContentKey', 'MoveState', 'MovePhase', 'PercentComplete', 'Completed', 'ErrorMessage' `
        -Headers 'Kind', 'Source', 'Target', 'State', 'Phase', '%', 'Completed (UTC)', 'Error message' -Widths 5, 22, 22, 9, 8, 4, 11, 19 `
        -FilterColumn MoveState -FilterOrder $stateOrder -NumberColumns PercentComplete -Empty 'No moves.'
    $unwritten += @(Save-SpoHtmlReport -Report $report -Path $Files.Html) -ne $null
    if ($unwritten.Count) { ($unwritten -join '. ') + '.' }
}

function Add-SpoStatusFailures {
    # The failures, one group per error code (most failures first): the fix of that code once,
    # shown for its first move (each move's own is in the CSV's Fix column), then its moves.
    param([hashtable]$Report, [object[]]$Failures, [string]$CsvName)
    $paragraph = if ($Failures.Count) { "Grouped by error code: what to do, with the exact steps for the first move of each (ending with the command that starts it again), then the moves. The steps of every move are in the Fix column of $CsvName and in the Failures of the status object." }
    Add-SpoHtmlHeading -Report $Report -Text "Failures ($($Failures.Count))" -Paragraph $paragraph
    if (-not $Failures.Count) { $null = $Report.Page.Append("<p id=`"failures`">No move has failed.</p>`n"); return }
    $null = $Report.Page.Append("<div id=`"failures`">`n")
    $number = 0
    foreach ($group in $Failures | Group-Object ErrorCode | Sort-Object -Stable -Property @{ Expression = 'Count'; Descending = $true }) {
        $number++
        $first = $group.Group[0]
        $code = if ($group.Name) { $group.Name } else { '(no error code)' }
        Add-SpoHtmlHeading -Report $Report -Level 3 -Text "$code ($($group.Count))" -Paragraph "$(Get-SpoMoveFailureSummary $first.ErrorCode) The steps for $($first.SourceContentKey):"
        Add-SpoHtmlCode -Report $Report -Text $first.Fix
        $collapsed = if ($group.Count -gt $script:SpoReportFailuresShown) { "Show the $($group.Count) moves that failed with $code" }
        Add-SpoHtmlTable -Report $Report -Id "failures-$number" -Rows $group.Group -Columns 'Kind', 'SourceContentKey', 'TargetContentKey', 'ErrorMessage', 'TraceCorrelationId' `
            -Headers 'Kind', 'Source', 'Target', 'Error message', 'TraceCorrelationId' -Widths 6, 24, 24, 30, 16 -Mark Failed -Collapsed $collapsed
    }
    $null = $Report.Page.Append("</div>`n")
}
