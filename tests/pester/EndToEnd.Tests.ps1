# End-to-end tests: the module, the native library and the emulator (target/debug/spo-emulator)
# together, over real HTTP on loopback. The emulator's /_emulator/ endpoints count requests and
# inject faults, so the tests can check what was (not) sent and how failures surface.

Describe 'SPOCrossTenant against the emulator' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
        . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
        Import-ModuleUnderTest
        $script:Emulator = Start-TestEmulator
        $script:Contoso = $script:Emulator.Tenants.contoso
        $script:Fabrikam = $script:Emulator.Tenants.fabrikam
        $script:SetId = ',Set-SPOCrossTenantRelationship'

        function Connect-TestTenant {
            param($Tenant = $script:Contoso, [string]$Token = $Tenant.accessToken, [int]$TimeoutSeconds)
            $options = @{}
            if ($TimeoutSeconds) { $options.TimeoutSeconds = $TimeoutSeconds }
            Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Token @options
        }

        function Get-ProcessQueryCount { (Get-TestEmulatorStats $script:Emulator).processQuery }
    }

    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:Emulator
    }

    BeforeEach {
        Reset-TestEmulator $script:Emulator
        Connect-TestTenant
    }

    Describe 'A successful trust request' {
        It 'succeeds with positional arguments and writes nothing' {
            $output = Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            $output | Should -BeNullOrEmpty
            @($output).Count | Should -Be 0
            (Get-TestEmulatorStats $script:Emulator).byMethod.NewSPOTenantOrgRelation | Should -Be 1
        }

        It 'succeeds with named arguments and writes nothing' {
            $output = Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl
            @($output).Count | Should -Be 0
            $? | Should -BeTrue
            (Get-TestEmulatorStats $script:Emulator).byMethod.NewSPOTenantOrgRelation | Should -Be 1
        }

        It 'accepts enum values given as enum objects and lower-case names' {
            Set-SPOCrossTenantRelationship ([Microsoft.SharePoint.Client.Administration.OrgRelationScenario]::MnA) 'target' $script:Fabrikam.hostUrl
            Get-ProcessQueryCount | Should -Be 1
        }

        It 'sends to the tenant of the latest Connect-SPOService' {
            Connect-TestTenant -Tenant $script:Fabrikam
            Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
            $stats = Get-TestEmulatorStats $script:Emulator
            $stats.byTenant.fabrikam | Should -Be 1
            $stats.byTenant.PSObject.Properties.Name | Should -Not -Contain 'contoso'
        }

        It 'works with a SecureString token' {
            $secure = [System.Security.SecureString]::new()
            foreach ($char in $script:Contoso.accessToken.ToCharArray()) { $secure.AppendChar($char) }
            Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $secure
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop
            (Get-TestEmulatorStats $script:Emulator).byStatus.'200' | Should -Be 1
        }

        It 'tells -Verbose what it sends where, and the TraceCorrelationId of the answer' {
            $verbose = Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -Verbose 4>&1 | ForEach-Object Message
            $verbose -join "`n" | Should -Match 'NewSPOTenantOrgRelation'
            $verbose -join "`n" | Should -Match ([regex]::Escape($script:Contoso.adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'))
            $verbose -join "`n" | Should -Match 'TraceCorrelationId [0-9a-f]{8}-[0-9a-f]{4}-'
        }
    }

    Describe '-WhatIf and -Confirm' {
        It 'sends nothing with -WhatIf' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -WhatIf
            Get-ProcessQueryCount | Should -Be 0
        }

        It 'sends nothing when $WhatIfPreference is set' {
            & { $WhatIfPreference = $true; Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl }
            Get-ProcessQueryCount | Should -Be 0
        }

        It 'sends with -Confirm:$false' {
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -Confirm:$false
            Get-ProcessQueryCount | Should -Be 1
        }
    }

    Describe "The caller's preference variables" {
        It 'stops at a server error when the calling scope set $ErrorActionPreference = Stop' {
            { & { $ErrorActionPreference = 'Stop'; Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl; 'not reached' } } |
                Should -Throw -ErrorId "SPOCrossTenant.ServerError$script:SetId"
        }

        It 'lets -ErrorAction win over the calling scope' {
            $result = & { $ErrorActionPreference = 'Stop'; Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction SilentlyContinue; 'reached' }
            $result | Should -Be 'reached'
        }

        It 'writes verbose output when the calling scope set $VerbosePreference' {
            $verbose = & { $VerbosePreference = 'Continue'; Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl } 4>&1
            @($verbose).Count | Should -BeGreaterThan 0
        }
    }

    Describe 'Invalid arguments' {
        It 'refuses <Case> with SPOCrossTenant.<Id> before sending anything' -ForEach @(
            @{ Case = 'scenario None'; Scenario = 'None'; Role = 'Target'; Url = 'https://fabrikam-my.sharepoint.com'; Id = 'ScenarioNone'; Target = 'None' }
            @{ Case = 'role None'; Scenario = 'MnA'; Role = 'None'; Url = 'https://fabrikam-my.sharepoint.com'; Id = 'PartnerRoleNone'; Target = 'None' }
            @{ Case = 'a relative URL'; Scenario = 'MnA'; Role = 'Target'; Url = 'fabrikam-my'; Id = 'PartnerUrlNotAbsolute' }
            @{ Case = 'an ftp URL'; Scenario = 'MnA'; Role = 'Target'; Url = 'ftp://fabrikam-my.sharepoint.com'; Id = 'PartnerUrlNotHttps' }
            @{ Case = 'plain http to a real host'; Scenario = 'MnA'; Role = 'Target'; Url = 'http://fabrikam-my.sharepoint.com'; Id = 'PartnerUrlNotHttps' }
            @{ Case = 'a user name in the URL'; Scenario = 'MnA'; Role = 'Target'; Url = 'https://admin@fabrikam-my.sharepoint.com'; Id = 'PartnerUrlHasUserInfo' }
            @{ Case = 'a site path'; Scenario = 'MnA'; Role = 'Target'; Url = 'https://fabrikam-my.sharepoint.com/personal/adele'; Id = 'PartnerUrlHasPath' }
            @{ Case = 'a query string'; Scenario = 'MnA'; Role = 'Target'; Url = 'https://fabrikam-my.sharepoint.com/?a=b'; Id = 'PartnerUrlHasQueryOrFragment' }
            @{ Case = 'the admin site'; Scenario = 'MnA'; Role = 'Target'; Url = 'https://fabrikam-admin.sharepoint.com'; Id = 'PartnerUrlIsAdminUrl' }
            @{ Case = 'the root site host'; Scenario = 'MnA'; Role = 'Target'; Url = 'https://fabrikam.sharepoint.com'; Id = 'PartnerUrlNotCrossTenantHost' }
            @{ Case = 'an embedded NUL'; Scenario = 'MnA'; Role = 'Target'; Url = "https://fabrikam-my.sharepoint.com`0.evil"; Id = 'TextHasNul' }
        ) {
            $thrown = { Set-SPOCrossTenantRelationship $Scenario $Role $Url } | Should -Throw -ErrorId "SPOCrossTenant.$Id$script:SetId" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.Exception | Should -BeOfType [System.ArgumentException]
            $expectedTarget = if ($Target) { $Target } else { $Url }
            "$($thrown.TargetObject)" | Should -BeExactly $expectedTarget
            Get-ProcessQueryCount | Should -Be 0
        }

        It 'stops a script even with -ErrorAction SilentlyContinue (terminating)' {
            { Set-SPOCrossTenantRelationship None Target https://fabrikam-my.sharepoint.com -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.ScenarioNone$script:SetId"
        }
    }

    Describe 'Server errors' {
        It 'surfaces the message, ErrorCode and TraceCorrelationId of an ErrorInfo answer' {
            # A tenant cannot name itself as its partner: the emulator answers with an ErrorInfo.
            $thrown = { Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction Stop } |
                Should -Throw -ErrorId "SPOCrossTenant.ServerError$script:SetId" -PassThru
            $exception = $thrown.Exception
            $exception.GetType().FullName | Should -Be 'SPOCrossTenant.ServerException'
            $exception.CorrelationId | Should -Match '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            $exception.Message | Should -Match ([regex]::Escape($exception.CorrelationId))
            $exception.Message | Should -Match ([regex]::Escape($exception.ServerErrorCode))
            $exception.ServerErrorCode | Should -Match '^-?\d+$'
            $exception.ServerErrorTypeName | Should -Not -BeNullOrEmpty
            $exception.ServerMessage | Should -Not -BeNullOrEmpty
            $thrown.TargetObject | Should -Be $script:Contoso.hostUrl
            $thrown.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($exception.CorrelationId))
        }

        It 'is non-terminating: the script goes on and $? is false' {
            $reached = $false
            Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction SilentlyContinue
            $succeeded = $?
            $reached = $true
            $reached | Should -BeTrue
            $succeeded | Should -BeFalse
        }

        It 'fills -ErrorVariable with exactly one record and stays quiet with SilentlyContinue' {
            $output = Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction SilentlyContinue -ErrorVariable failures 2>&1
            @($output).Count | Should -Be 0
            @($failures).Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "SPOCrossTenant.ServerError$script:SetId"
        }

        It 'can be caught by exception type with -ErrorAction Stop' {
            $caught = $null
            try { Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction Stop }
            catch [SPOCrossTenant.ServerException] { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
        }

        It 'reports removing a relation that does not exist... via the same path (sanity: two requests counted)' {
            Set-SPOCrossTenantRelationship MnA Target $script:Contoso.hostUrl -ErrorAction SilentlyContinue
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
            Get-ProcessQueryCount | Should -Be 2
        }
    }

    Describe 'HTTP and transport failures' {
        It 'says to run Connect-SPOService again when the token is refused (401)' {
            Connect-TestTenant -Token 'eyJ.wrong.token'
            $thrown = { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } |
                Should -Throw -ErrorId "SPOCrossTenant.Unauthorized$script:SetId" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $thrown.Exception.HttpStatus | Should -Be 401
            "$($thrown.Exception.Message) $($thrown.ErrorDetails.RecommendedAction)" | Should -Match 'Connect-SPOService'
        }

        It 'maps fault <Fault> to SPOCrossTenant.<Id> with category <Category>' -ForEach @(
            @{ Fault = '429:retry-after=0'; Id = 'Throttled'; Category = 'LimitsExceeded'; Http = 429 }
            @{ Fault = '503:retry-after=0'; Id = 'Throttled'; Category = 'LimitsExceeded'; Http = 503 }
            @{ Fault = 'html'; Id = 'ServiceError'; Category = 'ProtocolError'; Http = 500 }
            @{ Fault = 'not-json'; Id = 'NonJsonResponse'; Category = 'InvalidResult'; Http = 200 }
            @{ Fault = 'truncated'; Id = 'NonJsonResponse'; Category = 'InvalidResult'; Http = 200 }
            @{ Fault = 'drop'; Id = 'Network'; Category = 'ConnectionError'; Http = 0 }
        ) {
            # No count: the fault answers every attempt, so the library's retries cannot hide it.
            Add-TestEmulatorFault $script:Emulator $Fault
            $thrown = { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } |
                Should -Throw -ErrorId "SPOCrossTenant.$Id$script:SetId" -PassThru
            $thrown.CategoryInfo.Category | Should -Be $Category
            $thrown.Exception.HttpStatus | Should -Be $Http
            $thrown.TargetObject | Should -Be $script:Fabrikam.hostUrl
            $thrown.Exception.Message | Should -Not -BeNullOrEmpty
        }

        It 'retries a throttled request as the server asks, and says so with -Verbose' {
            Add-TestEmulatorFault $script:Emulator '429:retry-after=1:count=1'
            $verbose = Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -Verbose -ErrorAction Stop 4>&1 | ForEach-Object Message
            $verbose -join "`n" | Should -Match 'throttled'
            $verbose -join "`n" | Should -Match 'succeeded'
            $stats = Get-TestEmulatorStats $script:Emulator
            $stats.byStatus.'429' | Should -BeGreaterOrEqual 1 -Because 'the first attempt was throttled'
            $stats.byStatus.'200' | Should -Be 1 -Because 'the retry went through, once'
        }

        It 'fails with SPOCrossTenant.Timeout when the answer is later than -TimeoutSeconds' {
            Connect-TestTenant -TimeoutSeconds 1
            Add-TestEmulatorFault $script:Emulator 'latency:ms=2500:count=1'
            $thrown = { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } |
                Should -Throw -ErrorId "SPOCrossTenant.Timeout$script:SetId" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'OperationTimeout'
        }

        It 'cancels the request when the pipeline is stopped (Ctrl+C) while waiting' {
            Add-TestEmulatorFault $script:Emulator 'latency:ms=20000:count=1'
            $shell = [powershell]::Create()
            try {
                $null = $shell.AddScript({
                        param($Manifest, $Tenant, $Partner)
                        Import-Module $Manifest
                        Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
                        Set-SPOCrossTenantRelationship MnA Target $Partner
                        'FINISHED'
                    }).AddArgument($script:ModuleManifest).AddArgument($script:Contoso).AddArgument($script:Fabrikam.hostUrl)
                $pending = $shell.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ((Get-ProcessQueryCount) -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                Get-ProcessQueryCount | Should -Be 1 -Because 'the request must be in flight before we stop'
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 1 -Because 'waiting happens in short slices and Ctrl+C must act within a second'
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                $pending.IsCompleted | Should -BeTrue
                # The same session goes on working: the connection survived the cancelled request.
                $shell.Commands.Clear()
                $hostUrl = $shell.AddScript({ Get-SPOCrossTenantHostUrl }).Invoke()
                $hostUrl | Should -Be $script:Contoso.hostUrl
            } finally {
                $shell.Dispose()
            }
        }
    }

    Describe 'Connection handling' {
        It 'refuses to run without a connection and says to run Connect-SPOService' {
            Disconnect-SPOService
            $thrown = { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.NotConnected$script:SetId" -PassThru
            $thrown.Exception.Message | Should -Match 'Connect-SPOService'
            Get-ProcessQueryCount | Should -Be 0
        }

        It 'disconnects quietly when there is nothing to disconnect' {
            Disconnect-SPOService
            { Disconnect-SPOService -ErrorAction Stop } | Should -Not -Throw
        }

        It 'drops the previous connection when a new Connect-SPOService fails' {
            { Connect-SPOService -Url 'ftp://contoso-admin.sharepoint.com' -AccessToken 'x' } |
                Should -Throw -ErrorId 'SPOCrossTenant.AdminUrlInvalid,Connect-SPOService'
            { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl } |
                Should -Throw -ErrorId "SPOCrossTenant.NotConnected$script:SetId"
        }

        It 'refuses an empty token with SPOCrossTenant.AccessTokenEmpty, aimed at no target' {
            $thrown = { Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken '  ' } |
                Should -Throw -ErrorId 'SPOCrossTenant.AccessTokenEmpty,Connect-SPOService' -PassThru
            $thrown.TargetObject | Should -BeNullOrEmpty
        }

        It 'refuses a token that is neither a String nor a SecureString' {
            { Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken 42 } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,Connect-SPOService'
        }
    }

    Describe 'The access token stays secret' {
        It 'never appears in any stream or error record (<Case>)' -ForEach @(
            @{ Case = 'success'; Partner = 'fabrikam'; Token = 'valid' }
            @{ Case = 'server error'; Partner = 'contoso'; Token = 'valid' }
            @{ Case = 'refused token'; Partner = 'fabrikam'; Token = 'wrong' }
        ) {
            $token = if ($Token -eq 'valid') { $script:Contoso.accessToken } else { 'eyJ.secret-but-wrong-token.sig' }
            $partnerUrl = $script:Emulator.Tenants.$Partner.hostUrl
            $records = & {
                $VerbosePreference = 'Continue'
                $DebugPreference = 'Continue'
                $InformationPreference = 'Continue'
                Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $token -Verbose -Debug
                Set-SPOCrossTenantRelationship MnA Target $partnerUrl -Verbose -Debug -ErrorAction Continue
            } *>&1
            $records | Should -Not -BeNullOrEmpty
            foreach ($record in $records) {
                $text = ($record | Out-String -Width 4096) + "$record"
                if ($record -is [System.Management.Automation.ErrorRecord]) {
                    $text += ($record.Exception | Format-List * -Force | Out-String -Width 4096)
                    $text += "$($record.ErrorDetails) $($record.ErrorDetails.RecommendedAction) $($record.TargetObject)"
                }
                # Checked without -Match so that a failure does not print the token in the test log.
                $text.Contains($token) | Should -BeFalse -Because "the token must not appear in a $($record.GetType().Name)"
            }
            $verboseCount = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count
            $verboseCount | Should -BeGreaterThan 1
            @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        }

        It 'is not kept in any variable of the module' {
            Connect-TestTenant
            $values = & (Get-Module SPOCrossTenant) { Get-Variable -Scope Script | ForEach-Object { $_.Value | Out-String -Width 4096 } }
            ($values -join "`n").Contains($script:Contoso.accessToken) | Should -BeFalse -Because 'no module variable may hold the token'
        }
    }
}
