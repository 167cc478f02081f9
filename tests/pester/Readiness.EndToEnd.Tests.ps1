# End-to-end tests of issue 14 through the module, the engine and the emulator over real HTTP:
# Test-SPOCrossTenantMigrationReadiness producing each kind of finding from the emulator's own
# state, with its Fix, and the Fix applied turning it into Pass; the HTML and CSV report; a batch
# killed half-way in a child pwsh and resumed (zero duplicate starts, zero lost rows); the
# journal's in-flight rule; Wait-SPOCrossTenantContentMove to final states and to a timeout.
#
# The emulator's default content (emulator/README.md): users alex, bianca, chen (licensed, with a
# OneDrive), dana, emil (licensed, no OneDrive), farah (not licensed); sites marketing, finance and
# projects (finance has files whose URLs are 390, 395 and 400 characters long); groups sales, hr.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/MoveFixture.ps1')   # Connect-Tenant, Set-Trust, Add-MapLine, User, UserRow, MapLine, Get-EmulatorMoves, Add-EmulatorUsers
    Import-ModuleUnderTest -WithPrivateCode
    # Each state lasts 100 ms: a move goes from NotStarted to Success in under a second.
    $script:Emulator = Start-TestEmulator -ExtraArgument '--move-step', '100ms'
    $script:Base = $script:Emulator.BaseUrl
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:Partner = $script:Fabrikam.hostUrl
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-readiness-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work

    function Test-Readiness {
        # The findings, with the summary (information stream) dropped.
        param([object[]]$Row, [hashtable]$Extra = @{})
        if ($Row) { $Row | Test-SPOCrossTenantMigrationReadiness $script:Partner @Extra 6>$null }
        else { Test-SPOCrossTenantMigrationReadiness $script:Partner @Extra 6>$null }
    }

    function Get-Finding { param([object[]]$Finding, [string]$Check, [object]$Row) @($Finding | Where-Object { $_.Check -eq $Check -and ($null -eq $Row -or $_.Row -eq $Row) }) }

    function AddUserCommand {
        # The Add- command a finding gives for mapping $Source (contoso) to $Target (fabrikam).
        param([string]$Source, [string]$Target)
        "Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId '$($script:Contoso.companyId)' -SourceUserKey '$(User $Source)' -TargetUserUpn '$(User $Target fabrikam)' -TargetUserEmail '$(User $Target fabrikam)' -UserType 'RegularUser'"
    }

    function Invoke-FixOnTarget {
        # Runs a Fix that starts 'On the target tenant, run ...' on the target, then connects back to the source.
        param([string]$Fix)
        Connect-Tenant $script:Fabrikam
        try { Invoke-FixCommand $Fix } finally { Connect-Tenant $script:Contoso }
    }

    function Invoke-FixCommand {
        # Runs the command a Fix names after 'run ' (e.g. a Set-SPOCrossTenantRelationship line).
        param([string]$Fix)
        $command = ($Fix -replace '^.*?\brun\s+', '').TrimEnd('.')
        Invoke-Expression $command
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
    Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue
}

