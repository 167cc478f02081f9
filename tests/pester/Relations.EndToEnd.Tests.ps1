# End-to-end tests of the relationship commands (Get-SPOCrossTenantHostUrl, Test-/Verify-,
# Remove-, Get-SPOCrossTenantRelationship[ByPartner|ByScenario]) through the module, the native
# library and the emulator (target/debug/spo-emulator) over real HTTP on loopback. The emulator's
# /_emulator/ endpoints count requests, so the tests can check what was (not) sent.
#
# Two emulators: one with no waiting period (--dormant-period 0s) for everything else, and one
# with a short period for the two dormant statuses (the emulator's rules, emulator/README.md:
# Dormant while our side is younger than the period, DormantByPartner while the partner's is).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest
    $script:StatusType = [Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus]
    $script:GuidPattern = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

    function Connect-TestTenant {
        param($Tenant)
        Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
    }

    function Assert-Verification {
        # The object Test-SPOCrossTenantRelationship writes, with the status and arguments expected.
        param($Result, [string]$Status, [string]$Role, [string]$Partner, [string]$Advice)
        @($Result).Count | Should -Be 1
        $Result.PSTypeNames[0..1] | Should -Be 'SPOCrossTenant.StatusValue', 'SPOCrossTenant.RelationshipVerification'
        $Result | Should -BeOfType $script:StatusType
        $Result.Status | Should -BeOfType $script:StatusType
        $Result.Status | Should -Be $Status
        $Result.Scenario | Should -Be 'MnA'
        $Result.PartnerRole | Should -Be $Role
        $Result.PartnerCrossTenantHostUrl | Should -Be $Partner
        $Result.Explanation | Should -Match $Advice
        $Result.Explanation | Should -Not -Match '[\r\n]'
        $Result.TraceCorrelationId | Should -Match $script:GuidPattern
    }
}

