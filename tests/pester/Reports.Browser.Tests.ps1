# Both HTML reports (Test-SPOCrossTenantMigrationReadiness -ReportPath and
# Get-SPOCrossTenantMigrationStatus -ReportPath), opened in a real browser: headless Chromium,
# driven through its DevTools protocol (Helpers/Browser.ps1). For each: no script error, console
# error or failed load; no horizontal scroll at 1280 and 1400 px wide, with a long identity-map
# line in a fix; failures first; clicking a column heading sorts the rows, again reverses them;
# the state filter shows exactly the rows of that state, and a reload (the wave report reloads
# itself while Wait- runs) keeps the reader's filter.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Browser.ps1')
    Import-ModuleUnderTest
    $script:Emulator = Start-TestEmulator -ExtraArgument '--move-step', '100ms', '--move-spread', '2'
    $contoso = $script:Emulator.Tenants.contoso
    $fabrikam = $script:Emulator.Tenants.fabrikam
    $base = $script:Emulator.BaseUrl
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-browser-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Set-SPOCrossTenantRelationship MnA Source $contoso.hostUrl
    $map = Join-Path $script:Work 'map.csv'
    $sales = @($contoso.groups | Where-Object alias -EQ 'sales')[0].objectId
    @(
        "User,$($contoso.companyId),bianca@contoso.onmicrosoft.com,emil@fabrikam.onmicrosoft.com,emil@fabrikam.onmicrosoft.com,RegularUser"
        "User,$($contoso.companyId),chen@contoso.onmicrosoft.com,chen.new@fabrikam.onmicrosoft.com,chen.new@fabrikam.onmicrosoft.com,RegularUser"
        "Group,$($contoso.companyId),$sales,$([guid]::NewGuid()),sales-contoso,O365Group"
    ) | Set-Content -LiteralPath $map
    Add-SPOTenantIdentityMap -IdentityMapPath $map
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl

    # The readiness report: one Fail (alex is not in the identity map: a long identity-map line in its fix) among passes.
    $script:Readiness = Join-Path $script:Work 'readiness.html'
    @(
        [pscustomobject]@{ SourceUserPrincipalName = 'bianca@contoso.onmicrosoft.com'; TargetUserPrincipalName = 'emil@fabrikam.onmicrosoft.com'; SourceSiteUrl = ''; TargetSiteUrl = '' }
        [pscustomobject]@{ SourceUserPrincipalName = ''; TargetUserPrincipalName = ''; SourceSiteUrl = "$base/contoso/sites/marketing"; TargetSiteUrl = "$base/fabrikam/sites/marketing-contoso" }
        [pscustomobject]@{ SourceUserPrincipalName = 'alex@contoso.onmicrosoft.com'; TargetUserPrincipalName = 'dana.with.a.rather.long.name.for.the.identity.map@fabrikam.onmicrosoft.com'; SourceSiteUrl = ''; TargetSiteUrl = '' }
    ) | Test-SPOCrossTenantMigrationReadiness $fabrikam.hostUrl -TargetAdminUrl $fabrikam.adminUrl -TargetAccessToken $fabrikam.accessToken -ReportPath $script:Readiness 6>$null | Out-Null

    # The wave report: moves of all three kinds, two of them failed (one with a cause and a long fix).
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/move-faults" -ContentType 'application/json' -Body (ConvertTo-Json @(
            'chen@contoso.onmicrosoft.com=Validation:MnAIdentityMappingNotFound', "$base/contoso/sites/finance=Restore"))
    $null = Start-SPOCrossTenantUserContentMove bianca@contoso.onmicrosoft.com emil@fabrikam.onmicrosoft.com $fabrikam.hostUrl
    $null = Start-SPOCrossTenantUserContentMove chen@contoso.onmicrosoft.com chen.new@fabrikam.onmicrosoft.com $fabrikam.hostUrl
    foreach ($site in 'marketing', 'finance', 'projects') { $null = Start-SPOCrossTenantSiteContentMove "$base/contoso/sites/$site" "$base/fabrikam/sites/$site-contoso" $fabrikam.hostUrl }
    $null = Start-SPOCrossTenantGroupContentMove sales sales-contoso $fabrikam.hostUrl
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    do { Start-Sleep -Milliseconds 200; $status = Get-SPOCrossTenantMigrationStatus $fabrikam.hostUrl } while (($status.InProgress + $status.Scheduled) -and [datetime]::UtcNow -lt $deadline)
    $script:Wave = Join-Path $script:Work 'wave.html'
    $null = Get-SPOCrossTenantMigrationStatus $fabrikam.hostUrl -ReportPath $script:Wave 6>$null
    # The same report written by a German session (137,7 where SVG wants 137.7), and one of hundreds of failures.
    $script:GermanWave = Join-Path $script:Work 'wave-de-DE.html'
    $saved = [cultureinfo]::CurrentCulture
    try {
        [cultureinfo]::CurrentCulture = 'de-DE'
        $null = Get-SPOCrossTenantMigrationStatus $fabrikam.hostUrl -ReportPath $script:GermanWave 6>$null
    } finally { [cultureinfo]::CurrentCulture = $saved }
    Import-TestPrivateCode
    . (Join-Path $PSScriptRoot 'Helpers/StatusFixture.ps1')
    $script:Generated = [datetime]::UtcNow
    $script:ManyFailures = Join-Path $script:Work 'failures.html'
    $codes = 'MnAMoveFailed', 'MnAUserNotLicensed', 'MnAIdentityMappingNotFound', 'MnATargetSiteConflict'
    $states = for ($n = 1; $n -le 400; $n++) { New-TestMoveState -Key "f$n" -State Failed -Code $codes[$n % 4] -Created $script:Generated.AddHours(-5) -Completed $script:Generated.AddMinutes(-$n / 2) }
    $null = Write-TestStatusReport -States $states -Path $script:ManyFailures -GeneratedAt $script:Generated

    $script:Browser = Start-TestBrowser -Width 1280 -Height 900

    function Get-Rows {
        # The rows of a table as the reader sees them: state, visible, and the text of one column.
        param([string]$Table, [int]$Column = 1)
        Invoke-TestPageScript $script:Browser "Array.from(document.querySelectorAll('#$Table tbody tr')).map(function (r) { return { state: r.getAttribute('data-state'), shown: !r.hidden && r.offsetParent !== null, text: r.cells[$Column].textContent }; })"
    }
}