Describe 'Test-SPOCrossTenantMigrationReadiness: tenant findings' {
    BeforeEach { Reset-TestEmulator $script:Emulator; Connect-Tenant $script:Contoso }

    It 'finds trust missing on each side, names the tenant and command of each fix, and passes once both are applied' {
        $targetSide = @{ TargetAdminUrl = $script:Fabrikam.adminUrl; TargetAccessToken = $script:Fabrikam.accessToken }
        $findings = Test-Readiness -Extra $targetSide
        $source = Get-Finding $findings SourceTrust
        $source.Result | Should -Be 'Fail'
        $source.Reason | Should -Match 'NotEstablished'
        $source.Fix | Should -BeLike "On the source tenant, run Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $script:Partner*"
        (Get-Finding $findings TargetTrust).Result | Should -Be 'Fail'
        (Get-Finding $findings TargetConnection).Result | Should -Be 'Pass'
        (Get-Finding $findings TargetHostUrl).Result | Should -Be 'Pass'
        (Get-Finding $findings Compatibility).Result | Should -Be 'Fail'
        # The session's connection was not touched by the target-side checks.
        (Get-SPOCrossTenantConnection).AdminUrl | Should -Be $script:Contoso.adminUrl

        Invoke-FixCommand $source.Fix   # on the source tenant
        $findings = Test-Readiness -Extra $targetSide
        $source = Get-Finding $findings SourceTrust
        $source.Reason | Should -Match 'NotEstablishedByPartner'
        $source.Fix | Should -BeLike "On the target tenant, run Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $($script:Contoso.hostUrl)*"
        $target = Get-Finding $findings TargetTrust
        $target.Fix | Should -Be $source.Fix
        Connect-Tenant $script:Fabrikam
        Invoke-FixCommand $source.Fix   # on the target tenant
        Connect-Tenant $script:Contoso

        $findings = Test-Readiness -Extra $targetSide
        foreach ($check in 'SourceTrust', 'TargetTrust', 'Compatibility', 'TargetConnection', 'TargetHostUrl') {
            (Get-Finding $findings $check).Result | Should -Be 'Pass' -Because "$check is fixed"
        }
        @($findings | Where-Object Result -NE 'Pass').Count | Should -Be 0
    }

    It 'finds a compatibility <Forced> as <Result>, and passes once it is cleared' -ForEach @(
        @{ Forced = 'Incompatible'; Result = 'Fail' }
        @{ Forced = 'Warning'; Result = 'Warning' }
    ) {
        Set-Trust
        $null = Invoke-RestMethod -Method Post -Uri "$script:Base/_emulator/compatibility" -ContentType 'application/json' -Body (ConvertTo-Json "contoso=$Forced")
        $finding = Get-Finding (Test-Readiness) Compatibility
        $finding.Result | Should -Be $Result
        $finding.Fix | Should -Match ([regex]::Escape("Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $script:Partner"))
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/compatibility"
        (Get-Finding (Test-Readiness) Compatibility).Result | Should -Be 'Pass'
    }

    It 'stops, sending nothing, when the partner URL itself is refused' {
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/stats"
        { Test-SPOCrossTenantMigrationReadiness 'fabrikam-my.sharepoint.com/sites/x' -ErrorAction Stop 6>$null } | Should -Throw -ErrorId '*,Test-SPOCrossTenantMigrationReadiness'
        try { Test-SPOCrossTenantMigrationReadiness 'fabrikam-my.sharepoint.com/sites/x' -ErrorAction Stop 6>$null } catch { $_.Exception | Should -BeOfType [System.ArgumentException]; $_.Exception.ParamName | Should -Be 'PartnerCrossTenantHostUrl' }
        (Get-TestEmulatorStats $script:Emulator).requests | Should -Be 0
    }

    It 'finds a partner URL that is not the target tenant''s, and a target token that does not sign in' {
        Set-Trust
        # The "target" admin site given is contoso's own: its host URL is not the partner's.
        $findings = Test-Readiness -Extra @{ TargetAdminUrl = $script:Contoso.adminUrl; TargetAccessToken = $script:Contoso.accessToken }
        $hostUrl = Get-Finding $findings TargetHostUrl
        $hostUrl.Result | Should -Be 'Fail'
        $hostUrl.Fix | Should -Match ([regex]::Escape($script:Contoso.hostUrl))

        $findings = Test-Readiness -Extra @{ TargetAdminUrl = $script:Fabrikam.adminUrl; TargetAccessToken = $script:Contoso.accessToken }
        $connection = Get-Finding $findings TargetConnection
        $connection.Result | Should -Be 'Fail'
        $connection.Fix | Should -Match 'TargetAccessToken'
        @(Get-Finding $findings TargetTrust).Count | Should -Be 0
        (Get-SPOCrossTenantConnection).AdminUrl | Should -Be $script:Contoso.adminUrl
        ($findings | ConvertTo-Json -Depth 3) | Should -Not -Match ([regex]::Escape($script:Contoso.accessToken.Substring(0, 40)))
    }
}

