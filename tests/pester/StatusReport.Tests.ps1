# The wave status and its report from move states made here (no emulator, no network): what the
# status object counts and estimates at the edges, the fix table, and the files of -ReportPath
# written under cultures that format numbers and dates their own way (de-DE: 137,7; th-TH: the
# Buddhist calendar; fi-FI: 14.05.06), with characters XML forbids, and with hundreds of failures.
# The same pages in a real browser: Reports.Browser.Tests.ps1. Against the emulator:
# Status.EndToEnd.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest -WithPrivateCode
    . (Join-Path $PSScriptRoot 'Helpers/StatusFixture.ps1')   # New-TestMoveState, Write-TestStatusReport
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-status-report-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work
    $script:Generated = [datetime]::new(2026, 12, 7, 14, 5, 6, [System.DateTimeKind]::Utc)
    $script:Start = $script:Generated.AddHours(-6)

    function Read-TestXml {
        param([string]$Path)
        $settings = [System.Xml.XmlReaderSettings]::new()
        $settings.DtdProcessing = [System.Xml.DtdProcessing]::Ignore
        $reader = [System.Xml.XmlReader]::Create($Path, $settings)
        try { $document = [System.Xml.XmlDocument]::new(); $document.Load($reader); $document } finally { $reader.Dispose() }
    }
}

AfterAll { Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue }

Describe 'A report written under <_>' -ForEach 'de-DE', 'th-TH', 'fi-FI' {
    BeforeAll {
        $states = for ($n = 1; $n -le 30; $n++) {
            $state = if ($n % 6 -eq 0) { 'Failed' } elseif ($n % 5 -eq 0) { 'InProgress' } else { 'Success' }
            New-TestMoveState -Key "u$n" -State $state -Created $script:Start -Completed $(if ($state -ne 'InProgress') { $script:Start.AddMinutes(11 * $n + 0.37) })
        }
        $path = Join-Path $script:Work "culture-$_.html"
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = $_
            $status = Write-TestStatusReport -States $states -Path $path -GeneratedAt $script:Generated
            $view = ($status | Out-String -Width 120) -replace '\e\[[0-9;]*m', ''
        } finally { [cultureinfo]::CurrentCulture = $saved }
        $raw = [System.IO.File]::ReadAllText($path)
        $document = Read-TestXml $path
    }

    It 'writes every number of its charts with a dot' {
        $namespaces = [System.Xml.XmlNamespaceManager]::new($document.NameTable)
        $namespaces.AddNamespace('svg', 'http://www.w3.org/2000/svg')
        $numbers = @($document.SelectNodes('//svg:svg//@x | //svg:svg//@y | //svg:svg//@width | //svg:svg//@height | //svg:svg//@x1 | //svg:svg//@y1 | //svg:svg//@x2 | //svg:svg//@y2', $namespaces))
        $numbers.Count | Should -BeGreaterThan 40
        @($numbers | Where-Object { $_.Value -notmatch '^-?\d+(\.\d+)?$' } | ForEach-Object { "$($_.Name)=$($_.Value)" }) | Should -BeNullOrEmpty
        @($numbers | Where-Object { $_.Value -match '\.' }).Count | Should -BeGreaterThan 0 -Because 'some positions are fractions'
    }

    It 'writes every date in the Gregorian calendar, with colons' {
        $raw | Should -Match 'as of 2026-12-07 14:05:06 UTC'
        $raw | Should -Match 'estimated completion: 2026-12-07 \d\d:\d\d UTC'
        # The completions chart's tooltips and axis labels, and the Completed column.
        @([regex]::Matches($raw, '<title>2026-12-07 \d\d:\d\d:\d\d UTC: ')).Count | Should -BeGreaterThan 3
        @([regex]::Matches($raw, '>12-07 \d\d:\d\d</text>')).Count | Should -BeGreaterThan 2
        @([regex]::Matches($raw, '<td>2026-12-07 \d\d:\d\d:\d\d</td>')).Count | Should -Be 25
        $raw | Should -Not -Match '25[67]\d-\d\d-\d\d' -Because 'no Buddhist years'
        $raw | Should -Not -Match '\d\d\.\d\d\.\d\d' -Because 'no dotted times'
        $raw | Should -Not -Match 'Completed per hour: \d+,\d'
    }

    It 'shows the same dates on screen' {
        $view | Should -Match 'as of 2026-12-07 14:05:06 UTC'
        $view | Should -Match 'estimated completion: 2026-12-07 \d\d:\d\d UTC'
    }
}

