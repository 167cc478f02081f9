# End-to-end tests of issue 20 through the module, the engine and the emulator over real HTTP:
# Get-SPOCrossTenantMigrationStatus over a wave of 300 moves of all three kinds with failures
# injected in every phase (counts against the emulator's own list, per kind and state; each
# failure's error code and fix; following each fix makes the move succeed); the HTML report and
# the CSV beside it; restarting failed moves from the pipeline (state objects and the status's
# failures, exactly once each); blank and null dates; Wait-SPOCrossTenantContentMove -ReportPath
# rewriting the report after every poll. The reports in a real browser: Reports.Browser.Tests.ps1.
#
# The emulator runs with a spread (--move-spread): its moves finish at different times, the same
# keys first on every run; its failures carry the error code of their cause, and a cause (an
# identity-map entry gone, a licence removed, a target that exists) is made real on the tenants.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest -WithPrivateCode
    # States last 150 ms, and each InProgress phase 150 to 600 ms by source key.
    $script:Emulator = Start-TestEmulator -ExtraArgument '--move-step', '150ms', '--move-spread', '3'
    $script:Base = $script:Emulator.BaseUrl
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:Partner = $script:Fabrikam.hostUrl
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-status-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work
    . (Join-Path $PSScriptRoot 'Helpers/MoveFixture.ps1')   # Connect-Tenant, Set-Trust, Add-MapLine, Get-EmulatorMoves, Start-ChildPwsh
    # The bucket of each state, as the issue defines them.
    $script:Bucket = @{ Success = 'Success'; Failed = 'Failed'; InProgress = 'InProgress'; Stopped = 'Stopped'
        NotStarted = 'Scheduled'; Scheduled = 'Scheduled'; ReadyToTrigger = 'Scheduled'; Queued = 'Scheduled'; Rescheduled = 'Scheduled' }
    $script:KindOf = @{ Odb = 'User'; RegSite = 'Site'; Group = 'Group' }

    function Invoke-Control {
        # A call to the emulator's control API, e.g. Invoke-Control Post tenants/contoso/users @('a@contoso.onmicrosoft.com').
        param([string]$Method, [string]$Path, [object]$Body)
        $arguments = @{ Method = $Method; Uri = "$script:Base/_emulator/$Path" }
        if ($null -ne $Body) { $arguments.ContentType = 'application/json'; $arguments.Body = ConvertTo-Json -InputObject $Body -Depth 4 }
        Invoke-RestMethod @arguments
    }

    function Wait-EmulatorSettled {
        # Until every move of the emulator's list is final or held by a later begin date (at most 60 s).
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        do {
            Start-Sleep -Milliseconds 200
            $moving = @(Get-EmulatorMoves | Where-Object { $_.MoveState -in 'NotStarted', 'ReadyToTrigger', 'InProgress' -or ($_.MoveState -eq 'Scheduled' -and -not $_.PreferredMoveBeginDate) })
        } while ($moving.Count -and [datetime]::UtcNow -lt $deadline)
        $moving.Count | Should -Be 0 -Because 'the wave settles within a minute'
    }

    function Get-GroupObjectId {
        param([string]$Alias, [string]$Tenant = 'contoso')
        @((Invoke-Control Get "tenants/$Tenant/content").groups | Where-Object alias -EQ $Alias)[0].objectId
    }

    function New-Wave {
        # $Count moves of each kind, named <prefix>u001.., <prefix>s001.., <prefix>g001..: the content on
        # contoso, the identity map on fabrikam, the moves started from CSVs (PreferredMoveBeginDate
        # blank unless $Later names rows to hold until $Until, by default the day after tomorrow).
        # $Faults: KEY=PHASE[:CAUSE] by short name.
        param([string]$Prefix, [int]$Count, [hashtable]$Faults = @{}, [string[]]$Later = @(), [datetime]$Until = [datetime]::UtcNow.Date.AddDays(2))
        $names = @{ User = @(); Site = @(); Group = @() }
        for ($n = 1; $n -le $Count; $n++) { $names.User += '{0}u{1:d3}' -f $Prefix, $n; $names.Site += '{0}s{1:d3}' -f $Prefix, $n; $names.Group += '{0}g{1:d3}' -f $Prefix, $n }
        $null = Invoke-Control Post tenants/contoso/users @($names.User | ForEach-Object { "$_@contoso.onmicrosoft.com" })
        $null = Invoke-Control Post tenants/contoso/sites @($names.Site)
        $null = Invoke-Control Post tenants/contoso/groups @($names.Group)
        $content = Invoke-Control Get tenants/contoso/content
        $groupIds = @{}; foreach ($group in $content.groups) { $groupIds[$group.alias] = $group.objectId }
        Add-MapLine @(
            $names.User | ForEach-Object { MapLine $_ $_ }
            $names.Group | ForEach-Object { "Group,$($script:Contoso.companyId),$($groupIds[$_]),$([guid]::NewGuid()),$_-new,O365Group" })
        $key = @{}
        foreach ($name in $names.User) { $key[$name] = "$name@contoso.onmicrosoft.com" }
        foreach ($name in $names.Site) { $key[$name] = "$script:Base/contoso/sites/$name" }
        foreach ($name in $names.Group) { $key[$name] = $name }
        if ($Faults.Count) { $null = Invoke-Control Post move-faults @($Faults.Keys | ForEach-Object { "$($key[$_])=$($Faults[$_])" }) }
        $held = $Until.ToString('yyyy-MM-ddTHH:mm:ssZ')
        $begin = { param($Name) if ($Name -in $Later) { $held } else { '' } }
        $csv = @{
            User = $names.User | ForEach-Object { [pscustomobject]@{ SourceUserPrincipalName = $key[$_]; TargetUserPrincipalName = "$_@fabrikam.onmicrosoft.com"; PreferredMoveBeginDate = & $begin $_; PreferredMoveEndDate = '' } }
            Site = $names.Site | ForEach-Object { [pscustomobject]@{ SourceSiteUrl = $key[$_]; TargetSiteUrl = "$script:Base/fabrikam/sites/$_-new"; PreferredMoveBeginDate = & $begin $_; PreferredMoveEndDate = '' } }
            Group = $names.Group | ForEach-Object { [pscustomobject]@{ SourceGroupAlias = $_; TargetGroupAlias = "$_-new"; PreferredMoveBeginDate = & $begin $_; PreferredMoveEndDate = '' } }
        }
        $started = foreach ($kind in 'User', 'Site', 'Group') {
            $path = Join-Path $script:Work "$Prefix$kind.csv"
            $csv[$kind] | Export-Csv -LiteralPath $path -NoTypeInformation
            Import-Csv -LiteralPath $path | & "Start-SPOCrossTenant${kind}ContentMove" -TargetCrossTenantHostUrl $script:Partner -ErrorAction Stop
        }
        @{ Names = $names; Key = $key; Started = @($started) }
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
    Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue
}

