# The page of the module's reports (the readiness report, the wave status): a page that stands
# alone (inline style and script, charts as inline SVG from SvgCharts.ps1; no external script,
# style, font or image), every value HTML-encoded, and well-formed XML too, so XML tools and the
# tests can read it. People read it at any width from 1280 px up without scrolling sideways: the
# tables have fixed column widths and long values (URLs, identity-map lines) wrap. Every table
# sorts by any column (click its heading) and may filter by one column (its state); the rows come
# failures first. A report being rewritten (Wait-SPOCrossTenantContentMove) reloads itself and
# keeps the reader's sort and filter (PageScript.ps1).
#
# A report is built in order: New-SpoHtmlReport, then Add-SpoHtml* for each part, then
# Save-SpoHtmlReport, which adds the script and writes the file (ReportFiles.ps1).

# The colour of each state, as a badge, a row marker and a chart segment.
$script:SpoReportStateColours = @{
    Success = '#2e7d32'; Pass = '#2e7d32'; Failed = '#c62828'; Fail = '#c62828'; NotSupported = '#c62828'; Warning = '#ef8f00'
    InProgress = '#1565c0'; Scheduled = '#78909c'; NotStarted = '#78909c'; ReadyToTrigger = '#78909c'; Queued = '#78909c'; Rescheduled = '#78909c'
    Stopped = '#6d4c41'
}

# Characters XML 1.0 does not allow (control characters other than tab and line breaks, U+FFFE,
# U+FFFF): one in an ErrorMessage would make the whole page unreadable to XML tools. The page is
# cleared of them as it is saved, whichever part the text went into; each becomes U+FFFD.
$script:SpoXmlForbidden = [regex]::new('[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]')

function ConvertTo-SpoHtmlText {
    # A value as HTML text (its characters XML forbids go at Save-SpoHtmlReport). The table cells,
    # thousands of them, call HtmlEncode inline: a function call costs more than the encoding.
    param([object]$Value)
    [System.Net.WebUtility]::HtmlEncode([string]$Value)
}

