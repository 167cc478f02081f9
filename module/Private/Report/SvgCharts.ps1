# The charts of the reports, drawn here as inline SVG (no script, no external file): stacked bars
# (a bar per category split by series, e.g. the states per kind of move) and columns over time
# (e.g. the moves completed per minute). Each is appended to a report page (HtmlPage.ps1) and
# scales to the page's width (class "chart": a 900-unit viewBox, 100% wide up to 900 px).
#
# Every number and date in the SVG is written in the invariant culture
# ([SPOCrossTenant.InvariantText]): an attribute such as width="137,7" (what -f writes under
# de-DE) is an error to the browser, and the bar it belongs to is not drawn.

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
    Add-SpoSvgStart -Svg $svg -Id $Id -Title $Title -Width $width -Height $height
    $null = Add-SpoSvgLegend -Svg $svg -Series $Series -X $left -Y 8
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
            $null = $svg.Append([SPOCrossTenant.InvariantText]::Format('<rect x="{0:0.#}" y="{1}" width="{2:0.#}" height="{3}" fill="{4}"><title>{5} {6}: {7}</title></rect>',
                    $x, $y, $segment, $barHeight, $script:SpoReportStateColours[$name], (ConvertTo-SpoHtmlText $category), $name, $count))
            if ($segment -ge 8 * "$count".Length + 6) {
                $null = $svg.Append([SPOCrossTenant.InvariantText]::Format('<text x="{0:0.#}" y="{1}" font-size="13" fill="#fff" text-anchor="middle">{2}</text>',
                        ($x + $segment / 2), ($y + $barHeight / 2 + 5), $count))
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
    Add-SpoSvgStart -Svg $svg -Id $Id -Title $Title -Width $width -Height $height
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
    $x = Add-SpoSvgLegend -Svg $svg -Series $Series -X $left -Y 6
    $null = $svg.Append("<text x=`"$($x + 10)`" y=`"18`" font-size=`"12`" fill=`"#555`">moves completed per $(Format-SpoDuration $bucket)</text>")
    foreach ($mark in @(0, [Math]::Ceiling($most / 2), $most) | Select-Object -Unique) {
        $y = $top + $plotHeight - $plotHeight * $mark / $most
        $null = $svg.Append([SPOCrossTenant.InvariantText]::Format('<line x1="{0}" y1="{1:0.#}" x2="{2}" y2="{1:0.#}" stroke="#ddd" /><text x="{3}" y="{4:0.#}" font-size="12" text-anchor="end">{5}</text>',
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
            $when = [SPOCrossTenant.InvariantText]::Date($start.AddSeconds($bucket * $index))
            $null = $svg.Append([SPOCrossTenant.InvariantText]::Format('<rect x="{0:0.#}" y="{1:0.#}" width="{2:0.#}" height="{3:0.#}" fill="{4}"><title>{5} UTC: {6} {7}</title></rect>',
                    ($left + $slot * $index + $slot * 0.1), $y, ($slot * 0.8), $tall, $script:SpoReportStateColours[$name], $when, $value, $name))
        }
    }
    # About six time labels along the axis, each centred under its column; one that would run past
    # the right edge (the last, under a narrow column) ends at the edge instead.
    $every = [Math]::Max(1, [int][Math]::Ceiling($count / 6))
    $format = if ($bucket -ge 86400) { 'yyyy-MM-dd' } elseif ($bucket -ge 60) { 'MM-dd HH:mm' } else { 'HH:mm:ss' }
    for ($index = 0; $index -lt $count; $index += $every) {
        $label = [SPOCrossTenant.InvariantText]::Date($start.AddSeconds($bucket * $index), $format)
        $centre = $left + $slot * ($index + 0.5)
        $anchor = 'middle'
        if ($centre + 3.5 * $label.Length -gt $width - 2) { $centre = $width - 2; $anchor = 'end' }   # 12 px text: about 7 px a character
        $null = $svg.Append([SPOCrossTenant.InvariantText]::Format('<text x="{0:0.#}" y="{1}" font-size="12" text-anchor="{2}">{3}</text>', $centre, ($height - $bottom + 18), $anchor, $label))
    }
    $null = $svg.Append("<text x=`"$($width - $right)`" y=`"$($height - 4)`" font-size=`"12`" fill=`"#555`" text-anchor=`"end`">UTC</text>")
    $null = $svg.Append('</svg>')
    $null = $Report.Page.Append($svg.ToString()).Append("`n")
}

function Add-SpoSvgStart {
    # The <svg> element of a chart, with its title for screen readers and tooltips.
    param([System.Text.StringBuilder]$Svg, [string]$Id, [string]$Title, [int]$Width, [int]$Height)
    $null = $Svg.Append("<svg xmlns=`"http://www.w3.org/2000/svg`" class=`"chart`" id=`"$Id`" viewBox=`"0 0 $Width $Height`" role=`"img`" aria-label=`"$(ConvertTo-SpoHtmlText $Title)`">")
    $null = $Svg.Append("<title>$(ConvertTo-SpoHtmlText $Title)</title>")
}

function Add-SpoSvgLegend {
    # A colour square and the name of each series, in a row from ($X, $Y); returns where the row ends.
    param([System.Text.StringBuilder]$Svg, [string[]]$Series, [int]$X, [int]$Y)
    foreach ($name in $Series) {
        $null = $Svg.Append("<rect x=`"$X`" y=`"$Y`" width=`"14`" height=`"14`" fill=`"$($script:SpoReportStateColours[$name])`" /><text x=`"$($X + 19)`" y=`"$($Y + 12)`" font-size=`"13`">$(ConvertTo-SpoHtmlText $name)</text>")
        $X += 30 + 8 * $name.Length
    }
    $X
}

function Format-SpoDuration {
    # 1 s, 15 s, 5 min, 2 h, 1 day, 7 days.
    param([double]$Seconds)
    if ($Seconds -ge 86400) { $days = $Seconds / 86400; return "$days day$(if ($days -ne 1) { 's' })" }
    if ($Seconds -ge 3600) { return "$($Seconds / 3600) h" }
    if ($Seconds -ge 60) { return "$($Seconds / 60) min" }
    "$Seconds s"
}