Describe 'The pace and the estimate' {
    It 'keeps the pace''s full precision: one completion in three days is not 0' {
        $states = @(
            New-TestMoveState -Key a -State Success -Created $script:Generated.AddDays(-3) -Completed $script:Generated.AddHours(-1)
            New-TestMoveState -Key b -State InProgress -Created $script:Generated.AddDays(-3)
        )
        $status = New-TestStatus $states
        $status.CompletedPerHour | Should -BeGreaterThan 0.0138
        $status.CompletedPerHour | Should -BeLessThan 0.0139
        $status.EstimatedCompletion | Should -Be $script:Generated.AddHours(72)
    }

    It 'ends at the last completion once every move is final, or at GeneratedAt when the service gave no completion time' {
        $timed = @(
            New-TestMoveState -Key a -State Success -Created $script:Start -Completed $script:Start.AddHours(2)
            New-TestMoveState -Key b -State Failed -Created $script:Start -Completed $script:Start.AddHours(1)
        )
        $status = New-TestStatus $timed
        $status.EstimatedCompletion | Should -Be $script:Start.AddHours(2)
        $status.CompletedPerHour | Should -Be 1
        $untimed = @(
            New-TestMoveState -Key a -State Success -Created $script:Start
            New-TestMoveState -Key b -State Success -Created $script:Start
        )
        $status = New-TestStatus $untimed
        $status.EstimatedCompletion | Should -Be $script:Generated
        $status.CompletedPerHour | Should -Be (2 / 6)
    }

    It 'has no estimate only while nothing has completed' {
        $status = New-TestStatus @(New-TestMoveState -Key a -State InProgress -Created $script:Start)
        $status.CompletedPerHour | Should -Be 0
        $status.EstimatedCompletion | Should -BeNullOrEmpty
    }
}