Describe 'Get-SPOCrossTenantMigrationStatus over a wave of 300 moves with failures in every phase' {
    BeforeAll {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        # Each cause in more than one kind and phase; wu097..wu099 wait for tomorrow, and wu099 is then stopped.
        $script:Faults = @{
            wu001 = 'Validation:MnAIdentityMappingNotFound'; wu002 = 'Backup:MnAUserNotLicensed'; wu003 = 'Restore:MnATargetSiteConflict'
            wu004 = 'Cleanup'; wu005 = 'Validation'
            ws001 = 'Restore:MnATargetSiteConflict'; ws002 = 'Backup'
            wg001 = 'Backup:MnAIdentityMappingNotFound'; wg002 = 'Cleanup:MnATargetSiteConflict'; wg003 = 'Restore'
        }
        $script:Wave = New-Wave -Prefix w -Count 100 -Faults $script:Faults -Later wu097, wu098, wu099
        $null = Stop-SPOCrossTenantUserContentMove -SourceUserPrincipalName $script:Wave.Key.wu099 -ErrorAction Stop
        Wait-EmulatorSettled
        $script:Report = Join-Path $script:Work 'wave.html'
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Status = Get-SPOCrossTenantMigrationStatus $script:Partner -ReportPath $script:Report -InformationVariable said 6>$null
        $script:StatusSeconds = $clock.Elapsed.TotalSeconds
        $script:Said = $said
        $script:Listed = Get-EmulatorMoves
    }

    It 'writes one SPOCrossTenant.MigrationStatus whose counts are the emulator''s own list, per kind and state' {
        @($script:Status).Count | Should -Be 1
        $script:Status.PSObject.TypeNames[0] | Should -Be 'SPOCrossTenant.MigrationStatus'
        $script:Listed.Count | Should -Be 300
        $script:Status.Total | Should -Be 300
        foreach ($kind in 'User', 'Site', 'Group') {
            $mine = @($script:Listed | Where-Object { $script:KindOf[$_.ContentType] -eq $kind })
            $script:Status.ByKind.$kind.Total | Should -Be $mine.Count
            foreach ($bucket in 'Success', 'Failed', 'InProgress', 'Scheduled', 'Stopped') {
                $script:Status.ByKind.$kind.$bucket | Should -Be @($mine | Where-Object { $script:Bucket[$_.MoveState] -eq $bucket }).Count -Because "$kind $bucket"
            }
        }
        foreach ($bucket in 'Success', 'Failed', 'InProgress', 'Scheduled', 'Stopped') {
            $script:Status.$bucket | Should -Be @($script:Listed | Where-Object { $script:Bucket[$_.MoveState] -eq $bucket }).Count -Because $bucket
        }
        # The injected failures, the two held until tomorrow and the stopped one; everything else succeeded.
        $script:Status.Failed | Should -Be $script:Faults.Count
        $script:Status.Scheduled | Should -Be 2
        $script:Status.Stopped | Should -Be 1
        $script:Status.Success | Should -Be (300 - $script:Faults.Count - 3)
        @($script:Status.Moves.MoveJobId | Sort-Object) | Should -Be @($script:Listed.MoveJobId | ForEach-Object { [guid]$_ } | Sort-Object)
        $script:Status.Moves[0].PSObject.TypeNames[0] | Should -Be 'SPOCrossTenant.ContentMoveState'
        $script:Status.GeneratedAt.Kind | Should -Be 'Utc'
        ($script:Said -join "`n") | Should -Match ([regex]::Escape($script:Report))
    }

    It 'measures the pace from the completed moves'' times, and waits for the moves held until tomorrow' {
        $completions = @($script:Listed | Where-Object MoveState -In 'Success', 'Failed' | ForEach-Object { [datetime]::Parse($_.CompletedTime).ToUniversalTime() })
        # The moves took different times: four phases of 150 ms last 0.6 s without the spread, up to 2.4 s with it.
        $running = @($script:Listed | Where-Object MoveState -EQ 'Success' | ForEach-Object { ([datetime]::Parse($_.CompletedTime) - [datetime]::Parse($_.StartedTime)).TotalSeconds })
        ($running | Measure-Object -Maximum).Maximum | Should -BeGreaterOrEqual 2
        $first = ($script:Listed | ForEach-Object { [datetime]::Parse($_.CreatedTime).ToUniversalTime() } | Measure-Object -Minimum).Minimum
        $hours = ($script:Status.GeneratedAt - $first).TotalHours
        $script:Status.CompletedPerHour | Should -BeGreaterThan (0.98 * $completions.Count / $hours)
        $script:Status.CompletedPerHour | Should -BeLessThan (1.02 * $completions.Count / $hours)
        $held = [datetime]::UtcNow.Date.AddDays(2)
        $script:Status.EstimatedCompletion | Should -BeGreaterOrEqual $held
        $script:Status.EstimatedCompletion.Kind | Should -Be 'Utc'
    }

    It 'gives each failure its error code, the service''s message and correlation id, and the fix from the table' {
        $failures = @($script:Status.Failures)
        $failures.Count | Should -Be $script:Faults.Count
        foreach ($failure in $failures) {
            $failure.PSObject.TypeNames[0] | Should -Be 'SPOCrossTenant.MoveFailure'
            $short = @($script:Wave.Key.Keys | Where-Object { $script:Wave.Key[$_] -eq $failure.SourceContentKey })[0]
            $cause = ($script:Faults[$short] -split ':')[1]
            $code = if ($cause) { $cause } else { 'MnAMoveFailed' }
            $failure.ErrorCode | Should -Be $code -Because $short
            $failure.ErrorMessage | Should -Match "\($code\)$"
            $failure.TraceCorrelationId | Should -Not -BeNullOrEmpty
            $failure.TargetCrossTenantHostUrl | Should -Be $script:Partner
            $start = "Start-SPOCrossTenant$($failure.Kind)ContentMove -$(@{ User = 'SourceUserPrincipalName'; Site = 'SourceSiteUrl'; Group = 'SourceGroupAlias' }[$failure.Kind]) $($failure.SourceContentKey) "
            # The fix ends with the command that starts this one move again; -Force only after the service's own trouble.
            $command = ($failure.Fix -split "`n")[-1]
            $command | Should -BeLike "$start*-TargetCrossTenantHostUrl $script:Partner*"
            ($command -like '* -Force') | Should -Be ($code -eq 'MnAMoveFailed')
            switch ($code) {
                'MnAIdentityMappingNotFound' {
                    # The single entry to add on the target, or the CSV line for a whole-map upload.
                    $failure.Fix | Should -Match 'add this line to the identity map CSV \(it must hold everyone: an upload replaces the whole map\)'
                    $failure.Fix | Should -Match 'Add-SPOTenantIdentityMap -IdentityMapPath'
                    if ($failure.Kind -eq 'User') {
                        $failure.Fix | Should -Match ([regex]::Escape("Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId '$($script:Contoso.companyId)' -SourceUserKey '$($failure.SourceContentKey)' -TargetUserUpn '$($failure.TargetContentKey)'"))
                        $failure.Fix | Should -Match ([regex]::Escape("User,$($script:Contoso.companyId),$($failure.SourceContentKey),$($failure.TargetContentKey),$($failure.TargetContentKey),RegularUser"))
                    } else {
                        $failure.Fix | Should -Match ([regex]::Escape("Add-SPOTenantIdentityMappingGroup -SourceTenantCompanyId '$($script:Contoso.companyId)' -SourceGroupObjectId <object id of group '$($failure.SourceContentKey)' in the source tenant>"))
                        $failure.Fix | Should -Match ([regex]::Escape("Group,$($script:Contoso.companyId),<object id of group '$($failure.SourceContentKey)' in the source tenant>"))
                    }
                }
                'MnAUserNotLicensed' { $failure.Fix | Should -Match ([regex]::Escape("assign $($failure.SourceContentKey) a licence that includes Cross-Tenant User Data Migration")) }
                'MnATargetSiteConflict' {
                    if ($failure.Kind -eq 'Group') { $failure.Fix | Should -Match "the group $($failure.TargetContentKey) or its site \S+ already exists" }
                    else { $failure.Fix | Should -Match 'Remove-SPOSite -Identity \S+, then Remove-SPODeletedSite' }
                    $failure.Fix | Should -Match 'To move into what is there instead, add -Force'
                }
                'MnAMoveFailed' { $failure.Fix | Should -Match 'open a support case with the TraceCorrelationId' }
            }
        }
    }

    It 'shows on one screen the counts per kind and state, then the failures' {
        $text = ($script:Status | Out-String -Width 120) -replace '\e\[[0-9;]*m', ''
        $lines = @($text.Trim() -split '\r?\n')
        $lines.Count | Should -BeLessOrEqual 40
        # What needs attention first: the same order as the status's properties and its report.
        $text | Should -Match 'Kind\s+Total\s+Failed\s+InProgress\s+Scheduled\s+Stopped\s+Success'
        $text | Should -Match "User\s+100\s+5\s+0\s+2\s+1\s+$($script:Status.ByKind.User.Success)"
        $text | Should -Match "All\s+300\s+$($script:Faults.Count)\s+0\s+2\s+1\s+$($script:Status.Success)"
        $text | Should -Match "Failures \($($script:Faults.Count)\)"
        $text | Should -Match 'wu001@contoso.onmicrosoft.com\s+MnAIdentityMappingNotFound'
        ($text.IndexOf('Kind ') -lt $text.IndexOf('Failures (')) | Should -BeTrue
        # The failures list their fixes.
        ($script:Status.Failures[0] | Out-String -Width 200) | Should -Match 'Fix\s+:'
    }

    It 'writes one self-contained HTML file with the counts, both charts, the failures and every move' {
        $settings = [System.Xml.XmlReaderSettings]::new()
        $settings.DtdProcessing = [System.Xml.DtdProcessing]::Ignore
        $reader = [System.Xml.XmlReader]::Create($script:Report, $settings)
        try { $document = [System.Xml.XmlDocument]::new(); $document.Load($reader) } finally { $reader.Dispose() }
        $namespaces = [System.Xml.XmlNamespaceManager]::new($document.NameTable)
        $namespaces.AddNamespace('svg', 'http://www.w3.org/2000/svg')
        $document.DocumentElement.Name | Should -Be 'html'
        @($document.SelectNodes('//*[@src or @href]')).Count | Should -Be 0 -Because 'nothing is loaded from elsewhere'
        @($document.SelectNodes('//*[local-name()="link" or local-name()="img" or local-name()="iframe" or local-name()="object" or local-name()="embed" or local-name()="use" or local-name()="image"]')).Count | Should -Be 0
        $raw = [System.IO.File]::ReadAllText($script:Report)
        $raw | Should -Not -Match 'url\(|@import|https?://(?!www\.w3\.org/2000/svg)[^"<\s]*\.(js|css|woff2?|ttf|png|jpe?g|gif|svg)\b'
        $raw | Should -Not -Match 'http-equiv="refresh"' -Because 'only a report being rewritten by Wait- reloads itself'
        foreach ($bucket in 'Success', 'Failed', 'InProgress', 'Scheduled', 'Stopped') {
            $document.SelectSingleNode("//*[@id='count-$bucket']").InnerText | Should -Be "${bucket}: $($script:Status.$bucket)"
        }
        $states = $document.SelectSingleNode("//svg:svg[@id='states-chart']", $namespaces)
        $states | Should -Not -BeNullOrEmpty
        @($states.SelectNodes('svg:rect', $namespaces)).Count | Should -BeGreaterThan 5
        $completions = $document.SelectSingleNode("//svg:svg[@id='completions-chart']", $namespaces)
        $completions | Should -Not -BeNullOrEmpty
        @($completions.SelectNodes('svg:rect/svg:title', $namespaces)).Count | Should -BeGreaterThan 2
        $moveRows = @($document.SelectNodes("//table[@id='moves']/tbody/tr"))
        $moveRows.Count | Should -Be 300
        @($moveRows | ForEach-Object { $_.ChildNodes[1].InnerText } | Sort-Object) | Should -Be @($script:Listed.SourceContentKey | Sort-Object)
        $moveRows[0].GetAttribute('data-state') | Should -Be 'Failed' -Because 'failures come first'
        # The failures grouped by error code, each code's fix once.
        $failureRows = @($document.SelectNodes("//div[@id='failures']//tbody/tr"))
        $failureRows.Count | Should -Be $script:Faults.Count
        $codes = @($script:Status.Failures.ErrorCode | Sort-Object -Unique)
        @($document.SelectNodes("//div[@id='failures']/h3")).Count | Should -Be $codes.Count
        @($document.SelectNodes("//div[@id='failures']/pre")).Count | Should -Be $codes.Count
        @($document.SelectNodes("//div[@id='failures']/pre") | Where-Object { $_.InnerText -match 'Start-SPOCrossTenant' }).Count | Should -Be $codes.Count
        $document.SelectSingleNode("//select[@id='moves-filter']") | Should -Not -BeNullOrEmpty
    }

    It 'writes beside it a CSV with one row per move and the fix of each failure' {
        $rows = @(Import-Csv -LiteralPath ([System.IO.Path]::ChangeExtension($script:Report, '.csv')))
        $rows.Count | Should -Be 300
        $rows[0].PSObject.Properties.Name | Should -Be @('Kind', 'SourceContentKey', 'TargetContentKey', 'MoveState', 'MovePhase', 'PercentComplete', 'ErrorMessage', 'Fix')
        @($rows.SourceContentKey | Sort-Object -Unique).Count | Should -Be 300
        $byKey = @{}
        foreach ($listed in $script:Listed) { $byKey[$listed.SourceContentKey] = $listed }
        $wrong = foreach ($row in $rows) {
            $listed = $byKey[$row.SourceContentKey]
            $fixed = if ($row.MoveState -eq 'Failed') { $row.Fix -match 'Start-SPOCrossTenant' } else { -not $row.Fix }
            if ($row.MoveState -ne $listed.MoveState -or $row.Kind -ne $script:KindOf[$listed.ContentType] -or -not $fixed) { $row.SourceContentKey }
        }
        @($wrong) | Should -BeNullOrEmpty
    }

    It 'reads the same moves from the target tenant, as moves in' {
        Connect-Tenant $script:Fabrikam
        try {
            $in = Get-SPOCrossTenantMigrationStatus $script:Contoso.hostUrl MoveIn -Verbose 4>&1 | Tee-Object -Variable said | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
            $in.MoveDirection | Should -Be 'MoveIn'
            $in.Total | Should -Be 300
            $in.Failed | Should -Be $script:Status.Failed
            # The identity-map fixes name the source tenant (contoso, the partner here), read from an entry of fabrikam's map, not fabrikam itself.
            $mapped = @($in.Failures | Where-Object ErrorCode -EQ 'MnAIdentityMappingNotFound')
            $mapped.Count | Should -Be 2
            foreach ($failure in $mapped) {
                $failure.Fix | Should -Match "-SourceTenantCompanyId '?$($script:Contoso.companyId)"
                $failure.Fix | Should -Match ",$($script:Contoso.companyId),"
                $failure.Fix | Should -Not -Match $script:Fabrikam.companyId
            }
            ($said -join "`n") | Should -Match "The source tenant's ID, for the identity-map fixes of the moves in: $($script:Contoso.companyId), from this tenant's identity-map entry of "
            @($said | Where-Object { "$_" -match '^Sending GetTenantUserIdentityMappingItem' }).Count | Should -Be 1 -Because 'one entry is read, once'
            @(Get-SPOCrossTenantMigrationStatus $script:Contoso.hostUrl MoveOut).Total | Should -Be 0
        } finally { Connect-Tenant $script:Contoso }
    }

    It 'makes each failed move succeed once its fix is followed, and not before' {
        Invoke-Control Delete move-faults | Out-Null   # the trouble is over; what it left behind is not
        foreach ($failure in $script:Status.Failures) {
            $line = ($failure.Fix -split "`n")[-1]
            if ($failure.ErrorCode -ne 'MnAMoveFailed') {
                # Started again as it stands, the move is refused for the same reason.
                { Invoke-Expression "$line -ErrorAction Stop" } | Should -Throw "*($($failure.ErrorCode))*" -Because $failure.SourceContentKey
            }
            switch ($failure.ErrorCode) {
                'MnAIdentityMappingNotFound' {
                    if ($failure.Kind -eq 'User') {
                        # The CSV line, as it stands, in a whole map uploaded on the target (the rest of the wave's map around it).
                        $csvLine = @($failure.Fix -split "`n" | Where-Object { $_ -like 'User,*' })[0]
                        # (Without the other entries the wave is missing: their fixes are followed their own way.)
                        $missing = @($script:Status.Failures | Where-Object ErrorCode -EQ 'MnAIdentityMappingNotFound' | ForEach-Object SourceContentKey)
                        $map = @(foreach ($name in $script:Wave.Names.User) { if ($script:Wave.Key[$name] -notin $missing) { MapLine $name $name } }) + $csvLine +
                        @(foreach ($group in (Invoke-Control Get tenants/contoso/content).groups) {
                                if ($group.alias -in $script:Wave.Names.Group -and $group.alias -notin $missing) { "Group,$($script:Contoso.companyId),$($group.objectId),$([guid]::NewGuid()),$($group.alias)-new,O365Group" } })
                        $csvLine | Should -Be (MapLine ($failure.SourceContentKey -replace '@.*') ($failure.SourceContentKey -replace '@.*'))
                        Add-MapLine $map
                        break
                    }
                    # The Add-SPOTenantIdentityMapping* command, run on the target (group object ids filled in).
                    $command = @($failure.Fix -split "`n" | Where-Object { $_ -like 'Add-SPOTenantIdentityMapping*' })[0]
                    $command = $command -replace "<object id of group '([^']+)' in the source tenant>", { Get-GroupObjectId $_.Groups[1].Value } -replace '<object id of group [^>]+>', [guid]::NewGuid()
                    Connect-Tenant $script:Fabrikam
                    try { Invoke-Expression "$command -ErrorAction Stop" } finally { Connect-Tenant $script:Contoso }
                }
                # The emulator stands in for Microsoft Graph (the licence) and for Remove-SPOSite / removing the group.
                'MnAUserNotLicensed' { $null = Invoke-Control Post tenants/contoso/users @($failure.SourceContentKey) }
                'MnATargetSiteConflict' {
                    if ($failure.Kind -eq 'Group') { $null = Invoke-Control Delete tenants/fabrikam/groups @($failure.TargetContentKey) }
                    else { $null = Invoke-Control Delete tenants/fabrikam/sites @(@($script:Status.Moves | Where-Object MoveJobId -EQ $failure.MoveJobId)[0].TargetSiteUrl) }
                }
            }
            $restarted = Invoke-Expression "$line -ErrorAction Stop"
            @($restarted).Count | Should -Be 1
            $restarted.MoveState | Should -BeIn 'NotStarted', 'Scheduled'
        }
        Wait-EmulatorSettled
        $after = Get-SPOCrossTenantMigrationStatus $script:Partner
        $after.Failed | Should -Be 0
        $after.Success | Should -Be (300 - 3)
        $after.Total | Should -Be 300 -Because 'a key started again counts once, as its newest move'
        @(Get-EmulatorMoves).Count | Should -Be (300 + $script:Faults.Count)
    }
}