Describe 'Test-SPOCrossTenantMigrationReadiness: row findings' {
    BeforeEach { Reset-TestEmulator $script:Emulator; Set-Trust }

    It 'finds a user missing from the identity map, gives the Add- command, and passes once it is run' {
        $finding = Get-Finding (Test-Readiness (UserRow alex dana)) IdentityMap 1
        $finding.Result | Should -Be 'Fail'
        $finding.Fix | Should -Be "On the target tenant, run $(AddUserCommand alex dana)"
        Invoke-FixOnTarget $finding.Fix
        $validation = Get-Finding (Test-Readiness (UserRow alex dana)) Validation 1
        $validation.Result | Should -Be 'Pass'
        $validation.TraceCorrelationId | Should -Not -BeNullOrEmpty
        @(Get-EmulatorMoves).Count | Should -Be 0 -Because 'validation keeps nothing'
    }

    It 'finds an unlicensed user, and passes once the user is licensed' {
        Add-MapLine (MapLine farah emil)
        $finding = Get-Finding (Test-Readiness (UserRow farah emil)) Licence 1
        $finding.Result | Should -Be 'Fail'
        $finding.Fix | Should -Match ([regex]::Escape((User farah)))
        Add-EmulatorUsers (User farah)   # replaced: licensed, with a OneDrive
        (Get-Finding (Test-Readiness (UserRow farah emil)) Validation 1).Result | Should -Be 'Pass'
    }

    It 'finds a target that already exists, and the -Force start of its Fix passes validation' {
        Add-MapLine (MapLine bianca alex)
        $finding = Get-Finding (Test-Readiness (UserRow bianca alex)) TargetConflict 1
        $finding.Result | Should -Be 'Fail'
        $finding.Fix | Should -Match 'TargetUserPrincipalName of row 1'
        $command = [regex]::Match($finding.Fix, 'Start-SPOCrossTenantUserContentMove .* -Force$').Value
        $command | Should -Not -BeNullOrEmpty
        $state = Invoke-Expression "$command -ValidationOnly -ErrorAction Stop"
        $state.ValidationOnly | Should -BeTrue
        Add-MapLine (MapLine bianca emil)
        (Get-Finding (Test-Readiness (UserRow bianca emil)) Validation 1).Result | Should -Be 'Pass'
    }

    It 'finds a source that does not exist, and a move already under way' {
        Add-MapLine (MapLine alex dana)
        $null = Start-SPOCrossTenantUserContentMove (User alex) (User dana fabrikam) $script:Partner -PreferredMoveBeginDate ([datetime]::UtcNow.AddHours(1)) -ErrorAction Stop
        $Error.Clear()
        $findings = @((UserRow nobody emil), (UserRow alex dana)) | Test-SPOCrossTenantMigrationReadiness $script:Partner -ErrorVariable refusals 6>$null
        $null -ne $refusals | Should -BeTrue
        $refusals.Count | Should -Be 0 -Because 'a refused row is a finding, not an error'
        $Error.Count | Should -Be 0
        $source = Get-Finding $findings Source 1
        $source.Result | Should -Be 'Fail'
        $source.Fix | Should -Match 'SourceUserPrincipalName of row 1'
        $existing = Get-Finding $findings ExistingMove 2
        $existing.Result | Should -Be 'Warning'
        $existing.Fix | Should -Match 'Get-SPOCrossTenantUserContentMoveState'
    }

    It 'finds malformed rows (<Case>) without sending them' -ForEach @(
        @{ Case = 'no target'; Row = [pscustomobject]@{ SourceUserPrincipalName = 'alex@contoso.onmicrosoft.com'; TargetUserPrincipalName = '' }; Fix = 'Fill the TargetUserPrincipalName column of row 1' }
        @{ Case = 'nothing to move'; Row = [pscustomobject]@{ Name = 'x' }; Fix = 'Fill one pair of columns in row 1' }
        @{ Case = 'mixed kinds'; Row = [pscustomobject]@{ SourceUserPrincipalName = 'alex@contoso.onmicrosoft.com'; TargetUserPrincipalName = 'dana@fabrikam.onmicrosoft.com'; SourceGroupAlias = 'sales'; TargetGroupAlias = 'x' }; Fix = 'Split row 1' }
        @{ Case = 'a UPN without @'; Row = [pscustomobject]@{ SourceUserPrincipalName = 'alex'; TargetUserPrincipalName = 'dana@fabrikam.onmicrosoft.com' }; Fix = 'SourceUserPrincipalName column of row 1' }
        @{ Case = 'another partner'; Row = [pscustomobject]@{ SourceUserPrincipalName = 'alex@contoso.onmicrosoft.com'; TargetUserPrincipalName = 'dana@fabrikam.onmicrosoft.com'; TargetCrossTenantHostUrl = 'https://northwind-my.sharepoint.com/' }; Fix = 'Set TargetCrossTenantHostUrl of row 1' }
    ) {
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/stats"
        $finding = Get-Finding (Test-Readiness $Row) Row 1
        $finding.Result | Should -Be 'Fail'
        $finding.Fix | Should -Match ([regex]::Escape($Fix))
        (Get-TestEmulatorStats $script:Emulator).byMethod.StartSPOCrossTenantContentMove | Should -BeNullOrEmpty
    }

    It 'finds a repeated source, and more than 4,000 rows of one kind, before anything is sent' {
        Connect-Tenant $script:Fabrikam
        Remove-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl   # no trust: nothing is validated, so this stays fast
        Connect-Tenant $script:Contoso
        $rows = foreach ($index in 1..4001) { UserRow alex dana }
        $findings = Test-Readiness $rows
        $batch = Get-Finding $findings BatchSize
        $batch.Result | Should -Be 'Fail'
        $batch.Reason | Should -Match '4001'
        $batch.Fix | Should -Match 'Export-Csv'
        $repeated = @($findings.Where({ $_.Check -eq 'Row' -and $_.Reason.Contains('same OneDrive account as row 1') }))
        $repeated.Count | Should -Be 4000
        $repeated[0].Fix | Should -Be 'Delete row 2 (or row 1) from the CSV.'
        (Get-Finding $findings Validation).Result | Should -Be 'Warning'
    }

    It 'gives the same findings in row order one at a time and eight at a time, retrying a throttled request' {
        Add-MapLine (MapLine alex dana), (MapLine bianca emil)
        $rows = @((UserRow alex dana), (UserRow farah emil), [pscustomobject]@{ SourceSiteUrl = "$script:Base/contoso/sites/finance"; TargetSiteUrl = "$script:Base/fabrikam/sites/finance-archive" },
            (UserRow bianca emil), (UserRow nobody dana), [pscustomobject]@{ SourceGroupAlias = 'sales'; TargetGroupAlias = 'sales' })
        $one = Test-Readiness $rows -Extra @{ ThrottleLimit = 1 }
        Add-TestEmulatorFault $script:Emulator '429:retry-after=1:count=1'
        $eight = Test-Readiness $rows -Extra @{ ThrottleLimit = 8 }
        (Get-TestEmulatorStats $script:Emulator).faultsInjected.'429' | Should -Be 1
        ($eight | ForEach-Object { "$($_.Check)|$($_.Row)|$($_.Result)" }) | Should -Be ($one | ForEach-Object { "$($_.Check)|$($_.Row)|$($_.Result)" })
        @($eight | Where-Object Row | ForEach-Object Row) | Should -Be @(1..6 | ForEach-Object { $_ } | ForEach-Object { if ($_ -eq 3) { 3, 3 } else { $_ } })
    }

    It 'finds site paths too long under the new URL, and passes with a shorter one' {
        $row = [pscustomobject]@{ SourceSiteUrl = "$script:Base/contoso/sites/finance"; TargetSiteUrl = "$script:Base/fabrikam/sites/finance-archive" }
        $findings = Test-Readiness $row
        $long = Get-Finding $findings LongPaths 1
        $long.Result | Should -Be 'Fail'
        $long.Fix | Should -Match 'at least 9 character\(s\) shorter'
        (Get-Finding $findings Validation 1).Result | Should -Be 'Pass'
        $row.TargetSiteUrl = "$script:Base/fabrikam/sites/fin"
        (Get-Finding (Test-Readiness $row) LongPaths 1).Result | Should -Be 'Pass'
    }

    It 'finds a group conflict and a group missing from the identity map, and passes once mapped' {
        $rows = @([pscustomobject]@{ SourceGroupAlias = 'sales'; TargetGroupAlias = 'sales' }, [pscustomobject]@{ SourceGroupAlias = 'hr'; TargetGroupAlias = 'hr-contoso' })
        $group = @($script:Contoso.groups | Where-Object alias -EQ 'sales')[0]
        Add-MapLine "Group,$($script:Contoso.companyId),$($group.objectId),$([guid]::NewGuid()),sales,O365Group"
        $findings = Test-Readiness $rows
        (Get-Finding $findings TargetConflict 1).Result | Should -Be 'Fail'
        $map = Get-Finding $findings IdentityMap 2
        $map.Result | Should -Be 'Fail'
        $map.Fix | Should -Match ([regex]::Escape("run Add-SPOTenantIdentityMappingGroup -SourceTenantCompanyId '$($script:Contoso.companyId)' -SourceGroupObjectId <object id of group 'hr' in the source tenant>"))
        $hr = @($script:Contoso.groups | Where-Object alias -EQ 'hr')[0]
        # The uploaded sales entry stays: the group is added on its own, not by a new upload.
        Invoke-FixOnTarget ($map.Fix -replace "<object id of group 'hr' in the source tenant>", $hr.objectId -replace '<object id of group [^>]+>', [guid]::NewGuid())
        (Get-Finding (Test-Readiness $rows[1]) Validation 1).Result | Should -Be 'Pass'
        (Get-Finding (Test-Readiness $rows[0]) TargetConflict 1).Result | Should -Be 'Fail'
    }

    It 'reads the target''s map with the target connection: a missing entry, then a mismatched one, each with the Add- command that fixes it' {
        $targetSide = @{ TargetAdminUrl = $script:Fabrikam.adminUrl; TargetAccessToken = $script:Fabrikam.accessToken }
        $findings = @(Test-Readiness (UserRow alex dana) -Extra $targetSide)
        $map = @(Get-Finding $findings IdentityMap 1)
        $map.Count | Should -Be 1 -Because 'the validation-only start does not repeat what the map read found'
        $map[0].Result | Should -Be 'Fail'
        $map[0].Reason | Should -Match 'has no entry for alex@contoso'
        $map[0].Fix | Should -Be "On the target tenant, run $(AddUserCommand alex dana)"

        Add-MapLine (MapLine alex emil)
        $map = @(Get-Finding (Test-Readiness (UserRow alex dana) -Extra $targetSide) IdentityMap 1)
        $map.Count | Should -Be 1
        $map[0].Result | Should -Be 'Fail'
        $map[0].Reason | Should -Match ([regex]::Escape("maps $(User alex) to $(User emil fabrikam), not to $(User dana fabrikam)"))
        $map[0].TraceCorrelationId | Should -Not -BeNullOrEmpty
        Invoke-FixOnTarget $map[0].Fix

        $findings = @(Test-Readiness (UserRow alex dana) -Extra $targetSide)
        (Get-Finding $findings IdentityMap 1).Result | Should -Be 'Pass'
        (Get-Finding $findings Validation 1).Result | Should -Be 'Pass'
    }

    It 'reads the map on the target while it validates on the source, with findings in row order' {
        $targetSide = @{ TargetAdminUrl = $script:Fabrikam.adminUrl; TargetAccessToken = $script:Fabrikam.accessToken }
        Add-MapLine (MapLine alex dana), (MapLine chen dana)
        $rows = @((UserRow alex dana), (UserRow bianca emil), (UserRow chen emil), [pscustomobject]@{ SourceGroupAlias = 'sales'; TargetGroupAlias = 'sales-new' })
        $before = (Get-TestEmulatorStats $script:Emulator).byMethod.GetTenantUserIdentityMappingItem
        $one = @(Test-Readiness $rows -Extra ($targetSide + @{ ThrottleLimit = 1 }) | Where-Object Row)
        $four = @(Test-Readiness $rows -Extra ($targetSide + @{ ThrottleLimit = 4 }) | Where-Object Row)
        ($four | ForEach-Object { "$($_.Row)|$($_.Check)|$($_.Result)" }) | Should -Be @(
            '1|IdentityMap|Pass', '1|Validation|Pass', '2|IdentityMap|Fail', '3|IdentityMap|Fail', '4|IdentityMap|Fail')
        ($one | ForEach-Object { "$($_.Row)|$($_.Check)|$($_.Result)" }) | Should -Be ($four | ForEach-Object { "$($_.Row)|$($_.Check)|$($_.Result)" })
        (Get-TestEmulatorStats $script:Emulator).byMethod.GetTenantUserIdentityMappingItem - $before | Should -Be 6 -Because 'three user rows, read in each run'
    }

    It 'gives a Fix that runs as written for a UPN with an apostrophe' {
        $targetSide = @{ TargetAdminUrl = $script:Fabrikam.adminUrl; TargetAccessToken = $script:Fabrikam.accessToken }
        $row = [pscustomobject]@{ SourceUserPrincipalName = "o'brien@contoso.onmicrosoft.com"; TargetUserPrincipalName = "o'brien@fabrikam.onmicrosoft.com" }
        $map = @(Get-Finding (Test-Readiness $row -Extra $targetSide) IdentityMap 1)
        $map[0].Result | Should -Be 'Fail'
        $map[0].Fix | Should -BeLike "*-SourceUserKey 'o''brien@contoso.onmicrosoft.com' -TargetUserUpn 'o''brien@fabrikam.onmicrosoft.com' *"
        Invoke-FixOnTarget $map[0].Fix
        (Get-Finding (Test-Readiness $row -Extra $targetSide) IdentityMap 1).Result | Should -Be 'Pass'
    }
}