Describe 'Relationship commands against the emulator' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        $script:Contoso = $script:Emulator.Tenants.contoso
        $script:Fabrikam = $script:Emulator.Tenants.fabrikam
        # A loopback host URL that names no tenant of the emulator.
        $script:Nobody = "$($script:Emulator.BaseUrl)/nobody-my"
        function Get-MethodCount([string]$Method) { [int](Get-TestEmulatorStats $script:Emulator).byMethod.$Method }
        function Get-ProcessQueryCount { [int](Get-TestEmulatorStats $script:Emulator).processQuery }
    }

    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:Emulator
    }

    BeforeEach {
        Reset-TestEmulator $script:Emulator
        Connect-TestTenant $script:Contoso
    }

    Describe 'Get-SPOCrossTenantHostUrl' {
        It "returns this tenant's host URL as a string, in one request" {
            $url = Get-SPOCrossTenantHostUrl
            $url | Should -BeOfType [string]
            $url | Should -BeExactly $script:Contoso.hostUrl
            Get-MethodCount GetMySiteHostUrl | Should -Be 1
            Get-ProcessQueryCount | Should -Be 1
        }

        It 'answers for the tenant of the latest Connect-SPOService, and says so with -Verbose' {
            Connect-TestTenant $script:Fabrikam
            $verbose = Get-SPOCrossTenantHostUrl -Verbose 4>&1
            $url = $verbose | Where-Object { $_ -is [string] }
            $url | Should -BeExactly $script:Fabrikam.hostUrl
            $text = ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n"
            $text | Should -Match 'GetMySiteHostUrl'
            $text | Should -Match ([regex]::Escape($script:Fabrikam.adminUrl))
            $text | Should -Match 'TraceCorrelationId [0-9a-f]{8}-'
        }

        It 'reports a failed request as a non-terminating error with its id' {
            Add-TestEmulatorFault $script:Emulator 'html'
            $output = Get-SPOCrossTenantHostUrl -ErrorAction SilentlyContinue -ErrorVariable failures
            $output | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServiceError,Get-SPOCrossTenantHostUrl'
        }
    }

    Describe 'Test-SPOCrossTenantRelationship: every status the emulator gives without a waiting period' {
        It 'NotEstablished before this tenant set its side' {
            $result = Test-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl
            Assert-Verification $result NotEstablished Target $script:Fabrikam.hostUrl 'This tenant has not set its side.*Set-SPOCrossTenantRelationship'
            Get-MethodCount VerifySPOTenantOrgRelation | Should -Be 1
        }

        It "NotEstablishedByPartner, naming the opposite role and this tenant's host URL once known" {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            $own = Get-SPOCrossTenantHostUrl
            $result = Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Assert-Verification $result NotEstablishedByPartner Target $script:Fabrikam.hostUrl 'partner has not set its mirror'
            $result.Explanation | Should -Match ([regex]::Escape("-PartnerRole Source -PartnerCrossTenantHostUrl $own"))
        }

        It 'GoodToProceed when both sides agree' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Connect-TestTenant $script:Fabrikam
            Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
            Assert-Verification (Test-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl) GoodToProceed Source $script:Contoso.hostUrl 'migrations may start'
            Connect-TestTenant $script:Contoso
            Assert-Verification (Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl) GoodToProceed Target $script:Fabrikam.hostUrl 'migrations may start'
        }

        It 'CouldNotContactPartner for a host URL that names no tenant' {
            Set-SPOCrossTenantRelationship MnA Target $script:Nobody
            $result = Test-SPOCrossTenantRelationship MnA Target $script:Nobody
            Assert-Verification $result CouldNotContactPartner Target $script:Nobody 'check the URL'
        }

        It 'answers the same under the name Verify-SPOCrossTenantRelationship, with positional arguments' {
            $result = Verify-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Assert-Verification $result NotEstablished Target $script:Fabrikam.hostUrl 'not set its side'
        }

        It 'tells -Verbose what it sends where, and the status and TraceCorrelationId of the answer' {
            $verbose = Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $verbose -join "`n" | Should -Match 'VerifySPOTenantOrgRelation\(Scenario=MnA, PartnerRole=Target'
            $verbose -join "`n" | Should -Match ([regex]::Escape($script:Contoso.adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'))
            $verbose -join "`n" | Should -Match 'answered NotEstablished; TraceCorrelationId [0-9a-f]{8}-'
        }

        It 'reports a server error as a non-terminating error with the TraceCorrelationId' {
            # A tenant naming itself is refused by the server (MnAPartnersOnTheSameFarm).
            $output = Test-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction SilentlyContinue -ErrorVariable failures
            $output | Should -BeNullOrEmpty
            $failures[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServerError,Test-SPOCrossTenantRelationship'
            $failures[0].Exception.CorrelationId | Should -Match $script:GuidPattern
            $failures[0].Exception.Message | Should -Match ([regex]::Escape($failures[0].Exception.CorrelationId))
        }
    }

    Describe 'Listing relationships' {
        BeforeEach {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Set-SPOCrossTenantRelationship MnA Source $script:Nobody
            $script:Before = [datetime]::UtcNow
        }

        It 'Get-SPOCrossTenantRelationship writes every relationship as a typed object' {
            $relations = @(Get-SPOCrossTenantRelationship)
            $relations.Count | Should -Be 2
            foreach ($relation in $relations) {
                $relation.PSTypeNames[0] | Should -Be 'SPOCrossTenant.Relationship'
                $relation.Scenario | Should -BeOfType [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]
                $relation.Scenario | Should -Be 'MnA'
                $relation.PartnerRole | Should -BeOfType [Microsoft.SharePoint.Client.Administration.OrgRelationRole]
                $relation.CreatedTime | Should -BeOfType [datetime]
                $relation.CreatedTime.Kind | Should -Be 'Utc'
                [math]::Abs(($relation.CreatedTime - $script:Before).TotalMinutes) | Should -BeLessThan 2
            }
            "$($relations[0].PartnerRole) $($relations[0].PartnerCrossTenantHostUrl)" | Should -Be "Target $($script:Fabrikam.hostUrl)"
            "$($relations[1].PartnerRole) $($relations[1].PartnerCrossTenantHostUrl.TrimEnd('/'))" | Should -Be "Source $script:Nobody"
            Get-MethodCount GetSPOTenantOrgRelationAll | Should -Be 1
        }

        It 'shows them as a table by default' {
            $text = Get-SPOCrossTenantRelationship | Out-String -Width 250
            $text | Should -Match 'Scenario\s+PartnerRole\s+PartnerCrossTenantHostUrl\s+CreatedTime'
            $text | Should -Match ("MnA\s+Target\s+" + [regex]::Escape($script:Fabrikam.hostUrl))
        }

        It 'Get-SPOCrossTenantRelationshipByPartner writes only the relationships with that partner' {
            $relations = @(Get-SPOCrossTenantRelationshipByPartner -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl)
            $relations.Count | Should -Be 1
            $relations[0].PSTypeNames[0] | Should -Be 'SPOCrossTenant.Relationship'
            $relations[0].PartnerRole | Should -Be 'Target'
            $relations[0].PartnerCrossTenantHostUrl | Should -Be $script:Fabrikam.hostUrl
            Get-MethodCount GetSPOTenantOrgRelationByPartner | Should -Be 1
        }

        It 'Get-SPOCrossTenantRelationshipByScenario writes only the relationships in that role' {
            $targets = @(Get-SPOCrossTenantRelationshipByScenario MnA Target)
            $targets.Count | Should -Be 1
            $targets[0].PartnerCrossTenantHostUrl | Should -Be $script:Fabrikam.hostUrl
            $sources = @(Get-SPOCrossTenantRelationshipByScenario -Scenario MnA -PartnerRole Source)
            $sources.Count | Should -Be 1
            $sources[0].PartnerRole | Should -BeOfType [Microsoft.SharePoint.Client.Administration.OrgRelationRole]
            $sources[0].PartnerCrossTenantHostUrl.TrimEnd('/') | Should -Be $script:Nobody
            Get-MethodCount GetSPOTenantOrgRelationByScenario | Should -Be 2
        }

        It 'writes nothing, and warns of nothing, when there is no relationship' {
            Connect-TestTenant $script:Fabrikam
            $output = Get-SPOCrossTenantRelationship -WarningVariable warnings
            @($output).Count | Should -Be 0
            @($warnings).Count | Should -Be 0
            @(Get-SPOCrossTenantRelationshipByPartner $script:Contoso.hostUrl).Count | Should -Be 0
            @(Get-SPOCrossTenantRelationshipByScenario MnA Source).Count | Should -Be 0
        }

        It 'reports a failed list request as a non-terminating error' {
            Add-TestEmulatorFault $script:Emulator 'not-json'
            $output = Get-SPOCrossTenantRelationship -ErrorAction SilentlyContinue -ErrorVariable failures
            @($output).Count | Should -Be 0
            $failures[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.NonJsonResponse,Get-SPOCrossTenantRelationship'
        }
    }

    Describe 'Piping relationships into Test and Remove' {
        BeforeEach {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Set-SPOCrossTenantRelationship MnA Source $script:Nobody
        }

        It 'Get | Test verifies each relationship with its own arguments' {
            $results = @(Get-SPOCrossTenantRelationship | Test-SPOCrossTenantRelationship)
            $results.Count | Should -Be 2
            Assert-Verification $results[0] NotEstablishedByPartner Target $script:Fabrikam.hostUrl 'partner has not set its mirror'
            Assert-Verification $results[1] CouldNotContactPartner Source "$script:Nobody/" 'check the URL'
            Get-MethodCount VerifySPOTenantOrgRelation | Should -Be 2
        }

        It 'Get | Remove removes each relationship' {
            Get-SPOCrossTenantRelationship | Remove-SPOCrossTenantRelationship
            Get-MethodCount RemoveSPOTenantOrgRelation | Should -Be 2
            @(Get-SPOCrossTenantRelationship).Count | Should -Be 0
        }

        It 'Get-...ByPartner | Remove removes only that partner''s relationship' {
            Get-SPOCrossTenantRelationshipByPartner $script:Fabrikam.hostUrl | Remove-SPOCrossTenantRelationship
            $left = @(Get-SPOCrossTenantRelationship)
            $left.Count | Should -Be 1
            $left[0].PartnerCrossTenantHostUrl.TrimEnd('/') | Should -Be $script:Nobody
        }

        It 'goes on with the next object when one fails, and reports the failure as non-terminating' {
            $items = @(
                [pscustomobject]@{ Scenario = 'MnA'; PartnerRole = 'Source'; PartnerCrossTenantHostUrl = $script:Fabrikam.hostUrl } # not set in this role
                [pscustomobject]@{ Scenario = 'MnA'; PartnerRole = 'Target'; PartnerCrossTenantHostUrl = $script:Fabrikam.hostUrl }
            )
            $items | Remove-SPOCrossTenantRelationship -ErrorAction SilentlyContinue -ErrorVariable failures
            @($failures).Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServerError,Remove-SPOCrossTenantRelationship'
            Get-MethodCount RemoveSPOTenantOrgRelation | Should -Be 2
            @(Get-SPOCrossTenantRelationshipByPartner $script:Fabrikam.hostUrl).Count | Should -Be 0
        }
    }

    Describe 'Remove-SPOCrossTenantRelationship' {
        It 'removes a relationship, writes nothing and does not prompt by default' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            $output = Remove-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl
            @($output).Count | Should -Be 0
            Get-MethodCount RemoveSPOTenantOrgRelation | Should -Be 1
            (Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl).Status | Should -Be 'NotEstablished'
        }

        It 'sends nothing with -WhatIf, nor when $WhatIfPreference is set, nor when piped with -WhatIf' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            $null = Invoke-RestMethod -Method Delete -Uri "$($script:Emulator.BaseUrl)/_emulator/stats"
            Remove-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -WhatIf
            & { $WhatIfPreference = $true; Remove-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl }
            Get-ProcessQueryCount | Should -Be 0
            Get-SPOCrossTenantRelationship | Remove-SPOCrossTenantRelationship -WhatIf
            Get-ProcessQueryCount | Should -Be 1 -Because 'only the Get request was sent'
            Get-MethodCount RemoveSPOTenantOrgRelation | Should -Be 0
            @(Get-SPOCrossTenantRelationship).Count | Should -Be 1
        }

        It 'reports removing a relationship that does not exist as a non-terminating error with the TraceCorrelationId' {
            $reached = $false
            Remove-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction SilentlyContinue -ErrorVariable failures
            $succeeded = $?
            $reached = $true
            $reached | Should -BeTrue
            $succeeded | Should -BeFalse
            @($failures).Count | Should -Be 1
            $record = $failures[0]
            $record.FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServerError,Remove-SPOCrossTenantRelationship'
            $record.Exception.GetType().FullName | Should -Be 'SPOCrossTenant.ServerException'
            $record.Exception.CorrelationId | Should -Match $script:GuidPattern
            $record.Exception.Message | Should -Match ([regex]::Escape($record.Exception.CorrelationId))
            $record.Exception.ServerMessage | Should -Match 'MnATrustNoSetupForPartner'
            $record.TargetObject | Should -Be $script:Fabrikam.hostUrl
            $record.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($record.Exception.CorrelationId))
            Get-MethodCount RemoveSPOTenantOrgRelation | Should -Be 1
        }

        It 'stops at that error with -ErrorAction Stop, catchable by exception type' {
            $caught = $null
            try { Remove-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop }
            catch [SPOCrossTenant.ServerException] { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
        }
    }

    Describe 'Tab completion from the connection''s relationships' {
        BeforeEach {
            InModuleScope SPOCrossTenant { $script:SpoKnownPartners.Clear(); $script:SpoCompletionQueried.Clear() }
        }

        It 'asks the server once per connection for the partners of relationships set earlier' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            $null = Invoke-RestMethod -Method Delete -Uri "$($script:Emulator.BaseUrl)/_emulator/stats"
            $line = 'Test-SPOCrossTenantRelationship MnA Target '
            $first = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            @($first.ListItemText) | Should -Be @($script:Fabrikam.hostUrl)
            $null = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            Get-MethodCount GetSPOTenantOrgRelationAll | Should -Be 1
        }

        It 'offers the partner URLs seen in Test calls and Get results, without asking again' {
            $line = 'Remove-SPOCrossTenantRelationship MnA Target '
            $null = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $null = Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Set-SPOCrossTenantRelationship MnA Source $script:Nobody
            $null = Get-SPOCrossTenantRelationshipByScenario MnA Source
            $offered = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText)
            $offered | Should -Contain $script:Fabrikam.hostUrl
            $offered | Should -Contain "$script:Nobody/"
            Get-MethodCount GetSPOTenantOrgRelationAll | Should -Be 1 -Because 'the first completion asked, the second did not'
        }

        It 'keeps the partners of each tenant apart' {
            $null = Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Connect-TestTenant $script:Fabrikam
            $line = 'Test-SPOCrossTenantRelationship MnA Source '
            @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText) | Should -Not -Contain $script:Fabrikam.hostUrl
        }
    }

    Describe 'The whole two-tenant workflow through the module' {
        It 'exchanges host URLs, sets both sides, verifies GoodToProceed, lists, removes and verifies again' {
            # 1-2. Each admin reads their own host URL.
            $contosoHost = Get-SPOCrossTenantHostUrl
            Connect-TestTenant $script:Fabrikam
            $fabrikamHost = Get-SPOCrossTenantHostUrl
            # 3. Source (contoso) names the target; target (fabrikam) names the source.
            Connect-TestTenant $script:Contoso
            Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $fabrikamHost
            (Verify-SPOCrossTenantRelationship MnA Target $fabrikamHost).Status | Should -Be 'NotEstablishedByPartner'
            Connect-TestTenant $script:Fabrikam
            Set-SPOCrossTenantRelationship MnA Source $contosoHost
            # 4. Both verify.
            (Verify-SPOCrossTenantRelationship MnA Source $contosoHost).Status | Should -Be 'GoodToProceed'
            Connect-TestTenant $script:Contoso
            (Test-SPOCrossTenantRelationship MnA Target $fabrikamHost).Status | Should -Be 'GoodToProceed'
            # Each side lists its own relationship.
            $mine = @(Get-SPOCrossTenantRelationship)
            "$($mine.PartnerRole) $($mine.PartnerCrossTenantHostUrl)" | Should -Be "Target $fabrikamHost"
            Connect-TestTenant $script:Fabrikam
            $theirs = @(Get-SPOCrossTenantRelationship)
            "$($theirs.PartnerRole) $($theirs.PartnerCrossTenantHostUrl)" | Should -Be "Source $contosoHost"
            # 5. Both remove; then neither side is established.
            $theirs | Remove-SPOCrossTenantRelationship
            (Test-SPOCrossTenantRelationship MnA Source $contosoHost).Status | Should -Be 'NotEstablished'
            Connect-TestTenant $script:Contoso
            (Test-SPOCrossTenantRelationship MnA Target $fabrikamHost).Status | Should -Be 'NotEstablishedByPartner'
            Remove-SPOCrossTenantRelationship MnA Target $fabrikamHost
            (Test-SPOCrossTenantRelationship MnA Target $fabrikamHost).Status | Should -Be 'NotEstablished'
            @(Get-SPOCrossTenantRelationship).Count | Should -Be 0
            $stats = Get-TestEmulatorStats $script:Emulator
            $stats.byMethod.NewSPOTenantOrgRelation | Should -Be 2
            $stats.byMethod.RemoveSPOTenantOrgRelation | Should -Be 2
        }
    }
}