Describe 'Starting failed moves again from the pipeline' {
    BeforeAll {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $script:Faults = @{ pu001 = 'Validation'; pu004 = 'Cleanup'; ps002 = 'Backup'; ps003 = 'Restore'; pg001 = 'Validation'; pg005 = 'Cleanup' }
        $script:Wave = New-Wave -Prefix p -Count 6 -Faults $script:Faults
        Wait-EmulatorSettled
        Invoke-Control Delete move-faults | Out-Null
        $script:Failed = @($script:Faults.Keys | ForEach-Object { $script:Wave.Key[$_] })
    }

    It 'starts exactly the failed moves of each kind, once each, from their state objects' {
        $journal = Join-Path $script:Work 'restart.jsonl'
        $restarted = foreach ($kind in 'User', 'Site', 'Group') {
            $journalOfKind = $journal -replace '\.jsonl$', "-$kind.jsonl"
            & "Get-SPOCrossTenant${kind}ContentMoveState" -PartnerCrossTenantHostUrl $script:Partner -MoveState Failed |
                & "Start-SPOCrossTenant${kind}ContentMove" -Force -JournalPath $journalOfKind -ErrorAction Stop 6>$null
            # The batch's journal recorded each one as started.
            @(Get-JournalRecord $journalOfKind | Where-Object { $_.event -eq 'after' -and $_.outcome -eq 'Started' }).Count |
                Should -Be @($script:Faults.Keys | Where-Object { $_ -like "p$($kind.Substring(0, 1).ToLower())*" }).Count
        }
        @($restarted.SourceContentKey | Sort-Object) | Should -Be @($script:Failed | Sort-Object)
        $perKey = Get-EmulatorMoves | Group-Object SourceContentKey
        @($perKey | Where-Object Count -EQ 2 | ForEach-Object Name | Sort-Object) | Should -Be @($script:Failed | Sort-Object)
        @($perKey | Where-Object Count -GT 2).Count | Should -Be 0
        @($perKey).Count | Should -Be 18
        Wait-EmulatorSettled
        (Get-SPOCrossTenantMigrationStatus $script:Partner).Success | Should -Be 18
    }

    It 'starts the failures of one kind from the status, and stops moves from their state objects' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $wave = New-Wave -Prefix q -Count 4 -Faults @{ qu002 = 'Backup'; qu003 = 'Restore'; qs001 = 'Validation' }
        Wait-EmulatorSettled
        Invoke-Control Delete move-faults | Out-Null
        $status = Get-SPOCrossTenantMigrationStatus $script:Partner
        $users = @($status.Failures | Where-Object Kind -EQ User)
        $restarted = $users | Start-SPOCrossTenantUserContentMove -Force -ErrorAction Stop
        @($restarted.SourceContentKey | Sort-Object) | Should -Be @($wave.Key.qu002, $wave.Key.qu003)
        # A group's state object binds to Stop- by SourceContentKey (its PreferredMoveEndDate is null).
        $later = Start-SPOCrossTenantGroupContentMove qg001 qg001-new $script:Partner -PreferredMoveBeginDate ([datetime]::UtcNow.AddDays(1)) -Force -ErrorAction Stop
        $later.PreferredMoveEndDate | Should -BeNullOrEmpty
        $stopped = $later | Stop-SPOCrossTenantGroupContentMove -ErrorAction Stop
        $stopped.MoveState | Should -Be 'Stopped'
        $stopped.SourceContentKey | Should -Be 'qg001'
    }

    It 'takes a blank or null date as not given, from a CSV cell and from a state object' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine alex dana)
        $csv = Join-Path $script:Work 'blank-dates.csv'
        "SourceUserPrincipalName,TargetUserPrincipalName,PreferredMoveBeginDate,PreferredMoveEndDate`nalex@contoso.onmicrosoft.com,dana@fabrikam.onmicrosoft.com,,  " | Set-Content -LiteralPath $csv
        $started = Import-Csv -LiteralPath $csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorAction Stop -Verbose 4>&1
        $verbose = @($started | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $state = @($started | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })[0]
        $state.MoveState | Should -Be 'NotStarted'
        $state.PreferredMoveBeginDate | Should -BeNullOrEmpty
        ($verbose -join ' ') | Should -Not -Match '0001'
        Wait-EmulatorSettled
        # The state object, its dates null, binds in full: keys by alias, dates as not given.
        $again = [pscustomobject]@{ SourceContentKey = $state.SourceContentKey; TargetContentKey = $state.TargetContentKey; TargetCrossTenantHostUrl = $state.TargetCrossTenantHostUrl
            PreferredMoveBeginDate = $null; PreferredMoveEndDate = $null } | Start-SPOCrossTenantUserContentMove -Force -ErrorAction Stop
        $again.SourceContentKey | Should -Be $state.SourceContentKey
        $again.MoveState | Should -Be 'NotStarted'
        $again.PreferredMoveEndDate | Should -BeNullOrEmpty
    }
}