Describe 'The fix table' {
    It 'puts the target group''s object id in the fifth column of a group''s identity-map line, as Microsoft''s guide says' {
        $status = New-TestStatus @(New-TestMoveState -Key sales -Kind Group -State Failed -Code MnAIdentityMappingNotFound -Created $script:Start -Completed $script:Start)
        $line = @($status.Failures[0].Fix -split "`n" | Where-Object { $_ -like 'Group,*' })[0]
        $columns = $line -split ','
        $columns.Count | Should -Be 6
        $columns[1] | Should -Be $script:TestCompanyId
        $columns[3] | Should -Be "<object id of group 'sales-new' in the target tenant>"
        $columns[4] | Should -Be $columns[3]
    }

    It 'gives a move the service does not support a fix that does not restart it' {
        $status = New-TestStatus @(New-TestMoveState -Key a -State NotSupported -Created $script:Start -Completed $script:Start)
        $status.Failed | Should -Be 1
        $failure = $status.Failures[0]
        $failure.ErrorCode | Should -Be 'NotSupported'
        $failure.Fix | Should -Match 'starting it again will not help'
        $failure.Fix | Should -Not -Match 'Start-SPOCrossTenant'
    }

    It 'decides every trust code from the one table' {
        & (Get-Module SPOCrossTenant) { $script:SpoMoveFailureFixes.Keys } | Should -Contain 'MnATrust*'
        $status = New-TestStatus @(New-TestMoveState -Key a -State Failed -Code MnATrustNotEstablished -Created $script:Start -Completed $script:Start)
        $status.Failures[0].Fix | Should -Match 'Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target'
    }

    It 'says where to find the source tenant''s id in a move in''s fix when this tenant does not know it' {
        $state = New-TestMoveState -Key a -State Failed -Code MnAIdentityMappingNotFound -Direction MoveIn -Created $script:Start -Completed $script:Start
        $fix = (New-TestStatus @($state)).Failures[0].Fix
        $fix | Should -Match ([regex]::Escape("<the source tenant's ID: (Get-SPOCrossTenantConnection).TenantId, connected to the source tenant>"))
        $fix | Should -Not -Match $script:TestCompanyId -Because 'this tenant (the target) is not the source'
        $known = & (Get-Module SPOCrossTenant) { param($s, $g, $c) (New-SpoMigrationStatus -States $s -Context $c -GeneratedAt $g).Failures[0].Fix } ([System.Collections.Generic.List[object]]@($state)) $script:Generated @{ CompanyId = $script:TestCompanyId; PartnerCompanyId = 'partner-id' }
        $known | Should -Match 'Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId .?partner-id'
    }

    It 'counts a state it does not know as Scheduled, and says so' {
        $output = @(New-TestStatus @(New-TestMoveState -Key a -State Paused -Created $script:Start) 3>&1)
        $status = @($output | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })[0]
        $status.Scheduled | Should -Be 1
        "$($output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })" | Should -Match "1 move\(s\) are in the state 'Paused', which this module does not know: they are counted as Scheduled"
        $path = Join-Path $script:Work 'unknown.html'
        $null = Write-TestStatusReport -States @(New-TestMoveState -Key a -State Paused -Created $script:Start) -Path $path -GeneratedAt $script:Generated 3>$null
        [System.IO.File]::ReadAllText($path) | Should -Match 'States this module does not know \(Paused\) are counted as Scheduled'
    }
}

Describe 'The report''s files' {
    It 'writes a page XML tools can read when a message holds control characters' {
        $path = Join-Path $script:Work 'control.html'
        $states = @(New-TestMoveState -Key a -State Failed -Code MnAMoveFailed -Message "disk`u{1}full`u{0B}now (MnAMoveFailed)" -Created $script:Start -Completed $script:Start)
        $null = Write-TestStatusReport -States $states -Path $path -GeneratedAt $script:Generated
        $document = Read-TestXml $path
        $document.SelectSingleNode("//table[@id='moves']/tbody/tr/td[8]").InnerText | Should -Be "disk$([char]0xFFFD)full$([char]0xFFFD)now (MnAMoveFailed)"
        (Import-Csv -LiteralPath ([System.IO.Path]::ChangeExtension($path, '.csv'))).ErrorMessage | Should -Be "disk`u{1}full`u{0B}now (MnAMoveFailed)" -Because 'the CSV keeps the data as it is'
    }

    It 'groups hundreds of failures by error code: the fix of each code once, its moves folded away' {
        $codes = 'MnAMoveFailed', 'MnAUserNotLicensed', 'MnAIdentityMappingNotFound'
        $states = for ($n = 1; $n -le 300; $n++) { New-TestMoveState -Key "f$n" -State Failed -Code $codes[$n % 3] -Created $script:Start -Completed $script:Start }
        $states += New-TestMoveState -Key few -Kind Site -State Failed -Code MnASourceNotFound -Created $script:Start -Completed $script:Start
        $path = Join-Path $script:Work 'failures.html'
        $null = Write-TestStatusReport -States $states -Path $path -GeneratedAt $script:Generated
        $document = Read-TestXml $path
        $groups = @($document.SelectNodes("//div[@id='failures']/h3").InnerText)
        @($groups[0..2] | Sort-Object) | Should -Be @('MnAIdentityMappingNotFound (100)', 'MnAMoveFailed (100)', 'MnAUserNotLicensed (100)')
        $groups[3] | Should -Be 'MnASourceNotFound (1)' -Because 'the codes with the most failures come first'
        @($document.SelectNodes("//div[@id='failures']/pre")).Count | Should -Be 4 -Because 'one fix per code'
        @($document.SelectNodes("//div[@id='failures']/details/table/tbody/tr")).Count | Should -Be 300 -Because 'the codes with many moves fold them away'
        @($document.SelectNodes("//div[@id='failures']/table/tbody/tr")).Count | Should -Be 1
        @($document.SelectNodes("//table[@id='moves']/tbody/tr")).Count | Should -Be 301
        @(Import-Csv -LiteralPath ([System.IO.Path]::ChangeExtension($path, '.csv')) | Where-Object { $_.Fix -match 'Start-SPOCrossTenant' }).Count | Should -Be 301 -Because 'the CSV has the fix of every move'
    }

    It 'leaves no temporary file behind when a file cannot be written, and still writes the other' {
        $path = Join-Path $script:Work 'blocked.html'
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:Work 'blocked.csv')
        $output = @(Write-TestStatusReport -States @(New-TestMoveState -Key a -State Success -Created $script:Start -Completed $script:Start) -Path $path -GeneratedAt $script:Generated)
        $output[0] | Should -BeLike 'blocked.csv could not be written: *' -Because 'what was not written comes back, naming the file'
        Test-Path -LiteralPath $path | Should -BeTrue
        @(Get-ChildItem -LiteralPath $script:Work -Filter '*.tmp').Count | Should -Be 0
    }
}

