# The readiness summary (host, never the pipeline) and the -ReportPath files: an HTML page drawn
# with the module's report parts (Report/: counts per result, the findings failures first,
# sortable by any column and filterable by result) and a CSV beside it.

# The order findings are shown in: what needs fixing first.
$script:SpoReadinessResultOrder = @('Fail', 'Warning', 'Pass')

function Get-SpoReadinessCounts {
    param([System.Collections.Generic.List[object]]$Findings)
    $counts = [ordered]@{ Pass = 0; Warning = 0; Fail = 0 }
    foreach ($finding in $Findings) { $counts[$finding.Result]++ }
    $counts
}

function Write-SpoReadinessSummary {
    # The closing lines on the host (information stream): counts, what failed, where the report is.
    param([System.Collections.Generic.List[object]]$Findings, [int]$Rows, [string]$Partner, [timespan]$Elapsed, [hashtable]$Files, [bool]$TargetChecked)
    $counts = Get-SpoReadinessCounts $Findings
    $verdict = if ($counts.Fail) { 'NOT READY' } elseif ($counts.Warning) { 'READY WITH WARNINGS' } else { 'READY' }
    Write-Host ("Migration readiness for {0}: {1}. {2} row(s), {3} finding(s): {4} Pass, {5} Warning, {6} Fail ({7:N1} s)." -f
        $Partner, $verdict, $Rows, $Findings.Count, $counts.Pass, $counts.Warning, $counts.Fail, $Elapsed.TotalSeconds)
    $byCheck = $Findings | Where-Object Result -NE 'Pass' | Group-Object Check | Sort-Object Count -Descending
    foreach ($group in $byCheck) { Write-Host ("  {0}: {1} {2}" -f $group.Name, $group.Count, (@($group.Group.Result | Sort-Object -Unique) -join '/')) }
    if (-not $TargetChecked) { Write-Host '  The target side was not checked: give -TargetAdminUrl and -TargetAccessToken to check it too.' }
    if ($Files) { Write-Host "  Report: $($Files.Html) (and $($Files.Csv))" }
}

function Write-SpoReadinessReport {
    # Writes the HTML report and the CSV beside it; throws an IOException that says what was not written.
    param([System.Collections.Generic.List[object]]$Findings, [hashtable]$Files, [string]$Partner, [string]$Source, [int]$Rows)
    $unwritten = @(Save-SpoReportCsv -Path $Files.Csv -Rows $Findings -Columns Result, Check, Target, Reason, Fix, Row, Kind, SourceKey, TraceCorrelationId) -ne $null
    $counts = Get-SpoReadinessCounts $Findings
    # Failures first, then warnings, then passes; within each, the order the checks ran in.
    $ordered = @($Findings | Sort-Object -Stable { [array]::IndexOf($script:SpoReadinessResultOrder, [string]$_.Result) })
    $report = New-SpoHtmlReport -Title 'Migration readiness' `
        -Lead "Source: $Source $([char]0x2192) partner: $Partner. $Rows row(s), $($Findings.Count) finding(s), written $([SPOCrossTenant.InvariantText]::Date([datetime]::UtcNow)) UTC."
    $shown = [ordered]@{}
    foreach ($result in $script:SpoReadinessResultOrder) { $shown[$result] = $counts[$result] }
    Add-SpoHtmlCounts -Report $report -Counts $shown
    Add-SpoHtmlTable -Report $report -Id findings -Rows $ordered -Columns 'Result', 'Check', 'Target', 'Reason', 'Fix', 'TraceCorrelationId' `
        -Widths 6, 11, 18, 24, 28, 13 -FilterColumn Result -FilterOrder $script:SpoReadinessResultOrder -CodeColumns Fix -Empty 'No findings.'
    $unwritten += @(Save-SpoHtmlReport -Report $report -Path $Files.Html) -ne $null
    if ($unwritten.Count) { throw [System.IO.IOException]::new(($unwritten -join '. ') + '.') }
}
