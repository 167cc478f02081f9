# The readiness summary (host, never the pipeline) and the -ReportPath files: a self-contained
# HTML page (inline style and a small inline script: counts per result, a table sortable by any
# column; no external resources, well-formed so that XML tools can read it) and a CSV beside it.

function Resolve-SpoReadinessReportPath {
    # @{ Html; Csv } full paths for -ReportPath (the CSV: the same name with .csv); the folder must exist.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$ReportPath)
    $html = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ReportPath) } catch { $null }
    $folder = if ($html) { [System.IO.Path]::GetDirectoryName($html) }
    if (-not $html -or -not [System.IO.Directory]::Exists($folder)) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id ReportFolderNotFound -ParameterName ReportPath -TargetObject $ReportPath `
                    -Message "The folder of the report '$ReportPath' does not exist. Give a path in an existing folder, e.g. ./readiness.html."))
    }
    $csv = if ([System.IO.Path]::GetExtension($html) -in '.html', '.htm') { [System.IO.Path]::ChangeExtension($html, '.csv') } else { "$html.csv" }
    @{ Html = $html; Csv = $csv }
}

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
    # Writes the HTML report and the CSV beside it.
    param([System.Collections.Generic.List[object]]$Findings, [hashtable]$Files, [string]$Partner, [string]$Source, [int]$Rows)
    $columns = 'Result', 'Check', 'Target', 'Reason', 'Fix', 'Row', 'Kind', 'SourceKey', 'TraceCorrelationId'
    $Findings | Select-Object $columns | Export-Csv -LiteralPath $Files.Csv -NoTypeInformation -Encoding utf8BOM
    $counts = Get-SpoReadinessCounts $Findings
    $e = { param($Text) [System.Net.WebUtility]::HtmlEncode([string]$Text) }
    $html = [System.Text.StringBuilder]::new()
    $null = $html.Append(@"
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<title>Migration readiness: $(& $e $Partner)</title>
<style>
body { font-family: Segoe UI, Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; }
.counts span { display: inline-block; margin-right: 1em; padding: .3em .8em; border-radius: .3em; font-weight: bold; }
.Pass { background: #e3f4e1; } .Warning { background: #fff4d6; } .Fail { background: #fbe1e1; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border: 1px solid #ccc; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; cursor: pointer; user-select: none; }
td.fix { font-family: Consolas, Menlo, monospace; font-size: .85em; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>Migration readiness</h1>
<p>Source: $(& $e $Source) &#8594; partner: $(& $e $Partner). $Rows row(s), $($Findings.Count) finding(s), written $([datetime]::UtcNow.ToString('yyyy-MM-dd HH:mm:ss')) UTC.</p>
<p class="counts"><span class="Pass" id="count-Pass">Pass: $($counts.Pass)</span><span class="Warning" id="count-Warning">Warning: $($counts.Warning)</span><span class="Fail" id="count-Fail">Fail: $($counts.Fail)</span></p>
<p>Click a column heading to sort by it.</p>
<table id="findings">
<thead><tr>
"@)
    foreach ($column in $columns) { $null = $html.Append("<th>$column</th>") }
    $null = $html.Append("</tr></thead>`n<tbody>`n")
    foreach ($finding in $Findings) {
        $null = $html.Append("<tr class=`"$($finding.Result)`">")
        foreach ($column in $columns) {
            $class = if ($column -eq 'Fix') { ' class="fix"' } else { '' }
            $null = $html.Append("<td$class>$(& $e $finding.$column)</td>")
        }
        $null = $html.Append("</tr>`n")
    }
    # The script sits in a CDATA section (commented out for HTML), so the page stays well-formed XML.
    $null = $html.Append(@'
</tbody>
</table>
<script>
//<![CDATA[
(function () {
  var table = document.getElementById('findings');
  var order = { Fail: 0, Warning: 1, Pass: 2 };
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (header, column) {
    var ascending = true;
    header.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        if (column === 0) { x = order[x]; y = order[y]; }
        else if (x !== '' && y !== '' && !isNaN(x) && !isNaN(y)) { x = Number(x); y = Number(y); }
        var result = x === y ? 0 : (x > y ? 1 : -1);
        return ascending ? result : -result;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      ascending = !ascending;
    });
  });
})();
//]]>
</script>
</body>
</html>
'@)
    [System.IO.File]::WriteAllText($Files.Html, $html.ToString(), [System.Text.UTF8Encoding]::new($false))
}
