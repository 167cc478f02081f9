# The one HTML renderer of the module's reports (the readiness report, the wave status): a page
# that stands alone (inline style and script, charts as inline SVG drawn here; no external
# script, style, font or image), every value HTML-encoded, and well-formed XML too, so XML tools
# and the tests can read it. People read it at any width from 1280 px up without scrolling
# sideways: the tables have fixed column widths and long values (URLs, identity-map lines) wrap.
# Every table sorts by any column (click its heading) and filters by one column (its state);
# the rows come failures first. A report being rewritten (Wait-SPOCrossTenantContentMove) reloads
# itself and keeps the reader's sort and filter.
#
# A report is built in order: New-SpoHtmlReport, then Add-SpoHtml* for each part, then
# Save-SpoHtmlReport, which adds the script and writes the file in one rename.

# The colour of each state, as a badge, a row marker and a chart segment.
$script:SpoReportStateColours = @{
    Success = '#2e7d32'; Pass = '#2e7d32'; Failed = '#c62828'; Fail = '#c62828'; NotSupported = '#c62828'; Warning = '#ef8f00'
    InProgress = '#1565c0'; Scheduled = '#78909c'; NotStarted = '#78909c'; ReadyToTrigger = '#78909c'; Queued = '#78909c'; Rescheduled = '#78909c'
    Stopped = '#6d4c41'
}

function Resolve-SpoReportPath {
    # @{ Html; Csv } full paths for -ReportPath (the CSV: the same name with .csv); the folder must exist.
    # $Example is a file name for the error message, e.g. wave.html.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$ReportPath, [string]$Example)
    $html = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ReportPath) } catch { $null }
    $folder = if ($html) { [System.IO.Path]::GetDirectoryName($html) }
    if (-not $html -or -not [System.IO.Directory]::Exists($folder)) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id ReportFolderNotFound -ParameterName ReportPath -TargetObject $ReportPath `
                    -Message "The folder of the report '$ReportPath' does not exist. Give a path in an existing folder, e.g. ./$Example."))
    }
    $csv = if ([System.IO.Path]::GetExtension($html) -in '.html', '.htm') { [System.IO.Path]::ChangeExtension($html, '.csv') } else { "$html.csv" }
    @{ Html = $html; Csv = $csv }
}

function ConvertTo-SpoHtmlText {
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
    param([hashtable]$Report, [string]$Text, [string]$Paragraph)
    $null = $Report.Page.Append("<h2>$(ConvertTo-SpoHtmlText $Text)</h2>`n")
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
    # any column and filtered by $FilterColumn's values (the select lists them in $FilterOrder
    # first, with their counts). Rows are written as given: the caller puts failures first.
    # $Widths: a percentage per column. $CodeColumns keep their line breaks, in a fixed-width
    # font; $NumberColumns sort by number and align right. $Headers: labels (default: the names).
    # Each row is marked with the colour of its filter value, or of $Mark for every row.
    param([hashtable]$Report, [string]$Id, [object[]]$Rows, [string[]]$Columns, [int[]]$Widths, [string]$FilterColumn,
        [string[]]$FilterOrder = @(), [string[]]$CodeColumns = @(), [string[]]$NumberColumns = @(), [string[]]$Headers, [string]$Empty = 'None.',
        [string]$Mark)
    $page = $Report.Page
    if (-not $Headers) { $Headers = $Columns }
    $filterIndex = [array]::IndexOf($Columns, $FilterColumn)
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
        $state = ConvertTo-SpoHtmlText $row.$FilterColumn
        $null = $page.Append("<tr class=`"marked s-$(if ($Mark) { $Mark } else { $state })`" data-state=`"$state`">")
        for ($index = 0; $index -lt $Columns.Count; $index++) {
            $null = $page.Append('<td').Append($classes[$index]).Append('>').Append([System.Net.WebUtility]::HtmlEncode([string]$row.($Columns[$index]))).Append('</td>')
        }
        $null = $page.Append("</tr>`n")
    }
    $null = $page.Append("</tbody>`n</table>`n")
    if (-not $Rows.Count) { $null = $page.Append("<p>$(ConvertTo-SpoHtmlText $Empty)</p>`n") }
    $Report.Tables++
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