function New-SpoHtmlReport {
    # $Lead: the line under the heading. $RefreshSeconds > 0: the page reloads itself that often.
    # $Generated (UTC) is written to the millisecond in a meta tag, for tools that watch the file.
    param([string]$Title, [string]$Lead, [int]$RefreshSeconds = 0, [datetime]$Generated = [datetime]::UtcNow)
    $page = [System.Text.StringBuilder]::new(65536)
    $meta = "`n<meta name=`"generated`" content=`"$($Generated.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture))`" />"
    if ($RefreshSeconds -gt 0) { $meta += "`n<meta http-equiv=`"refresh`" content=`"$RefreshSeconds`" />" }
    $null = $page.Append(@"
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />$meta
<title>$(ConvertTo-SpoHtmlText $Title)</title>
<style>
body { font-family: "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; max-width: 100%; }
h1 { font-size: 1.4em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 1.6em; }
p, li, h1, h2 { overflow-wrap: anywhere; }
.lead { color: #555; }
.counts span { display: inline-block; margin: 0 .6em .4em 0; padding: .3em .8em; border-radius: .3em; font-weight: bold; color: #fff; }
.chart { width: 100%; max-width: 900px; height: auto; display: block; margin: .5em 0 1em 0; }
.chart text { font-family: "Segoe UI", Helvetica, Arial, sans-serif; }
.filter { margin: .4em 0; }
table.data { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: .85em; }
table.data th, table.data td { border: 1px solid #ccc; padding: .3em .45em; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
table.data th { background: #f0f0f0; cursor: pointer; user-select: none; }
table.data th.sorted-up::after { content: " \25B2"; }
table.data th.sorted-down::after { content: " \25BC"; }
table.data td.code { font-family: Consolas, Menlo, monospace; font-size: .92em; white-space: pre-wrap; }
table.data td.number { text-align: right; }
table.data tr.marked td:first-child { border-left-width: 5px; }
table.grid { border-collapse: collapse; font-size: .9em; margin-bottom: 1em; }
table.grid th, table.grid td { border: 1px solid #ccc; padding: .25em .7em; }
table.grid th { background: #f0f0f0; text-align: left; }
table.grid td { text-align: right; }
table.grid td:first-child { text-align: left; font-weight: bold; }
h3 { font-size: 1em; margin: 1.2em 0 .3em 0; }
pre.code { font-family: Consolas, Menlo, monospace; font-size: .85em; white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; border: 1px solid #ddd; padding: .5em .7em; margin: .3em 0 .6em 0; }
details > summary { cursor: pointer; margin: .3em 0; color: #1565c0; }

"@)
    foreach ($state in $script:SpoReportStateColours.Keys | Sort-Object) {
        $colour = $script:SpoReportStateColours[$state]
        $null = $page.Append(".counts .s-$state { background: $colour; } table.data tr.s-$state td:first-child { border-left-color: $colour; }`n")
    }
    $null = $page.Append(@"
</style>
</head>
<body>
<h1>$(ConvertTo-SpoHtmlText $Title)</h1>
<p class="lead">$(ConvertTo-SpoHtmlText $Lead)</p>

"@)
    @{ Page = $page; Tables = 0 }
}

function Add-SpoHtmlHeading {
    # A heading (<h2>, or <h3> with -Level 3) and the paragraph under it, if any.
    param([hashtable]$Report, [string]$Text, [string]$Paragraph, [ValidateSet(2, 3)][int]$Level = 2)
    $null = $Report.Page.Append("<h$Level>$(ConvertTo-SpoHtmlText $Text)</h$Level>`n")
    if ($Paragraph) { $null = $Report.Page.Append("<p>$(ConvertTo-SpoHtmlText $Paragraph)</p>`n") }
}

function Add-SpoHtmlCounts {
    # One badge per entry of $Counts (name -> count), coloured by name, id count-<name>.
    param([hashtable]$Report, [System.Collections.Specialized.OrderedDictionary]$Counts)
    $null = $Report.Page.Append('<p class="counts">')
    foreach ($name in $Counts.Keys) {
        $null = $Report.Page.Append("<span class=`"s-$name`" id=`"count-$name`">${name}: $($Counts[$name])</span>")
    }
    $null = $Report.Page.Append("</p>`n")
}

function Add-SpoHtmlTable {
    # A table of $Rows (objects; cells are their $Columns properties, in that order), sortable by
    # any column and, with $FilterColumn, filtered by its values (the select lists them in
    # $FilterOrder first, with their counts). Rows are written as given: the caller puts failures
    # first. $Widths: a percentage per column. $CodeColumns keep their line breaks, in a
    # fixed-width font; $NumberColumns sort by number and align right. $Headers: labels (default:
    # the names). Each row is marked with the colour of its filter value, or of $Mark for every
    # row. $Collapsed: the table starts folded away under this line (a <details> summary).
    param([hashtable]$Report, [string]$Id, [object[]]$Rows, [string[]]$Columns, [int[]]$Widths, [string]$FilterColumn,
        [string[]]$FilterOrder = @(), [string[]]$CodeColumns = @(), [string[]]$NumberColumns = @(), [string[]]$Headers, [string]$Empty = 'None.',
        [string]$Mark, [string]$Collapsed)
    $page = $Report.Page
    if (-not $Headers) { $Headers = $Columns }
    if ($Collapsed) { $null = $page.Append("<details><summary>$(ConvertTo-SpoHtmlText $Collapsed)</summary>`n") }
    $filterIndex = if ($FilterColumn) { [array]::IndexOf($Columns, $FilterColumn) } else { -1 }
    if ($FilterColumn) {
        $tally = [ordered]@{}
        foreach ($name in $FilterOrder) { $tally[$name] = 0 }
        foreach ($row in $Rows) { $value = [string]$row.$FilterColumn; $tally[$value] = 1 + [int]$tally[$value] }
        $null = $page.Append("<p class=`"filter`"><label for=`"$Id-filter`">Show $(ConvertTo-SpoHtmlText $Headers[$filterIndex]): </label><select id=`"$Id-filter`" data-table=`"$Id`">")
        $null = $page.Append("<option value=`"`">all ($($Rows.Count))</option>")
        foreach ($name in $tally.Keys) {
            if (-not $tally[$name]) { continue }
            $null = $page.Append("<option value=`"$(ConvertTo-SpoHtmlText $name)`">$(ConvertTo-SpoHtmlText $name) ($($tally[$name]))</option>")
        }
        $null = $page.Append("</select> Click a column heading to sort by it.</p>`n")
    }
    $null = $page.Append("<table class=`"data`" id=`"$Id`" data-filter-column=`"$filterIndex`" data-state-order=`"$(ConvertTo-SpoHtmlText ($FilterOrder -join ' '))`">`n<colgroup>")
    foreach ($width in $Widths) { $null = $page.Append("<col style=`"width: $width%`" />") }
    $null = $page.Append("</colgroup>`n<thead><tr>")
    for ($index = 0; $index -lt $Columns.Count; $index++) {
        $sort = if ($Columns[$index] -in $NumberColumns) { 'number' } elseif ($index -eq $filterIndex) { 'state' } else { 'text' }
        $null = $page.Append("<th data-sort=`"$sort`">$(ConvertTo-SpoHtmlText $Headers[$index])</th>")
    }
    $null = $page.Append("</tr></thead>`n<tbody>`n")
    $classes = @(foreach ($column in $Columns) {
            if ($column -in $CodeColumns) { ' class="code"' } elseif ($column -in $NumberColumns) { ' class="number"' } else { '' }
        })
    foreach ($row in $Rows) {
        $state = if ($FilterColumn) { [System.Net.WebUtility]::HtmlEncode([string]$row.$FilterColumn) } else { $Mark }
        $null = $page.Append("<tr class=`"marked s-$(if ($Mark) { $Mark } else { $state })`" data-state=`"$state`">")
        for ($index = 0; $index -lt $Columns.Count; $index++) {
            $null = $page.Append('<td').Append($classes[$index]).Append('>').Append([System.Net.WebUtility]::HtmlEncode([string]$row.($Columns[$index]))).Append('</td>')
        }
        $null = $page.Append("</tr>`n")
    }
    $null = $page.Append("</tbody>`n</table>`n")
    if (-not $Rows.Count) { $null = $page.Append("<p>$(ConvertTo-SpoHtmlText $Empty)</p>`n") }
    if ($Collapsed) { $null = $page.Append("</details>`n") }
    $Report.Tables++
}

function Add-SpoHtmlCode {
    # Lines people copy (commands, CSV lines): a fixed-width block that keeps its line breaks and wraps.
    param([hashtable]$Report, [string]$Text)
    $null = $Report.Page.Append("<pre class=`"code`">$(ConvertTo-SpoHtmlText $Text)</pre>`n")
}

function Add-SpoHtmlGrid {
    # A small fixed table of figures (e.g. counts per kind and state): $Columns of each of $Rows.
    param([hashtable]$Report, [string]$Id, [object[]]$Rows, [string[]]$Columns)
    $page = $Report.Page
    $null = $page.Append("<table class=`"grid`" id=`"$Id`"><thead><tr>")
    foreach ($column in $Columns) { $null = $page.Append("<th>$(ConvertTo-SpoHtmlText $column)</th>") }
    $null = $page.Append("</tr></thead><tbody>`n")
    foreach ($row in $Rows) {
        $null = $page.Append('<tr>')
        foreach ($column in $Columns) { $null = $page.Append("<td>$(ConvertTo-SpoHtmlText $row.$column)</td>") }
        $null = $page.Append("</tr>`n")
    }
    $null = $page.Append("</tbody></table>`n")
}

function Save-SpoHtmlReport {
    # Closes the page with its script (PageScript.ps1) and writes it to $Path in one rename
    # (ReportFiles.ps1), without the characters XML forbids; returns nothing when it was written,
    # else why not.
    param([hashtable]$Report, [string]$Path)
    $null = $Report.Page.Append($script:SpoReportScript).Append("`n</body>`n</html>`n")
    [SPOCrossTenant.ReportFile]::Save($Path, $script:SpoXmlForbidden.Replace($Report.Page.ToString(), [string][char]0xFFFD), $false)
}