AfterAll {
    Stop-TestBrowser $script:Browser
    Stop-TestEmulator $script:Emulator
    Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue
}

Describe 'The <Name> report in headless Chromium' -ForEach @(
    @{ Name = 'readiness'; File = 'Readiness'; Table = 'findings'; Failure = 'Fail'; Other = 'Pass' }
    @{ Name = 'wave'; File = 'Wave'; Table = 'moves'; Failure = 'Failed'; Other = 'Success' }
) {
    BeforeAll { $path = Get-Variable -Scope Script -Name $File -ValueOnly }

    It 'renders without script errors, and without scrolling sideways at <_> px' -ForEach 1280, 1400 {
        $null = Invoke-TestCdp $script:Browser 'Emulation.setDeviceMetricsOverride' @{ width = $_; height = 900; deviceScaleFactor = 1; mobile = $false }
        Open-TestPage $script:Browser $path
        @(Get-TestPageErrors $script:Browser) | Should -BeNullOrEmpty
        $layout = Invoke-TestPageScript $script:Browser @'
({ scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
   right: Math.max.apply(null, Array.from(document.querySelectorAll('body *')).map(function (e) { return e.getBoundingClientRect().right; })) })
'@
        $layout.width | Should -Be $_
        $layout.scroll | Should -BeLessOrEqual $layout.width -Because 'nothing runs off the right edge'
        $layout.right | Should -BeLessOrEqual $layout.width
    }

    It 'shows the failures first' {
        $null = Invoke-TestCdp $script:Browser 'Emulation.setDeviceMetricsOverride' @{ width = 1280; height = 900; deviceScaleFactor = 1; mobile = $false }
        Open-TestPage $script:Browser $path
        $states = @((Get-Rows $Table).state)
        $states[0] | Should -Be $Failure
        $lastFailure = [array]::LastIndexOf($states, $Failure)
        @($states[0..$lastFailure] | Where-Object { $_ -ne $Failure }).Count | Should -Be 0
        $states | Should -Contain $Other
    }

    It 'sorts the rows by the column whose heading is clicked, and reverses them on a second click' {
        Open-TestPage $script:Browser $path
        $before = @((Get-Rows $Table 2).text)
        $null = Invoke-TestPageScript $script:Browser "document.querySelector('#$Table thead th:nth-child(3)').click()"
        $up = @((Get-Rows $Table 2).text)
        $expected = Invoke-TestPageScript $script:Browser "Array.from(document.querySelectorAll('#$Table tbody tr')).map(function (r) { return r.cells[2].textContent; }).sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }); })"
        $up | Should -Be @($expected)
        ($up -join '|') | Should -Not -Be ($before -join '|') -Because 'the rows moved'
        $null = Invoke-TestPageScript $script:Browser "document.querySelector('#$Table thead th:nth-child(3)').click()"
        $down = @((Get-Rows $Table 2).text)
        [array]::Reverse($expected)
        # Equal texts keep their order; the rest comes in reverse.
        (@($down | Select-Object -Unique) -join '|') | Should -Be (@($expected | Select-Object -Unique) -join '|')
        @(Get-TestPageErrors $script:Browser) | Should -BeNullOrEmpty
    }

    It 'shows only the rows of the state chosen in the filter, and keeps the choice over a reload' {
        Open-TestPage $script:Browser $path
        $all = @(Get-Rows $Table)
        $count = @($all | Where-Object state -EQ $Other).Count
        $count | Should -BeGreaterThan 0
        $label = Invoke-TestPageScript $script:Browser "var s = document.getElementById('$Table-filter'); s.value = '$Other'; s.dispatchEvent(new Event('change')); s.options[s.selectedIndex].textContent"
        $label | Should -Be "$Other ($count)"
        $shown = @(Get-Rows $Table | Where-Object shown)
        $shown.Count | Should -Be $count
        @($shown | Where-Object state -NE $Other).Count | Should -Be 0
        Update-TestPage $script:Browser   # what the wave report's meta refresh does
        @(Get-Rows $Table | Where-Object shown).Count | Should -Be $count
        $null = Invoke-TestPageScript $script:Browser "var s = document.getElementById('$Table-filter'); s.value = ''; s.dispatchEvent(new Event('change'))"
        @(Get-Rows $Table | Where-Object shown).Count | Should -Be $all.Count
        @(Get-TestPageErrors $script:Browser) | Should -BeNullOrEmpty
    }
}