function Add-SpoHtmlStackedBars {
    # A horizontal bar per category (e.g. per kind of move), split into one segment per series
    # (e.g. per state, in the order of $Series), with the counts written on the segments and a
    # legend. $Values[category][series] is a count.
    param([hashtable]$Report, [string]$Id, [string]$Title, [string[]]$Categories, [string[]]$Series, [hashtable]$Values)
    $width = 900; $left = 70; $right = 20; $barHeight = 34; $gap = 16; $top = 40
    $height = $top + $Categories.Count * ($barHeight + $gap) + 10
    $span = $width - $left - $right
    $most = 1
    foreach ($category in $Categories) {
        $sum = 0; foreach ($name in $Series) { $sum += [int]$Values[$category][$name] }
        $most = [Math]::Max($most, $sum)
    }
    $svg = [System.Text.StringBuilder]::new()
    $null = $svg.Append("<svg xmlns=`"http://www.w3.org/2000/svg`" class=`"chart`" id=`"$Id`" viewBox=`"0 0 $width $height`" role=`"img`" aria-label=`"$(ConvertTo-SpoHtmlText $Title)`">")
    $null = $svg.Append("<title>$(ConvertTo-SpoHtmlText $Title)</title>")
    $x = $left
    foreach ($name in $Series) {
        $null = $svg.Append("<rect x=`"$x`" y=`"8`" width=`"14`" height=`"14`" fill=`"$($script:SpoReportStateColours[$name])`" /><text x=`"$($x + 19)`" y=`"20`" font-size=`"13`">$(ConvertTo-SpoHtmlText $name)</text>")
        $x += 30 + 8 * $name.Length
    }
    $y = $top
    foreach ($category in $Categories) {
        $null = $svg.Append("<text x=`"0`" y=`"$($y + $barHeight / 2 + 5)`" font-size=`"14`">$(ConvertTo-SpoHtmlText $category)</text>")
        $x = [double]$left
        $total = 0
        foreach ($name in $Series) {
            $count = [int]$Values[$category][$name]
            $total += $count
            if (-not $count) { continue }
            $segment = $span * $count / $most
            $null = $svg.Append(('<rect x="{0:0.#}" y="{1}" width="{2:0.#}" height="{3}" fill="{4}"><title>{5} {6}: {7}</title></rect>' -f
                    $x, $y, $segment, $barHeight, $script:SpoReportStateColours[$name], (ConvertTo-SpoHtmlText $category), $name, $count))
            if ($segment -ge 8 * "$count".Length + 6) {
                $null = $svg.Append(('<text x="{0:0.#}" y="{1}" font-size="13" fill="#fff" text-anchor="middle">{2}</text>' -f ($x + $segment / 2), ($y + $barHeight / 2 + 5), $count))
            }
            $x += $segment
        }
        if (-not $total) { $null = $svg.Append("<text x=`"$left`" y=`"$($y + $barHeight / 2 + 5)`" font-size=`"13`" fill=`"#777`">no moves</text>") }
        $y += $barHeight + $gap
    }
    $null = $svg.Append('</svg>')
    $null = $Report.Page.Append($svg.ToString()).Append("`n")
}

function Add-SpoHtmlTimeColumns {
    # Columns of counts over time: one column per time bucket from $From to $To, stacked by
    # series (e.g. Success and Failed moves completed in that bucket), with a time axis in UTC.
    # $Events: @{ Time = [datetime] UTC; Series = name } each. $Empty is said when there are none.
    param([hashtable]$Report, [string]$Id, [string]$Title, [object[]]$Events, [string[]]$Series, [datetime]$From, [datetime]$To, [string]$Empty)
    $width = 900; $height = 260; $left = 50; $right = 20; $top = 34; $bottom = 40
    $plotWidth = $width - $left - $right; $plotHeight = $height - $top - $bottom
    $svg = [System.Text.StringBuilder]::new()
    $null = $svg.Append("<svg xmlns=`"http://www.w3.org/2000/svg`" class=`"chart`" id=`"$Id`" viewBox=`"0 0 $width $height`" role=`"img`" aria-label=`"$(ConvertTo-SpoHtmlText $Title)`">")
    $null = $svg.Append("<title>$(ConvertTo-SpoHtmlText $Title)</title>")
    if (-not $Events.Count) {
        $null = $svg.Append("<text x=`"$left`" y=`"$($top + 30)`" font-size=`"14`" fill=`"#777`">$(ConvertTo-SpoHtmlText $Empty)</text></svg>")
        $null = $Report.Page.Append($svg.ToString()).Append("`n")
        return
    }
    # A bucket length that gives at most 48 columns, rounded to a length people read at a glance.
    $range = [Math]::Max(1.0, ($To - $From).TotalSeconds)
    $lengths = 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800
    $bucket = $lengths[-1]
    foreach ($length in $lengths) { if ($range / $length -le 48) { $bucket = $length; break } }
    $start = [datetime]::new($From.Ticks - $From.Ticks % ([timespan]::TicksPerSecond * $bucket), [System.DateTimeKind]::Utc)
    $count = [int][Math]::Floor(($To - $start).TotalSeconds / $bucket) + 1
    $columns = [object[]]::new($count)
    for ($index = 0; $index -lt $count; $index++) { $columns[$index] = @{} }
    foreach ($item in $Events) {
        $index = [int][Math]::Floor(($item.Time - $start).TotalSeconds / $bucket)
        $index = [Math]::Min($count - 1, [Math]::Max(0, $index))
        $columns[$index][$item.Series] = 1 + [int]$columns[$index][$item.Series]
    }
    $most = 1
    foreach ($column in $columns) { $sum = 0; foreach ($value in $column.Values) { $sum += $value }; $most = [Math]::Max($most, $sum) }
    # The legend, the value axis (0, half, most) and the columns.
    $x = $left
    foreach ($name in $Series) {
        $null = $svg.Append("<rect x=`"$x`" y=`"6`" width=`"14`" height=`"14`" fill=`"$($script:SpoReportStateColours[$name])`" /><text x=`"$($x + 19)`" y=`"18`" font-size=`"13`">$(ConvertTo-SpoHtmlText $name)</text>")
        $x += 30 + 8 * $name.Length
    }
    $null = $svg.Append("<text x=`"$($x + 10)`" y=`"18`" font-size=`"12`" fill=`"#555`">moves completed per $(Format-SpoDuration $bucket)</text>")
    foreach ($mark in @(0, [Math]::Ceiling($most / 2), $most) | Select-Object -Unique) {
        $y = $top + $plotHeight - $plotHeight * $mark / $most
        $null = $svg.Append(('<line x1="{0}" y1="{1:0.#}" x2="{2}" y2="{1:0.#}" stroke="#ddd" /><text x="{3}" y="{4:0.#}" font-size="12" text-anchor="end">{5}</text>' -f
                $left, $y, ($width - $right), ($left - 6), ($y + 4), $mark))
    }
    $slot = $plotWidth / $count
    for ($index = 0; $index -lt $count; $index++) {
        $y = [double]($top + $plotHeight)
        foreach ($name in $Series) {
            $value = [int]$columns[$index][$name]
            if (-not $value) { continue }
            $tall = $plotHeight * $value / $most
            $y -= $tall
            $when = $start.AddSeconds($bucket * $index).ToString('yyyy-MM-dd HH:mm:ss')
            $null = $svg.Append(('<rect x="{0:0.#}" y="{1:0.#}" width="{2:0.#}" height="{3:0.#}" fill="{4}"><title>{5} UTC: {6} {7}</title></rect>' -f
                    ($left + $slot * $index + $slot * 0.1), $y, ($slot * 0.8), $tall, $script:SpoReportStateColours[$name], $when, $value, $name))
        }
    }
    # About six time labels along the axis.
    $every = [Math]::Max(1, [int][Math]::Ceiling($count / 6))
    $format = if ($bucket -ge 86400) { 'yyyy-MM-dd' } elseif ($bucket -ge 60) { 'MM-dd HH:mm' } else { 'HH:mm:ss' }
    for ($index = 0; $index -lt $count; $index += $every) {
        $label = $start.AddSeconds($bucket * $index).ToString($format)
        $null = $svg.Append(('<text x="{0:0.#}" y="{1}" font-size="12" text-anchor="middle">{2}</text>' -f ($left + $slot * ($index + 0.5)), ($height - $bottom + 18), $label))
    }
    $null = $svg.Append("<text x=`"$($width - $right)`" y=`"$($height - 4)`" font-size=`"12`" fill=`"#555`" text-anchor=`"end`">UTC</text>")
    $null = $svg.Append('</svg>')
    $null = $Report.Page.Append($svg.ToString()).Append("`n")
}

function Format-SpoDuration {
    # 1 s, 15 s, 5 min, 2 h, 1 day, 7 days.
    param([double]$Seconds)
    if ($Seconds -ge 86400) { $days = $Seconds / 86400; return "$days day$(if ($days -ne 1) { 's' })" }
    if ($Seconds -ge 3600) { return "$($Seconds / 3600) h" }
    if ($Seconds -ge 60) { return "$($Seconds / 60) min" }
    "$Seconds s"
}

function Save-SpoHtmlReport {
    # Closes the page with its script and writes it to $Path in one rename, so that a browser
    # reloading the page never reads half a file.
    param([hashtable]$Report, [string]$Path)
    # The script sits in a CDATA section (commented out for HTML), so the page stays well-formed XML.
    $null = $Report.Page.Append(@'
<script>
//<![CDATA[
(function () {
  'use strict';
  var store = null;
  try { store = window.sessionStorage; } catch (e) { store = null; }
  function remember(key, value) { if (store) { try { store.setItem(key, value); } catch (e) { } } }
  function recall(key) { if (store) { try { return store.getItem(key); } catch (e) { } } return null; }
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function compare(a, b, kind, order) {
    if (kind === 'state') {
      var x = order.indexOf(a), y = order.indexOf(b);
      if (x < 0) { x = order.length; } if (y < 0) { y = order.length; }
      if (x !== y) { return x - y; }
    } else if (kind === 'number') {
      var m = parseFloat(a), n = parseFloat(b);
      if (isNaN(m)) { m = -1; } if (isNaN(n)) { n = -1; }
      if (m !== n) { return m - n; }
    }
    return collator.compare(a, b);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.data'), function (table) {
    var body = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    var order = (table.getAttribute('data-state-order') || '').split(' ');
    var select = document.getElementById(table.id + '-filter');
    function sortBy(column, ascending) {
      var kind = headers[column].getAttribute('data-sort');
      var rows = Array.prototype.slice.call(body.rows);
      var keyed = rows.map(function (row, index) { return { row: row, key: row.cells[column].textContent, index: index }; });
      keyed.sort(function (a, b) {
        var result = compare(a.key, b.key, kind, order);
        if (result === 0) { return a.index - b.index; }
        return ascending ? result : -result;
      });
      var fragment = document.createDocumentFragment();
      keyed.forEach(function (item) { fragment.appendChild(item.row); });
      body.appendChild(fragment);
      Array.prototype.forEach.call(headers, function (header) { header.classList.remove('sorted-up', 'sorted-down'); });
      headers[column].classList.add(ascending ? 'sorted-up' : 'sorted-down');
      remember(table.id + '.sort', column + ':' + (ascending ? 'up' : 'down'));
    }
    function filter(value) {
      Array.prototype.forEach.call(body.rows, function (row) {
        row.hidden = value !== '' && row.getAttribute('data-state') !== value;
      });
      remember(table.id + '.filter', value);
    }
    Array.prototype.forEach.call(headers, function (header, column) {
      header.addEventListener('click', function () {
        sortBy(column, !header.classList.contains('sorted-up'));
      });
    });
    if (select) {
      select.addEventListener('change', function () { filter(select.value); });
    }
    var savedSort = recall(table.id + '.sort');
    if (savedSort) {
      var parts = savedSort.split(':');
      var column = parseInt(parts[0], 10);
      if (column >= 0 && column < headers.length) { sortBy(column, parts[1] === 'up'); }
    }
    var savedFilter = recall(table.id + '.filter');
    if (select && savedFilter !== null) {
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === savedFilter; });
      if (known) { select.value = savedFilter; filter(savedFilter); }
    }
  });
})();
//]]>
</script>
</body>
</html>
'@)
    $temporary = "$Path.$([System.Environment]::ProcessId).tmp"
    [System.IO.File]::WriteAllText($temporary, $Report.Page.ToString(), [System.Text.UTF8Encoding]::new($false))
    [System.IO.File]::Move($temporary, $Path, $true)
}