Describe 'Restarts on a new schedule, and blank dates of every kind' {
    BeforeAll {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine @((MapLine alex dana), (MapLine bianca emil), "Group,$($script:Contoso.companyId),$(Get-GroupObjectId sales),$([guid]::NewGuid()),sales-new,O365Group")
    }

    It 'starts failed moves again whose end date has passed: a piped state object''s old dates are not taken, the command line''s are' {
        $null = Invoke-Control Post move-faults @("$(User alex)=Validation", "$(User bianca)=Validation")
        $end = [datetime]::UtcNow.AddSeconds(2)
        $null = (UserRow alex dana), (UserRow bianca emil) | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -PreferredMoveEndDate $end -ErrorAction Stop
        Wait-EmulatorSettled
        Invoke-Control Delete move-faults | Out-Null
        while ([datetime]::UtcNow -le $end.AddMilliseconds(100)) { Start-Sleep -Milliseconds 100 }
        $failed = @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Partner -MoveState Failed)
        $failed.Count | Should -Be 2
        @($failed | Where-Object { $_.PreferredMoveEndDate -lt [datetime]::UtcNow }).Count | Should -Be 2 -Because 'the old schedule is past'
        # The issue's one-liner.
        $out = @($failed | Where-Object SourceContentKey -EQ (User alex)) | Start-SPOCrossTenantUserContentMove -Force -ErrorAction Stop -Verbose 4>&1
        $restarted = @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $restarted.Count | Should -Be 1
        $restarted[0].MoveState | Should -BeIn 'NotStarted', 'Scheduled'
        $restarted[0].PreferredMoveEndDate | Should -BeNullOrEmpty
        ($out -join "`n") | Should -Match "Row 1 \($([regex]::Escape((User alex)))\): a piped move is started again on a new schedule; its old PreferredMoveEndDate 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d UTC not taken"
        # Dates given on the command line schedule the restart.
        $begin = [datetime]::UtcNow.Date.AddDays(2).AddHours(22)
        $later = @($failed | Where-Object SourceContentKey -EQ (User bianca)) | Start-SPOCrossTenantUserContentMove -Force -PreferredMoveBeginDate $begin -ErrorAction Stop
        $later.PreferredMoveBeginDate | Should -Be $begin
        $later.PreferredMoveEndDate | Should -BeNullOrEmpty
    }

    It 'takes a blank date as not given for <_> moves too, from a CSV cell and from a null property' -ForEach 'Site', 'Group' {
        $row = if ($_ -eq 'Site') { [ordered]@{ SourceSiteUrl = "$script:Base/contoso/sites/projects"; TargetSiteUrl = "$script:Base/fabrikam/sites/projects-new" } }
        else { [ordered]@{ SourceGroupAlias = 'sales'; TargetGroupAlias = 'sales-new' } }
        $csv = Join-Path $script:Work "blank-dates-$_.csv"
        "$(@($row.Keys) -join ','),PreferredMoveBeginDate,PreferredMoveEndDate`n$(@($row.Values) -join ','),,  " | Set-Content -LiteralPath $csv
        $state = Import-Csv -LiteralPath $csv | & "Start-SPOCrossTenant${_}ContentMove" -TargetCrossTenantHostUrl $script:Partner -ErrorAction Stop
        $state.MoveState | Should -Be 'NotStarted'
        $state.PreferredMoveBeginDate | Should -BeNullOrEmpty
        $null = $state | & "Stop-SPOCrossTenant${_}ContentMove" -ErrorAction Stop
        $row.TargetCrossTenantHostUrl = $script:Partner; $row.PreferredMoveBeginDate = $null; $row.PreferredMoveEndDate = $null
        $again = [pscustomobject]$row | & "Start-SPOCrossTenant${_}ContentMove" -Force -ErrorAction Stop
        $again.MoveState | Should -Be 'NotStarted'
        $again.PreferredMoveEndDate | Should -BeNullOrEmpty
    }
}