Describe 'The wave report''s charts in headless Chromium' {
    It 'draws the states per kind and the completions over time, every label inside the chart (<Name>)' -ForEach @(
        @{ Name = 'written in English'; File = 'Wave' }
        @{ Name = 'written under de-DE'; File = 'GermanWave' }
    ) {
        $null = Invoke-TestCdp $script:Browser 'Emulation.setDeviceMetricsOverride' @{ width = 1280; height = 900; deviceScaleFactor = 1; mobile = $false }
        Open-TestPage $script:Browser (Get-Variable -Scope Script -Name $File -ValueOnly)
        @(Get-TestPageErrors $script:Browser) | Should -BeNullOrEmpty -Because 'every attribute of the SVG is valid'
        $clipped = Invoke-TestPageScript $script:Browser @'
Array.from(document.querySelectorAll('svg.chart')).map(function (svg) { var box = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll('text, rect')).filter(function (e) { var r = e.getBoundingClientRect();
    return r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5; }).map(function (e) { return svg.id + ': ' + e.textContent; }); })
  .reduce(function (a, b) { return a.concat(b); }, [])
'@
        @($clipped) | Should -BeNullOrEmpty -Because 'no label runs off the edge of its chart'
        $drawn = Invoke-TestPageScript $script:Browser "Array.from(document.querySelectorAll('#states-chart rect[fill]')).filter(function (r) { return r.getBBox().width > 0; }).length"
        $drawn | Should -BeGreaterThan 6 -Because 'the legend and every bar segment are drawn'
        $charts = Invoke-TestPageScript $script:Browser @'
['states-chart', 'completions-chart'].map(function (id) { var box = document.getElementById(id).getBoundingClientRect();
  return { width: box.width, height: box.height, bars: document.querySelectorAll('#' + id + ' rect').length }; })
'@
        foreach ($chart in $charts) {
            $chart.width | Should -BeGreaterThan 500
            $chart.height | Should -BeGreaterThan 100
            $chart.bars | Should -BeGreaterThan 3
        }
    }
}

Describe 'A wave report with hundreds of failures in headless Chromium' {
    It 'keeps the failures to a screen or two, grouped by error code, each group''s moves one click away' {
        $null = Invoke-TestCdp $script:Browser 'Emulation.setDeviceMetricsOverride' @{ width = 1280; height = 900; deviceScaleFactor = 1; mobile = $false }
        Open-TestPage $script:Browser $script:ManyFailures
        @(Get-TestPageErrors $script:Browser) | Should -BeNullOrEmpty
        $layout = Invoke-TestPageScript $script:Browser @'
({ failures: document.getElementById('failures').getBoundingClientRect().height,
   groups: document.querySelectorAll('#failures h3').length,
   folded: Array.from(document.querySelectorAll('#failures details')).filter(function (d) { return !d.open; }).length })
'@
        $layout.groups | Should -Be 4
        $layout.folded | Should -Be 4
        $layout.failures | Should -BeLessThan 2000 -Because '400 failures would run ~48,000 px as a table of fixes'
        $opened = Invoke-TestPageScript $script:Browser "var d = document.querySelector('#failures details'); d.querySelector('summary').click(); Array.from(d.querySelectorAll('tbody tr')).filter(function (r) { return r.offsetParent !== null; }).length"
        $opened | Should -Be 100
    }
}