Describe 'The report of a wait (Wait-SPOCrossTenantContentMove -ReportPath)' {
    It 'is written after a poll that changed something, not after one that did not, and for more than 1,000 moves at most every 30 s, except at the end' {
        $path = Join-Path $script:Work 'large-wait.html'
        $lines = & (Get-Module SPOCrossTenant) {
            param($Path, $States)
            $items = [System.Collections.Generic.List[hashtable]]::new()
            foreach ($state in $States) { $items.Add(@{ State = $state; Missing = $false }) }
            $report = @{ Cmdlet = $null; Files = @{ Html = $Path; Csv = [System.IO.Path]::ChangeExtension($Path, '.csv') }; Partner = 'https://fabrikam-my.sharepoint.com/'
                Context = @{ CompanyId = 'id' }; Due = $true; Written = $null; Reloading = $false; Clock = [System.Diagnostics.Stopwatch]::new()
                Warned = [System.Collections.Generic.HashSet[string]]::new() }
            $VerbosePreference = 'Continue'
            Update-SpoWaitReport -Report $report -Items $items -Changed $true -Over $false -RefreshSeconds 5 4>&1
            Update-SpoWaitReport -Report $report -Items $items -Changed $false -Over $false -RefreshSeconds 5 4>&1
            Update-SpoWaitReport -Report $report -Items $items -Changed $true -Over $false -RefreshSeconds 5 4>&1
            "reloading: $($report.Reloading)"
            Update-SpoWaitReport -Report $report -Items $items -Changed $false -Over $true -RefreshSeconds 5 4>&1
            "reloading: $($report.Reloading)"
        } $path @(for ($n = 1; $n -le 1001; $n++) { New-TestMoveState -Key "w$n" -State InProgress -Created $script:Start })
        $lines = @($lines | ForEach-Object { "$_" })
        $lines[0] | Should -Match '^Report \S+large-wait\.html written at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC in [\d.]+ s \(1001 moves\)\.$'
        $lines[1] | Should -Match ': nothing it shows changed, not written \(last written at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$'
        $lines[2] | Should -Match ': 1001 moves, written at most every 30 s; next after this gap \(last written at '
        $lines[3] | Should -Be 'reloading: True'
        $lines[4] | Should -Match 'written at .* \(1001 moves\)\.$' -Because 'the end is always written'
        $lines[5] | Should -Be 'reloading: False'
        [System.IO.File]::ReadAllText($path) | Should -Not -Match 'http-equiv="refresh"'
    }
}