Describe 'A report that cannot be written' {
    BeforeAll {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine chen chen.new)
        # Where Excel would hold wave.csv, a folder of that name stands in the way (on any OS).
        $script:Locked = Join-Path $script:Work 'locked'
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:Locked 'blocked.csv')
        $script:Blocked = Join-Path $script:Locked 'blocked.html'
    }

    It 'does not keep Wait- from waiting: it warns once and writes again at the next poll' {
        $ErrorActionPreference = 'Continue'
        $started = Start-SPOCrossTenantUserContentMove (User chen) (User chen.new fabrikam) $script:Partner -PreferredMoveBeginDate ([datetime]::UtcNow.AddSeconds(1)) -ErrorAction Stop
        $out = @($started | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 0.2 -ReportPath $script:Blocked 3>&1)
        $warnings = @($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $final = @($out | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
        $final.Count | Should -Be 1
        $final[0].MoveState | Should -Be 'Success'
        $warnings.Count | Should -Be 1 -Because 'the same failure is told once'
        "$($warnings[0])" | Should -Match 'The wave report was not written: blocked\.csv could not be written: .* close it there: the report is written again at the next poll\.'
        # The page beside it was written all along, and once the wait is over it no longer reloads itself.
        [System.IO.File]::ReadAllText($script:Blocked) | Should -Not -Match 'http-equiv="refresh"'
        @(Get-ChildItem -LiteralPath $script:Locked -Filter '*.tmp').Count | Should -Be 0
    }

    It 'Get-SPOCrossTenantMigrationStatus writes the status first, then a ReportWriteFailed error' {
        Remove-Item -LiteralPath $script:Blocked
        $status = Get-SPOCrossTenantMigrationStatus $script:Partner -ReportPath $script:Blocked -ErrorVariable failed -ErrorAction SilentlyContinue 6>$null
        $status.Total | Should -Be 1
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ReportWriteFailed,Get-SPOCrossTenantMigrationStatus'
        $failed[0].Exception.Message | Should -Match '^The status was read, but its report was not written: blocked\.csv could not be written: '
        Test-Path -LiteralPath $script:Blocked | Should -BeTrue
        @(Get-ChildItem -LiteralPath $script:Locked -Filter '*.tmp').Count | Should -Be 0
        # Under -ErrorAction Stop the failure stops the command, as it says.
        { Get-SPOCrossTenantMigrationStatus $script:Partner -ReportPath $script:Blocked -ErrorAction Stop 6>$null } | Should -Throw -ErrorId 'SPOCrossTenant.ReportWriteFailed,Get-SPOCrossTenantMigrationStatus'
    }
}

Describe 'A status before any move completes' {
    It 'has no estimate, and an empty completions chart' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine bianca emil)
        $null = Start-SPOCrossTenantUserContentMove bianca@contoso.onmicrosoft.com emil@fabrikam.onmicrosoft.com $script:Partner -PreferredMoveBeginDate ([datetime]::UtcNow.AddDays(1)) -ErrorAction Stop
        $report = Join-Path $script:Work 'early.html'
        $status = Get-SPOCrossTenantMigrationStatus $script:Partner -ReportPath $report 6>$null
        $status.Scheduled | Should -Be 1
        $status.CompletedPerHour | Should -Be 0
        $status.EstimatedCompletion | Should -BeNullOrEmpty
        @($status.Failures).Count | Should -Be 0
        ($status | Out-String) | Should -Match 'No move has completed yet'
        [System.IO.File]::ReadAllText($report) | Should -Match 'id="completions-chart"[^>]*>.*No move has completed yet'
    }

    It 'refuses a report in a missing folder before asking anything' {
        $null = Invoke-Control Delete stats
        { Get-SPOCrossTenantMigrationStatus $script:Partner -ReportPath /nonexistent/wave.html } | Should -Throw -ErrorId 'SPOCrossTenant.ReportFolderNotFound,Get-SPOCrossTenantMigrationStatus'
        (Get-TestEmulatorStats $script:Emulator).requests | Should -Be 0
    }
}