Describe 'Test-SPOCrossTenantRelationship during the waiting period' {
    BeforeAll {
        # Long enough that both verifications below happen inside the partner's period, short
        # enough to wait out once.
        $script:Period = [timespan]::FromSeconds(3)
        $script:DormantEmulator = Start-TestEmulator -DormantPeriod '3s'
        $script:Contoso = $script:DormantEmulator.Tenants.contoso
        $script:Fabrikam = $script:DormantEmulator.Tenants.fabrikam
    }

    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:DormantEmulator
    }

    It 'is Dormant while this side is young, and DormantByPartner while only the partner side is' {
        # contoso sets its side now; fabrikam sets the mirror once contoso's period is over.
        Connect-TestTenant $script:Contoso
        Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
        $contosoSet = [System.Diagnostics.Stopwatch]::StartNew()
        Connect-TestTenant $script:Fabrikam
        Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
        Assert-Verification (Test-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl) Dormant Source $script:Contoso.hostUrl "This tenant's side .*wait"
        Connect-TestTenant $script:Contoso
        Assert-Verification (Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl) Dormant Target $script:Fabrikam.hostUrl "This tenant's side .*wait"

        # fabrikam replaces its side (another role, then back), which starts its period again,
        # after contoso's period is over.
        $wait = $script:Period - $contosoSet.Elapsed + [timespan]::FromMilliseconds(300)
        if ($wait -gt [timespan]::Zero) { Start-Sleep -Milliseconds ([int]$wait.TotalMilliseconds) }
        Connect-TestTenant $script:Fabrikam
        Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl
        Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
        $fabrikamSet = [System.Diagnostics.Stopwatch]::StartNew()
        Assert-Verification (Test-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl) Dormant Source $script:Contoso.hostUrl "This tenant's side .*wait"
        Connect-TestTenant $script:Contoso
        $result = Test-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
        $fabrikamSet.Elapsed | Should -BeLessThan $script:Period -Because 'the check must happen inside the partner''s waiting period'
        Assert-Verification $result DormantByPartner Target $script:Fabrikam.hostUrl 'partner created its side .*wait'
    }
}