Describe 'Test-SPOCrossTenantMigrationReadiness: CSV, report and summary' {
    BeforeAll { Reset-TestEmulator $script:Emulator; Set-Trust }

    It 'reads -Path, writes a standalone HTML report with the counts and a CSV beside it, and a summary on the host only' {
        $csv = Join-Path $script:Work 'moves.csv'
        @(
            [pscustomobject]@{ SourceUserPrincipalName = (User alex); TargetUserPrincipalName = (User dana fabrikam); SourceSiteUrl = ''; TargetSiteUrl = '' }
            [pscustomobject]@{ SourceUserPrincipalName = ''; TargetUserPrincipalName = ''; SourceSiteUrl = "$script:Base/contoso/sites/marketing"; TargetSiteUrl = "$script:Base/fabrikam/sites/marketing-contoso" }
            [pscustomobject]@{ SourceUserPrincipalName = (User chen); TargetUserPrincipalName = ''; SourceSiteUrl = ''; TargetSiteUrl = '' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $report = Join-Path $script:Work 'readiness.html'
        $findings = Test-SPOCrossTenantMigrationReadiness $script:Partner -Path $csv -ReportPath $report -InformationVariable summary 6>$null
        @($findings | Where-Object { $_ -isnot [psobject] -or $_.PSObject.TypeNames[0] -ne 'SPOCrossTenant.ReadinessFinding' }).Count | Should -Be 0 -Because 'the summary is not in the pipeline'
        ($summary -join "`n") | Should -Match 'NOT READY'
        ($summary -join "`n") | Should -Match ([regex]::Escape($report))
        $counts = @{ Pass = @($findings | Where-Object Result -EQ 'Pass').Count; Warning = @($findings | Where-Object Result -EQ 'Warning').Count; Fail = @($findings | Where-Object Result -EQ 'Fail').Count }
        $counts.Fail | Should -BeGreaterThan 0

        $settings = [System.Xml.XmlReaderSettings]::new()
        $settings.DtdProcessing = [System.Xml.DtdProcessing]::Ignore
        $reader = [System.Xml.XmlReader]::Create($report, $settings)
        try { $document = [System.Xml.XmlDocument]::new(); $document.Load($reader) } finally { $reader.Dispose() }
        $document.DocumentElement.Name | Should -Be 'html'
        @($document.SelectNodes('//*[@src or @href]')).Count | Should -Be 0 -Because 'nothing is loaded from elsewhere'
        @($document.SelectNodes('//link | //img | //iframe')).Count | Should -Be 0
        $document.SelectSingleNode('//style').InnerText | Should -Not -Match 'url\(|@import'
        $document.SelectSingleNode('//script').InnerText | Should -Match 'addEventListener'
        foreach ($result in 'Pass', 'Warning', 'Fail') {
            $document.SelectSingleNode("//span[@id='count-$result']").InnerText | Should -Be "${result}: $($counts[$result])"
        }
        @($document.SelectNodes('//tbody/tr')).Count | Should -Be @($findings).Count
        $beside = Join-Path $script:Work 'readiness.csv'
        $exported = @(Import-Csv -LiteralPath $beside)
        $exported.Count | Should -Be @($findings).Count
        ($exported | Where-Object Result -EQ 'Fail' | Where-Object Check -EQ 'Row').Fix | Should -Be 'Fill the TargetUserPrincipalName column of row 3.'
    }

    It 'never shows the target token, whatever the streams and preferences' {
        $token = $script:Fabrikam.accessToken
        $all = UserRow alex dana | Test-SPOCrossTenantMigrationReadiness $script:Partner -TargetAdminUrl $script:Fabrikam.adminUrl -TargetAccessToken $token -Verbose -Debug *>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($token.Substring(0, 40)))
        $bad = UserRow alex dana | Test-SPOCrossTenantMigrationReadiness $script:Partner -TargetAdminUrl $script:Fabrikam.adminUrl -TargetAccessToken ($token + 'x') -Verbose *>&1 | Out-String
        $bad | Should -Not -Match ([regex]::Escape($token.Substring(0, 40)))
    }

    It 'compares, sorts and prints Result by name' {
        $findings = Test-Readiness (UserRow alex dana)
        $fail = @($findings | Where-Object { $_.Result -eq 'Fail' })[0]
        "$($fail.Result)" | Should -Be 'Fail'
        $table = ($fail | Format-Table | Out-String -Width 400) -replace '\e\[[0-9;]*m', ''
        $table | Should -Match 'Check\s+Target\s+Result\s+Reason'
        @($findings | Sort-Object Result | Select-Object -ExpandProperty Result -Unique) | Should -Be @('Fail', 'Pass')
    }
}

Describe 'A journaled batch killed half-way, then resumed' {
    BeforeAll {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $script:Count = 30
        $names = 1..$script:Count | ForEach-Object { 'mover{0:d2}' -f $_ }
        Add-EmulatorUsers @($names | ForEach-Object { User $_ })
        Add-MapLine @($names | ForEach-Object { MapLine $_ "$_-new" })
        $script:BatchCsv = Join-Path $script:Work 'batch.csv'
        $names | ForEach-Object { UserRow $_ "$_-new" } | Export-Csv -LiteralPath $script:BatchCsv -NoTypeInformation
    }

    It 'starts every row exactly once' {
        $journal = Join-Path $script:Work 'batch.jsonl'
        # Each request takes 150 ms more: the batch takes about five seconds.
        Add-TestEmulatorFault $script:Emulator 'latency:ms=150'
        $script = Join-Path $script:Work 'batch.ps1'
        @"
Import-Module '$script:ModuleManifest'
Connect-SPOService -Url '$($script:Contoso.adminUrl)' -AccessToken '$($script:Contoso.accessToken)'
Import-Csv -LiteralPath '$script:BatchCsv' | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl '$script:Partner' -JournalPath '$journal' | Out-Null
"@ | Set-Content -LiteralPath $script
        $child = Start-ChildPwsh $script
        try {
            # Kill it once a few rows are recorded as started (mid-batch).
            $deadline = [datetime]::UtcNow.AddSeconds(30)
            do {
                Start-Sleep -Milliseconds 50
                $started = if (Test-Path -LiteralPath $journal) { @(Get-Content -LiteralPath $journal | Where-Object { $_ -match '"event":"after"' }).Count } else { 0 }
            } while ($started -lt 8 -and -not $child.HasExited -and [datetime]::UtcNow -lt $deadline)
            $child.HasExited | Should -BeFalse -Because 'the batch must still be running when it is killed'
            $child.Kill()
            $child.WaitForExit()
        } finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }
        $before = @(Get-EmulatorMoves).Count
        $before | Should -BeGreaterOrEqual 8
        $before | Should -BeLessThan $script:Count

        $resumed = Import-Csv -LiteralPath $script:BatchCsv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorAction Stop -InformationVariable said 6>$null
        Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/faults" | Out-Null
        # Requests in flight at the kill (up to the default -ThrottleLimit of 16) may still land
        # after $before was read: then fewer are started now.
        @($resumed).Count | Should -BeLessOrEqual ($script:Count - $before) -Because 'only the rows not yet started are started'
        @($resumed).Count | Should -BeGreaterOrEqual ($script:Count - $before - 16)
        ($said -join ' ') | Should -Match 'skipped'

        $moves = Get-EmulatorMoves
        $perKey = $moves | Group-Object SourceContentKey
        @($perKey | Where-Object Count -GT 1).Count | Should -Be 0 -Because 'no move is started twice'
        @($perKey).Count | Should -Be $script:Count -Because 'no row is lost'
    }

    It 'looks up a row whose request was in flight: started on the service means skipped, never sent means started' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine alex dana), (MapLine bianca emil)
        $sent = Start-SPOCrossTenantUserContentMove (User alex) (User dana fabrikam) $script:Partner -ErrorAction Stop
        $journal = Join-Path $script:Work 'inflight.jsonl'
        $time = [datetime]::UtcNow.AddSeconds(-1).ToString('yyyy-MM-ddTHH:mm:ss.fffZ')
        @(
            '{"v":1,"event":"run","time":"' + $time + '","contentType":"Odb","rows":2,"resume":false}'
            '{"v":1,"event":"before","time":"' + $time + '","row":1,"contentType":"Odb","source":"' + (User alex) + '","target":"' + (User dana fabrikam) + '","partner":"' + $script:Partner + '"}'
            '{"v":1,"event":"before","time":"' + $time + '","row":2,"contentType":"Odb","source":"' + (User bianca) + '","target":"' + (User emil fabrikam) + '","partner":"' + $script:Partner + '"}'
        ) -join "`n" | Set-Content -LiteralPath $journal -NoNewline
        Add-Content -LiteralPath $journal -Value "`n{`"v`":1,`"event`":`"af" -NoNewline   # a torn last line
        $rows = @((UserRow alex dana), (UserRow bianca emil))
        $output = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorAction Stop 6>$null
        @($output).SourceContentKey | Should -Be @((User bianca))
        $records = Get-Content -LiteralPath $journal | Where-Object { $_ -match '^\{.*\}$' } | ForEach-Object { $_ | ConvertFrom-Json }
        ($records | Where-Object { $_.event -eq 'after' -and $_.source -eq (User alex) }).outcome | Should -Be 'Found'
        ($records | Where-Object { $_.event -eq 'after' -and $_.source -eq (User alex) }).moveJobId | Should -Be ([string]$sent.MoveJobId)
        ($records | Where-Object { $_.event -eq 'after' -and $_.source -eq (User bianca) }).outcome | Should -Be 'Started'
        @(Get-EmulatorMoves | Group-Object SourceContentKey | Where-Object Count -GT 1).Count | Should -Be 0
    }

    It 'records as Found, without an error, an in-flight request that lands only after the look-up' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine alex dana)
        $null = Start-SPOCrossTenantUserContentMove (User alex) (User dana fabrikam) $script:Partner -ErrorAction Stop   # the request that "lands late"
        $journal = Join-Path $script:Work 'late.jsonl'
        '{"v":1,"event":"before","time":"' + [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ') + '","row":1,"contentType":"Odb","source":"' + (User alex) + '","target":"' + (User dana fabrikam) + '","partner":"' + $script:Partner + '"}' |
            Set-Content -LiteralPath $journal
        # The look-up ran before the request landed: it saw nothing.
        & (Get-Module SPOCrossTenant) { $script:SavedLookup = ${function:Find-SpoJournaledMove}; ${function:script:Find-SpoJournaledMove} = { @{ State = $null } } }
        try {
            $output = UserRow alex dana | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorVariable failed -ErrorAction Stop 6>$null
        } finally { & (Get-Module SPOCrossTenant) { ${function:script:Find-SpoJournaledMove} = $script:SavedLookup } }
        @($output).Count | Should -Be 0
        $failed.Count | Should -Be 0
        (Get-Content -LiteralPath $journal | Select-Object -Last 1 | ConvertFrom-Json).outcome | Should -Be 'Found'
        @(Get-EmulatorMoves).Count | Should -Be 1
    }

    It 'does not start a row whose in-flight request cannot be looked up (JournalLookupFailed)' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Add-MapLine (MapLine alex dana)
        $journal = Join-Path $script:Work 'lookup.jsonl'
        '{"v":1,"event":"before","time":"' + [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ') + '","row":1,"contentType":"Odb","source":"' + (User alex) + '","target":"' + (User dana fabrikam) + '","partner":"' + $script:Partner + '"}' |
            Set-Content -LiteralPath $journal
        Add-TestEmulatorFault $script:Emulator 'not-json:count=1'
        $output = UserRow alex dana | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorVariable failed -ErrorAction SilentlyContinue 6>$null
        @($output).Count | Should -Be 0
        $failed[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.JournalLookupFailed,Start-SPOCrossTenantUserContentMove'
        @(Get-EmulatorMoves).Count | Should -Be 0
    }

    It 'writes no journal and starts nothing with -WhatIf' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $journal = Join-Path $script:Work 'whatif.jsonl'
        UserRow alex dana | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -WhatIf 6>$null
        Test-Path -LiteralPath $journal | Should -BeFalse
        @(Get-EmulatorMoves).Count | Should -Be 0
    }

    It 'records a refused row as NotStarted and starts it on -Resume once it is fixed' {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $journal = Join-Path $script:Work 'refused.jsonl'
        $null = UserRow chen emil | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -ErrorAction SilentlyContinue -ErrorVariable refused 6>$null
        $refused.Count | Should -Be 1
        (Get-Content -LiteralPath $journal | Select-Object -Last 1 | ConvertFrom-Json).outcome | Should -Be 'NotStarted'
        Add-MapLine (MapLine chen emil)
        $output = UserRow chen emil | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorAction Stop 6>$null
        $output.MoveState | Should -Be 'NotStarted'
        (Get-Content -LiteralPath $journal | Select-Object -Last 1 | ConvertFrom-Json).outcome | Should -Be 'Started'
    }
}

Describe 'Wait-SPOCrossTenantContentMove' {
    BeforeEach { Reset-TestEmulator $script:Emulator; Set-Trust }

    It 'waits for Success, Failed and Stopped and writes the final states, ready for Export-Csv' {
        Add-MapLine (MapLine alex dana), (MapLine bianca emil), (MapLine chen chen-new)
        $null = Invoke-RestMethod -Method Post -Uri "$script:Base/_emulator/move-faults" -ContentType 'application/json' -Body (ConvertTo-Json "$(User chen)=Backup")
        $states = @((UserRow alex dana), (UserRow bianca emil), (UserRow chen chen-new)) | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorAction Stop
        $null = Stop-SPOCrossTenantUserContentMove (User bianca) -ErrorAction Stop
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $final = @($states | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 0.1 -ErrorAction Stop)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
        $final.SourceContentKey | Should -Be @((User alex), (User bianca), (User chen))
        $final.MoveState | Should -Be @('Success', 'Stopped', 'Failed')
        $final[2].ErrorMessage | Should -Not -BeNullOrEmpty
        $csv = Join-Path $script:Work 'final.csv'
        $final | Export-Csv -LiteralPath $csv -NoTypeInformation
        (Import-Csv -LiteralPath $csv).MoveState | Should -Be @('Success', 'Stopped', 'Failed')
    }

    It 'takes keys and CSV rows, and says which key has no move' {
        Add-MapLine (MapLine alex dana)
        $null = Start-SPOCrossTenantUserContentMove (User alex) (User dana fabrikam) $script:Partner -ErrorAction Stop
        $final = @((User alex), (UserRow alex dana), (User nobody)) | Wait-SPOCrossTenantContentMove -PartnerCrossTenantHostUrl $script:Partner -PollIntervalSeconds 0.1 -ErrorVariable missing -ErrorAction SilentlyContinue
        @($final).MoveState | Should -Be @('Success', 'Success')
        $missing.Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.MoveNotFound,Wait-SPOCrossTenantContentMove'
    }

    It 'stops at -Timeout with one error per unfinished move, and writes the latest states' {
        Add-MapLine (MapLine alex dana), (MapLine bianca emil)
        $later = [datetime]::UtcNow.AddHours(1)
        $states = @((UserRow alex dana), (UserRow bianca emil)) | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -PreferredMoveBeginDate $later -ErrorAction Stop
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        $latest = @($states | Wait-SPOCrossTenantContentMove -Timeout 1 -PollIntervalSeconds 0.2 -ErrorVariable late -ErrorAction SilentlyContinue)
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 3
        $late.Count | Should -Be 2
        $late[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.MoveWaitTimeout,Wait-SPOCrossTenantContentMove'
        $late[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $latest.MoveState | Should -Be @('Scheduled', 'Scheduled')
    }
}

Describe 'Test-SPOCrossTenantMigrationReadiness: a trust in its waiting period' {
    BeforeAll {
        # An emulator of its own whose relations stay dormant for an hour.
        $script:Dormant = Start-TestEmulator -DormantPeriod 1h
    }
    AfterAll { Stop-TestEmulator $script:Dormant }

    It 'finds Dormant as a Warning on both sides, says to wait, and validates no row' {
        $contoso = $script:Dormant.Tenants.contoso; $fabrikam = $script:Dormant.Tenants.fabrikam
        Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
        Set-SPOCrossTenantRelationship MnA Source $contoso.hostUrl
        Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
        Set-SPOCrossTenantRelationship MnA Target $fabrikam.hostUrl
        $findings = [pscustomobject]@{ SourceUserPrincipalName = 'alex@contoso.onmicrosoft.com'; TargetUserPrincipalName = 'dana@fabrikam.onmicrosoft.com' } |
            Test-SPOCrossTenantMigrationReadiness $fabrikam.hostUrl -TargetAdminUrl $fabrikam.adminUrl -TargetAccessToken $fabrikam.accessToken 6>$null
        foreach ($check in 'SourceTrust', 'TargetTrust') {
            $finding = @($findings | Where-Object Check -EQ $check)[0]
            $finding.Result | Should -Be 'Warning'
            $finding.Reason | Should -Match 'Dormant'
            $finding.Fix | Should -Match '^Wait, then run Verify-SPOCrossTenantRelationship'
        }
        @($findings | Where-Object Check -EQ 'Validation')[0].Result | Should -Be 'Warning'
    }
}