Describe 'Wait-SPOCrossTenantContentMove -ReportPath' {
    It 'rewrites the report after a poll that changed something, not after one that did not, and stops the reload at the end' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        # Three OneDrive moves, chen's failing in Restore, started by the child itself, to begin four
        # seconds later: the polls before then change nothing, the later ones see them move.
        $pairs = @(('alex', 'dana'), ('bianca', 'emil'), ('chen', 'chen.new'))
        Add-MapLine @($pairs | ForEach-Object { MapLine $_[0] $_[1] })
        $null = Invoke-Control Post move-faults @("$(User chen)=Restore")
        $rows = Join-Path $script:Work 'waited.csv'
        $pairs | ForEach-Object { UserRow $_[0] $_[1] } | Export-Csv -LiteralPath $rows -NoTypeInformation
        $report = Join-Path $script:Work 'waiting.html'
        $said = Join-Path $script:Work 'waiting.verbose.txt'
        $script = Join-Path $script:Work 'wait.ps1'
        @"
Import-Module '$script:ModuleManifest'
Connect-SPOService -Url '$($script:Contoso.adminUrl)' -AccessToken '$($script:Contoso.accessToken)'
`$started = Import-Csv -LiteralPath '$rows' | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl '$script:Partner' -PreferredMoveBeginDate ([datetime]::UtcNow.AddSeconds(4))
`$started | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 0.3 -ReportPath '$report' -Verbose 4> '$said' | Out-Null
"@ | Set-Content -LiteralPath $script
        # Each write is one rename onto the report: count them, and look at the page as a browser would.
        $watcher = [System.IO.FileSystemWatcher]::new($script:Work)
        $watcher.EnableRaisingEvents = $true
        $null = Register-ObjectEvent -InputObject $watcher -EventName Renamed -SourceIdentifier ReportRewritten
        $versions = [ordered]@{}
        try {
            $child = Start-ChildPwsh -Script $script
            try {
                $deadline = [datetime]::UtcNow.AddSeconds(60)
                while (-not $child.HasExited -and [datetime]::UtcNow -lt $deadline) {
                    if (Test-Path -LiteralPath $report) {
                        $page = [System.IO.File]::ReadAllText($report)
                        $generated = [regex]::Match($page, 'name="generated" content="([^"]+)"').Groups[1].Value
                        $versions[$generated] = $page -match 'http-equiv="refresh"'
                    }
                    Start-Sleep -Milliseconds 20
                }
                $child.HasExited | Should -BeTrue -Because 'the wait ends once every move is final'
                $child.ExitCode | Should -Be 0
            } finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }
            # The watcher's events come a moment after the renames: wait until none has come for half a second.
            $renames = -1
            $settle = [datetime]::UtcNow.AddSeconds(10)
            do {
                $seen = $renames
                Start-Sleep -Milliseconds 500
                $renames = @(Get-Event -SourceIdentifier ReportRewritten -ErrorAction SilentlyContinue | Where-Object { $_.SourceEventArgs.Name -eq 'waiting.html' }).Count
            } while ($renames -ne $seen -and [datetime]::UtcNow -lt $settle)
        } finally {
            Unregister-Event -SourceIdentifier ReportRewritten -ErrorAction SilentlyContinue
            Get-Event -SourceIdentifier ReportRewritten -ErrorAction SilentlyContinue | Remove-Event
            $watcher.Dispose()
        }
        # The wait's own account, poll by poll: written, or not written because nothing it shows changed.
        $lines = @(Get-Content -LiteralPath $said)
        $written = @($lines | Where-Object { $_ -match '^Report \S+waiting\.html written at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC in [\d.]+ s \(3 moves\)\.$' }).Count
        $skipped = @($lines | Where-Object { $_ -match '^Report \S+waiting\.html: nothing it shows changed, not written \(last written at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\.$' }).Count
        $written | Should -BeGreaterThan 2
        $skipped | Should -BeGreaterThan 0 -Because 'the polls while the moves wait for their begin date change nothing'
        $renames | Should -Be $written -Because 'each write is one rename, and nothing else writes the page'
        # The page reloaded itself while the wait went on, and stays put once it is over.
        @($versions.Values | Where-Object { $_ }).Count | Should -BeGreaterThan 1
        $final = [System.IO.File]::ReadAllText($report)
        $final | Should -Not -Match 'http-equiv="refresh"'
        $final | Should -Match 'id="count-Failed">Failed: 1<'
        $final | Should -Match 'id="count-Success">Success: 2<'
        @(Import-Csv -LiteralPath ([System.IO.Path]::ChangeExtension($report, '.csv'))).Count | Should -Be 3
    }

    It 'stops the reload when the wait ends in an error (failed polls)' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine alex dana)
        $started = Start-SPOCrossTenantUserContentMove (User alex) (User dana fabrikam) $script:Partner -PreferredMoveBeginDate ([datetime]::UtcNow.AddDays(1)) -ErrorAction Stop
        $report = Join-Path $script:Work 'failing.html'
        Add-TestEmulatorFault $script:Emulator 'not-json'
        try {
            { $started | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 0.1 -ReportPath $report -WarningAction SilentlyContinue } | Should -Throw -ErrorId '*NonJsonResponse*'
        } finally { $null = Invoke-Control Delete faults }
        $page = [System.IO.File]::ReadAllText($report)
        $page | Should -Not -Match 'http-equiv="refresh"'
        $page | Should -Match 'id="count-Scheduled">Scheduled: 1<'
    }

    It 'stops the reload when the wait is stopped (Ctrl+C)' {
        $report = Join-Path $script:Work 'stopped.html'
        $started = @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Partner)
        $started.Count | Should -Be 1
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Tenant, $Moves, $Report)
                    Import-Module $Manifest
                    Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
                    $Moves | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 0.2 -ReportPath $Report
                }).AddArgument($script:ModuleManifest).AddArgument($script:Contoso).AddArgument($started).AddArgument($report)
            $running = $shell.BeginInvoke()
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            while (-not ((Test-Path -LiteralPath $report) -and [System.IO.File]::ReadAllText($report) -match 'http-equiv="refresh"') -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            [System.IO.File]::ReadAllText($report) | Should -Match 'http-equiv="refresh"' -Because 'the page reloads itself while the wait goes on'
            $shell.Stop()   # what Ctrl+C does
            $running.IsCompleted | Should -BeTrue
        } finally { $shell.Dispose() }
        [System.IO.File]::ReadAllText($report) | Should -Not -Match 'http-equiv="refresh"'
    }
}
