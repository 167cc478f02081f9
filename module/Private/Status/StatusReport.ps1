# The -ReportPath files of Get-SPOCrossTenantMigrationStatus and Wait-SPOCrossTenantContentMove:
# an HTML page drawn by the module's report renderer (Report/HtmlReport.ps1) and a CSV beside it.
#
# The page, top to bottom: the counts per state and per kind, a chart of the states per kind, a
# chart of the moves completed over time, the failures with their fixes, then every move in a
# table sorted failures first, sortable by any column and filterable by state. The CSV has one
# row per move: Kind, SourceContentKey, TargetContentKey, MoveState, MovePhase, PercentComplete,
# ErrorMessage and Fix.

# The order of the states in the moves table and its filter: what needs attention first.
$script:SpoStatusStateOrder = @('Failed', 'NotSupported', 'InProgress', 'ReadyToTrigger', 'Scheduled', 'Queued', 'Rescheduled', 'NotStarted', 'Stopped', 'Success')
# The order of the buckets in the counts and the charts.
$script:SpoStatusBucketOrder = @('Failed', 'InProgress', 'Scheduled', 'Stopped', 'Success')

function Write-SpoStatusReport {
    # $RefreshSeconds > 0: the page reloads itself (Wait- rewrites it after every poll).
    param([psobject]$Status, [hashtable]$Files, [int]$RefreshSeconds = 0)
    $fixes = @{}
    foreach ($failure in $Status.Failures) { $fixes["$($failure.Kind)|$($failure.SourceContentKey)"] = $failure.Fix }
    $rows = [System.Collections.Generic.List[object]]::new($Status.Moves.Count)
    foreach ($move in $Status.Moves) {
        $kind = (Get-SpoMoveKind ([string]$move.ContentType)).Name
        $rows.Add([pscustomobject]@{
                Kind = $kind; SourceContentKey = $move.SourceContentKey; TargetContentKey = $move.TargetContentKey; MoveState = $move.MoveState
                MovePhase = $move.MovePhase; PercentComplete = $move.PercentComplete; ErrorMessage = $move.ErrorMessage; Fix = $fixes["$kind|$($move.SourceContentKey)"]
                Completed = if ($move.CompletedTime) { $move.CompletedTime.ToString('yyyy-MM-dd HH:mm:ss') } else { '' }
            })
    }
    $rows | Select-Object Kind, SourceContentKey, TargetContentKey, MoveState, MovePhase, PercentComplete, ErrorMessage, Fix |
        Export-Csv -LiteralPath $Files.Csv -NoTypeInformation -Encoding utf8BOM

    $partner = if ($Status.PartnerCrossTenantHostUrl) { $Status.PartnerCrossTenantHostUrl } else { 'any partner' }
    $direction = if ($Status.MoveDirection -and $Status.MoveDirection -ne 'All') { " ($($Status.MoveDirection))" } else { '' }
    $pace = if ($Status.EstimatedCompletion) {
        " Completed per hour: $($Status.CompletedPerHour.ToString('N1', [cultureinfo]::InvariantCulture)); estimated completion: $($Status.EstimatedCompletion.ToString('yyyy-MM-dd HH:mm')) UTC."
    } else { ' No move has completed yet, so there is no estimate.' }
    $lead = "Moves with $partner$direction`: $($Status.Total) move(s), as of $($Status.GeneratedAt.ToString('yyyy-MM-dd HH:mm:ss')) UTC.$pace"
    if ($RefreshSeconds -gt 0) { $lead += " This page reloads every $RefreshSeconds s while Wait-SPOCrossTenantContentMove runs." }
    $report = New-SpoHtmlReport -Title 'Migration wave status' -Lead $lead -RefreshSeconds $RefreshSeconds -Generated $Status.GeneratedAt

    $counts = [ordered]@{}
    foreach ($bucket in $script:SpoStatusBucketOrder) { $counts[$bucket] = $Status.$bucket }
    Add-SpoHtmlCounts -Report $report -Counts $counts
    $values = @{}
    foreach ($name in $script:SpoMoveKinds.Keys) {
        $values[$name] = @{}
        foreach ($bucket in $script:SpoStatusBucketOrder) { $values[$name][$bucket] = $Status.ByKind.$name.$bucket }
    }
    Add-SpoHtmlHeading -Report $report -Text 'States per kind'
    Add-SpoHtmlStackedBars -Report $report -Id states-chart -Title 'Moves per kind and state' -Categories @($script:SpoMoveKinds.Keys) -Series $script:SpoStatusBucketOrder -Values $values
    $grid = foreach ($name in $script:SpoMoveKinds.Keys) {
        $line = [ordered]@{ Kind = $name; Total = $Status.ByKind.$name.Total }
        foreach ($bucket in $script:SpoStatusBucketOrder) { $line[$bucket] = $Status.ByKind.$name.$bucket }
        [pscustomobject]$line
    }
    Add-SpoHtmlGrid -Report $report -Id kind-counts -Rows @($grid) -Columns (@('Kind', 'Total') + $script:SpoStatusBucketOrder)

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

    Add-SpoHtmlHeading -Report $report -Text "Failures ($($Status.Failures.Count))" -Paragraph $(if ($Status.Failures.Count) { 'Each with the exact next step, ending with the command that starts that move again.' })
    Add-SpoHtmlTable -Report $report -Id failures -Rows $Status.Failures -Columns 'Kind', 'SourceContentKey', 'TargetContentKey', 'ErrorCode', 'ErrorMessage', 'Fix', 'TraceCorrelationId' `
        -Headers 'Kind', 'Source', 'Target', 'Error code', 'Error message', 'Fix', 'TraceCorrelationId' -Widths 5, 12, 12, 15, 16, 27, 13 `
        -FilterColumn ErrorCode -CodeColumns Fix -Mark Failed -Empty 'No move has failed.'

    # Failures first: the rows grouped by state in $script:SpoStatusStateOrder, each group in service order.
    $groups = [ordered]@{}
    foreach ($state in $script:SpoStatusStateOrder) { $groups[$state] = [System.Collections.Generic.List[object]]::new() }
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
        -FilterColumn MoveState -FilterOrder $script:SpoStatusStateOrder -NumberColumns PercentComplete -Empty 'No moves.'
    Save-SpoHtmlReport -Report $report -Path $Files.Html
}
