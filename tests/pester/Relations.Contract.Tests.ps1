# Contract and unit tests of the relationship commands (Get-SPOCrossTenantHostUrl,
# Test-/Verify-, Remove-, Get-SPOCrossTenantRelationship[ByPartner|ByScenario]) that need no
# emulator: each command's parameters, pipeline binding, ShouldProcess, OutputType and help as
# Get-Command and Get-Help see them; the manifest, the alias and the format views; and the
# private pieces on their own (the relation list parser, the verification advice, the argument
# completer, and the raw-string fallback of the Get commands with the engine call mocked).
# "Mandatory" is read from metadata, never tested by leaving an argument out (that would prompt).

BeforeDiscovery {
    $scenario = @{ Name = 'Scenario'; Type = 'Microsoft.SharePoint.Client.Administration.OrgRelationScenario'; AcceptedValues = @('None', 'MnA') }
    $role = @{ Name = 'PartnerRole'; Type = 'Microsoft.SharePoint.Client.Administration.OrgRelationRole'; AcceptedValues = @('None', 'Source', 'Target') }
    $url = @{ Name = 'PartnerCrossTenantHostUrl'; Type = 'System.String' }
    # Name -> parameters (in position order, all mandatory), pipeline binding by property name,
    # ShouldProcess, declared output types (PSTypeName names or .NET full names).
    $contracts = [ordered]@{
        'Get-SPOCrossTenantHostUrl'                = @{ Parameters = @(); Pipeline = $false; ShouldProcess = $false; Output = @('System.String') }
        'Test-SPOCrossTenantRelationship'          = @{ Parameters = @($scenario, $role, $url); Pipeline = $true; ShouldProcess = $false; Output = @('Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus') }
        'Remove-SPOCrossTenantRelationship'        = @{ Parameters = @($scenario, $role, $url); Pipeline = $true; ShouldProcess = $true; Output = @('System.Void') }
        'Get-SPOCrossTenantRelationship'           = @{ Parameters = @(); Pipeline = $false; ShouldProcess = $false; Output = @('SPOCrossTenant.Relationship', 'System.String') }
        'Get-SPOCrossTenantRelationshipByPartner'  = @{ Parameters = @($url); Pipeline = $false; ShouldProcess = $false; Output = @('SPOCrossTenant.Relationship', 'System.String') }
        'Get-SPOCrossTenantRelationshipByScenario' = @{ Parameters = @($scenario, $role); Pipeline = $false; ShouldProcess = $false; Output = @('SPOCrossTenant.Relationship', 'System.String') }
        'Get-SPOCrossTenantCompatibilityStatus'    = @{ Parameters = @($url); Pipeline = $false; ShouldProcess = $false; Output = @('SPOCrossTenant.CompatibilityStatus') }
    }
    $commandCases = foreach ($name in $contracts.Keys) { @{ Name = $name; Contract = $contracts[$name]; Others = @($contracts.Keys | Where-Object { $_ -ne $name }) } }
    $parameterCases = foreach ($name in $contracts.Keys) {
        $parameters = $contracts[$name].Parameters
        for ($i = 0; $i -lt $parameters.Count; $i++) {
            @{ Command = $name; Parameter = $parameters[$i].Name; Expected = $parameters[$i]; Position = $i; Pipeline = $contracts[$name].Pipeline }
        }
    }
    $completerCases = @('Set-SPOCrossTenantRelationship', 'Test-SPOCrossTenantRelationship', 'Verify-SPOCrossTenantRelationship',
        'Remove-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantCompatibilityStatus')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest -WithPrivateCode
    $script:CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $script:Manifest = Import-PowerShellDataFile -LiteralPath $script:ModuleManifest
    $script:RelationCommands = @('Get-SPOCrossTenantHostUrl', 'Test-SPOCrossTenantRelationship', 'Remove-SPOCrossTenantRelationship',
        'Get-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantRelationshipByScenario',
        'Get-SPOCrossTenantCompatibilityStatus')

    function Complete-TestInput {
        # What Tab offers at the end of $Line.
        param([string]$Line)
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'The manifest and the exports of the relationship commands' {
    It 'exports each relationship command as a function, in the manifest and in the module' {
        $exported = (Get-Module SPOCrossTenant).ExportedFunctions.Keys
        foreach ($name in $script:RelationCommands) {
            $script:Manifest.FunctionsToExport | Should -Contain $name
            $exported | Should -Contain $name
        }
    }

    It 'exports Verify-SPOCrossTenantRelationship as an alias of Test-SPOCrossTenantRelationship, and no other alias' {
        $script:Manifest.AliasesToExport | Should -Be @('Verify-SPOCrossTenantRelationship')
        @((Get-Module SPOCrossTenant).ExportedAliases.Keys) | Should -Be @('Verify-SPOCrossTenantRelationship')
        $alias = Get-Command -Name Verify-SPOCrossTenantRelationship -CommandType Alias
        $alias.ResolvedCommand.Name | Should -Be 'Test-SPOCrossTenantRelationship'
        $alias.ResolvedCommand.ModuleName | Should -Be 'SPOCrossTenant'
    }

    It 'uses only approved verbs, so importing prints no warning' {
        $approved = (Get-Verb).Verb
        foreach ($name in (Get-Module SPOCrossTenant).ExportedFunctions.Keys) { $name.Split('-')[0] | Should -BeIn $approved -Because $name }
        $warnings = Import-Module $script:ModuleManifest -Force -PassThru 3>&1 | Where-Object { $_ -is [System.Management.Automation.WarningRecord] }
        @($warnings).Count | Should -Be 0 -Because "$($warnings -join '; ')"
        Import-TestPrivateCode   # as in BeforeAll: the tests below reach into the fresh copy's module scope
    }

    It 'processes the format and types files: a table for relationships, the bare name for a status value' {
        $script:Manifest.FormatsToProcess | Should -Be @('SPOCrossTenant.format.ps1xml')
        $script:Manifest.TypesToProcess | Should -Be @('SPOCrossTenant.types.ps1xml')
        $views = @((Get-FormatData -TypeName 'SPOCrossTenant.Relationship').FormatViewDefinition)
        $views[0].Control | Should -BeOfType [System.Management.Automation.TableControl]
        $views = @((Get-FormatData -TypeName 'SPOCrossTenant.StatusValue').FormatViewDefinition)
        $views[0].Control | Should -BeOfType [System.Management.Automation.CustomControl] -Because 'the default display of a status is its name'
        $views[1].Control | Should -BeOfType [System.Management.Automation.TableControl]
        foreach ($typeName in 'SPOCrossTenant.RelationshipVerification', 'SPOCrossTenant.CompatibilityCheck') {
            @((Get-FormatData -TypeName $typeName).FormatViewDefinition)[0].Control | Should -BeOfType [System.Management.Automation.ListControl]
        }
    }

    It 'prints a verification as its name, shows the Explanation in Format-Table and CreatedTime in the relationship table' {
        $verification = InModuleScope SPOCrossTenant {
            New-SpoStatusValue -Status ([Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus]::GoodToProceed) `
                -TypeName 'SPOCrossTenant.RelationshipVerification' -Property ([ordered]@{ Scenario = 'MnA'; PartnerRole = 'Target'
                    PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com'; Explanation = 'Go ahead.'; TraceCorrelationId = 'c-1' })
        }
        ($verification | Out-String -Width 200).Trim() | Should -BeExactly 'GoodToProceed'
        $text = $verification | Format-Table | Out-String -Width 200
        $text | Should -Match 'Explanation'
        $text | Should -Match 'GoodToProceed\s+Go ahead\.'
        $text | Should -Not -Match 'c-1' -Because 'the correlation id is for Format-List, not the table'
        $verification | Format-List | Out-String -Width 200 | Should -Match 'TraceCorrelationId\s+: c-1'
        $relation = [pscustomobject]@{ PSTypeName = 'SPOCrossTenant.Relationship'; Scenario = 'MnA'; PartnerRole = 'Source'
            PartnerCrossTenantHostUrl = 'https://contoso-my.sharepoint.com/'; CreatedTime = [datetime]::new(2025, 1, 31, 9, 30, 0, [System.DateTimeKind]::Utc) }
        $relation | Out-String -Width 200 | Should -Match 'CreatedTime.*\r?\n.*\r?\nMnA\s+Source\s+https://contoso-my\.sharepoint\.com/\s+2025-01-31 09:30:00'
    }
}

Describe '<Name>' -ForEach $commandCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module SPOCrossTenant
        $own = @($command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameterNames })
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
    }

    It 'has exactly the contracted parameters, in one parameter set' {
        # WhatIf and Confirm are optional common parameters, checked with ShouldProcess below.
        ($own | Sort-Object) -join ',' | Should -Be ((@($Contract.Parameters.Name) | Sort-Object) -join ',')
        $command.ParameterSets.Count | Should -Be 1
    }

    It 'supports ShouldProcess: <Contract.ShouldProcess>' {
        $binding.SupportsShouldProcess | Should -Be $Contract.ShouldProcess
        $command.Parameters.ContainsKey('WhatIf') | Should -Be $Contract.ShouldProcess
        $command.Parameters.ContainsKey('Confirm') | Should -Be $Contract.ShouldProcess
        if ($Contract.ShouldProcess) {
            $binding.ConfirmImpact | Should -Be 'Medium' -Because 'below the default $ConfirmPreference (High), so it never prompts unless asked'
        }
    }

    It 'declares its output types: <Contract.Output>' {
        $declared = foreach ($type in $command.OutputType) { if ($type.Type) { $type.Type.FullName } else { $type.Name } }
        @($declared) | Should -Be $Contract.Output
    }

    It 'takes pipeline input by property name only when contracted (<Contract.Pipeline>)' {
        foreach ($parameter in $own) {
            $attribute = $command.Parameters[$parameter].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $attribute.ValueFromPipeline | Should -BeFalse -Because "-$parameter binds by property name, not whole objects"
            if ($parameter -notin 'WhatIf', 'Confirm') { $attribute.ValueFromPipelineByPropertyName | Should -Be $Contract.Pipeline -Because "-$parameter" }
        }
    }

    Context 'help' {
        BeforeAll {
            $help = Get-Help -Name $Name -Full
        }

        It 'has a synopsis and a description' {
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match "^\s*$Name\s*(\[|$)" -Because 'an auto-generated synopsis is just the syntax'
            ($help.Description.Text -join ' ') | Should -Match '\w+ \w+ \w+ \w+ \w+'
        }

        It 'describes every parameter' {
            foreach ($parameter in $own) {
                $entry = $help.Parameters.Parameter | Where-Object Name -EQ $parameter
                ($entry.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
            }
        }

        It 'has at least two examples, each with an explanation' {
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
            foreach ($example in $help.Examples.Example) {
                $example.Code | Should -Match $(if ($Name -eq 'Test-SPOCrossTenantRelationship') { '-SPOCrossTenantRelationship' } else { [regex]::Escape($Name) })
                ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
            }
        }

        It 'documents its inputs and outputs' {
            @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
            $outputs = ($help.returnValues.returnValue | ForEach-Object { "$($_.type.name) $($_.description.Text)" }) -join ' '
            foreach ($type in $Contract.Output) {
                $expected = if ($type -eq 'System.Void') { 'None' } else { $type }
                $outputs | Should -Match ([regex]::Escape($expected))
            }
        }

        It 'links to the other relationship commands, Set-SPOCrossTenantRelationship and about_SPOCrossTenant' {
            $links = @($help.relatedLinks.navigationLink.linkText)
            $links | Should -Contain 'about_SPOCrossTenant'
            if ($Name -ne 'Set-SPOCrossTenantRelationship') { $links | Should -Contain 'Set-SPOCrossTenantRelationship' }
            foreach ($other in 'Test-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationship', 'Remove-SPOCrossTenantRelationship') {
                if ($other -ne $Name) { $links | Should -Contain $other }
            }
        }

        It 'lists the error ids it can raise' {
            ($help.alertSet.alert.Text -join ' ') | Should -Match 'NotConnected'
        }
    }
}

Describe '-<Parameter> of <Command>' -ForEach $parameterCases {
    BeforeAll {
        $metadata = (Get-Command -Name $Command -Module SPOCrossTenant).Parameters[$Parameter]
        $attribute = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    }

    It 'has type <Expected.Type>' {
        $metadata.ParameterType.FullName | Should -Be $Expected.Type
    }

    It 'is mandatory at position <Position>' {
        $attribute.Count | Should -Be 1
        $attribute[0].Position | Should -Be $Position
        $attribute[0].Mandatory | Should -BeTrue
    }

    It 'has no aliases, accepts no wildcards and no empty string' {
        $metadata.Aliases | Should -BeNullOrEmpty
        $metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] } | Should -BeNullOrEmpty
        $metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.AllowEmptyStringAttribute] } | Should -BeNullOrEmpty
    }

    if ($Expected.AcceptedValues) {
        It 'accepts exactly the enum values <Expected.AcceptedValues>' {
            [System.Enum]::GetNames($metadata.ParameterType) | Should -Be $Expected.AcceptedValues
        }
    }
}

Describe 'Test-SPOCrossTenantRelationship and its alias' {
    It 'has the same parameters under the name Verify-SPOCrossTenantRelationship' {
        $alias = Get-Command Verify-SPOCrossTenantRelationship
        @($alias.ResolvedCommand.Parameters.Keys) | Should -Be @((Get-Command Test-SPOCrossTenantRelationship).Parameters.Keys)
    }

    It 'documents the alias in its help' {
        (Get-Help Test-SPOCrossTenantRelationship -Full).Description.Text -join ' ' | Should -Match 'Verify-SPOCrossTenantRelationship'
    }
}

Describe 'Set-SPOCrossTenantRelationship help' {
    It 'no longer says that verifying is not offered' {
        $text = (Get-Help Set-SPOCrossTenantRelationship -Full).Description.Text -join ' '
        $text | Should -Not -Match 'not offer'
        $text | Should -Match 'Verify-SPOCrossTenantRelationship|Test-SPOCrossTenantRelationship'
    }
}

Describe 'Commands without a connection' {
    BeforeAll { Disconnect-SPOService }

    It '<Name> stops with SPOCrossTenant.NotConnected' -ForEach @(
        @{ Name = 'Get-SPOCrossTenantHostUrl'; Arguments = @{} }
        @{ Name = 'Test-SPOCrossTenantRelationship'; Arguments = @{ Scenario = 'MnA'; PartnerRole = 'Target'; PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Remove-SPOCrossTenantRelationship'; Arguments = @{ Scenario = 'MnA'; PartnerRole = 'Target'; PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Get-SPOCrossTenantRelationship'; Arguments = @{} }
        @{ Name = 'Get-SPOCrossTenantRelationshipByPartner'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Get-SPOCrossTenantRelationshipByScenario'; Arguments = @{ Scenario = 'MnA'; PartnerRole = 'Target' } }
        @{ Name = 'Get-SPOCrossTenantCompatibilityStatus'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
    ) {
        $thrown = { & $Name @Arguments -ErrorAction SilentlyContinue } | Should -Throw -ErrorId "SPOCrossTenant.NotConnected,$Name" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ConnectionError'
    }
}

Describe 'Arguments refused before anything is sent' {
    BeforeAll {
        # Connecting with a token sends nothing; the loopback port is closed, so a request that
        # did go out would fail with Network rather than pass unnoticed.
        Connect-SPOService -Url 'http://127.0.0.1:9/contoso-admin' -AccessToken 'not-a-real-token'
    }
    AfterAll { Disconnect-SPOService }

    It '<Name> refuses <Case> with SPOCrossTenant.<Id> (terminating on the command line)' -ForEach @(
        @{ Name = 'Test-SPOCrossTenantRelationship'; Case = 'scenario None'; Arguments = @('None', 'Target', 'https://fabrikam-my.sharepoint.com'); Id = 'ScenarioNone' }
        @{ Name = 'Test-SPOCrossTenantRelationship'; Case = 'a site path'; Arguments = @('MnA', 'Target', 'https://fabrikam-my.sharepoint.com/personal/a'); Id = 'PartnerUrlHasPath' }
        @{ Name = 'Remove-SPOCrossTenantRelationship'; Case = 'role None'; Arguments = @('MnA', 'None', 'https://fabrikam-my.sharepoint.com'); Id = 'PartnerRoleNone' }
        @{ Name = 'Remove-SPOCrossTenantRelationship'; Case = 'an embedded NUL'; Arguments = @('MnA', 'Target', "https://fabrikam-my.sharepoint.com`0x"); Id = 'TextHasNul' }
        @{ Name = 'Get-SPOCrossTenantRelationshipByPartner'; Case = 'the admin site'; Arguments = @('https://fabrikam-admin.sharepoint.com'); Id = 'PartnerUrlIsAdminUrl' }
        @{ Name = 'Get-SPOCrossTenantRelationshipByScenario'; Case = 'role None'; Arguments = @('MnA', 'None'); Id = 'PartnerRoleNone' }
        @{ Name = 'Get-SPOCrossTenantCompatibilityStatus'; Case = 'the admin site'; Arguments = @('https://fabrikam-admin.sharepoint.com'); Id = 'PartnerUrlIsAdminUrl' }
        @{ Name = 'Get-SPOCrossTenantCompatibilityStatus'; Case = 'plain http'; Arguments = @('http://fabrikam-my.sharepoint.com'); Id = 'PartnerUrlNotHttps' }
        @{ Name = 'Get-SPOCrossTenantCompatibilityStatus'; Case = 'an embedded NUL'; Arguments = @("https://fabrikam-my.sharepoint.com`0x"); Id = 'TextHasNul' }
    ) {
        $thrown = { & $Name @Arguments -ErrorAction SilentlyContinue } | Should -Throw -ErrorId "SPOCrossTenant.$Id,$Name" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $thrown.Exception | Should -BeOfType [System.ArgumentException]
    }

    It 'refuses an empty partner URL while binding, like Set' {
        { Test-SPOCrossTenantRelationship MnA Target '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Test-SPOCrossTenantRelationship'
        { Get-SPOCrossTenantRelationshipByPartner '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Get-SPOCrossTenantRelationshipByPartner'
        { Get-SPOCrossTenantCompatibilityStatus '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Get-SPOCrossTenantCompatibilityStatus'
    }

    It 'binds enum names case-insensitively by position, and refuses unknown names' {
        { Remove-SPOCrossTenantRelationship mna tArGeT https://fabrikam-my.sharepoint.com -WhatIf } | Should -Not -Throw
        { Test-SPOCrossTenantRelationship Merger Target https://fabrikam-my.sharepoint.com } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,Test-SPOCrossTenantRelationship'
    }

    It 'makes a refused piped object a non-terminating error and goes on with the next one' {
        $items = @(
            [pscustomobject]@{ Scenario = 'MnA'; PartnerRole = 'None'; PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' }
            [pscustomobject]@{ Scenario = 'MnA'; PartnerRole = 'Target'; PartnerCrossTenantHostUrl = 'https://contoso-my.sharepoint.com/a/b' }
        )
        $output = $items | Test-SPOCrossTenantRelationship -ErrorAction SilentlyContinue -ErrorVariable failures
        @($output).Count | Should -Be 0
        @($failures.FullyQualifiedErrorId) | Should -Be @('SPOCrossTenant.PartnerRoleNone,Test-SPOCrossTenantRelationship', 'SPOCrossTenant.PartnerUrlHasPath,Test-SPOCrossTenantRelationship')
    }
}

Describe 'The relation list parser (Output/RelationList.ps1)' {
    It 'reads the emulator format into typed SPOCrossTenant.Relationship objects' {
        $payload = '[{"Scenario":"MnA","PartnerRole":"Target","PartnerCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com/","CreatedTime":"2025-01-31T09:30:00Z"},' +
        '{"Scenario":"MnA","PartnerRole":"Source","PartnerCrossTenantHostUrl":"https://litware-my.sharepoint.com/","CreatedTime":"2025-02-01T10:00:00Z"}]'
        $parsed = InModuleScope SPOCrossTenant -Parameters @{ Payload = $payload } { param($Payload) ConvertFrom-SpoRelationPayload $Payload }
        $parsed.Understood | Should -BeTrue
        $relations = @($parsed.Relations)
        $relations.Count | Should -Be 2
        $relations[0].PSTypeNames[0] | Should -Be 'SPOCrossTenant.Relationship'
        $relations[0].Scenario | Should -BeOfType [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]
        $relations[0].Scenario | Should -Be 'MnA'
        $relations[0].PartnerRole | Should -BeOfType [Microsoft.SharePoint.Client.Administration.OrgRelationRole]
        $relations[0].PartnerRole | Should -Be 'Target'
        $relations[1].PartnerRole | Should -Be 'Source'
        $relations[0].PartnerCrossTenantHostUrl | Should -BeExactly 'https://fabrikam-my.sharepoint.com/'
        $relations[0].CreatedTime | Should -BeOfType [datetime]
        $relations[0].CreatedTime.Kind | Should -Be 'Utc'
        $relations[0].CreatedTime | Should -Be ([datetime]::new(2025, 1, 31, 9, 30, 0, [System.DateTimeKind]::Utc))
        @($relations[0].PSObject.Properties.Name) | Should -Be @('Scenario', 'PartnerRole', 'PartnerCrossTenantHostUrl', 'CreatedTime')
    }

    It 'accepts enum numbers and any case, a single object, no CreatedTime, and keeps extra fields' {
        $payload = '{"scenario":1,"partnerrole":"TARGET","partnerCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com","Status":"Active","Count":3,"Ratio":0.5,"Flag":true,"Nested":{"a":[1]},"Empty":null}'
        $parsed = InModuleScope SPOCrossTenant -Parameters @{ Payload = $payload } { param($Payload) ConvertFrom-SpoRelationPayload $Payload }
        $parsed.Understood | Should -BeTrue
        $relation = @($parsed.Relations)[0]
        "$($relation.Scenario)/$($relation.PartnerRole)" | Should -Be 'MnA/Target'
        $relation.CreatedTime | Should -BeNullOrEmpty
        $relation.Status | Should -BeExactly 'Active'
        $relation.Count | Should -BeOfType [long]
        $relation.Count | Should -Be 3
        $relation.Ratio | Should -Be 0.5
        $relation.Flag | Should -BeTrue
        $relation.Nested | Should -Be '{"a":[1]}'
        $relation.PSObject.Properties.Name | Should -Contain 'Empty'
    }

    It 'reads an empty list, and an empty answer, as no relations' -ForEach @('[]', '', '  ') {
        $parsed = InModuleScope SPOCrossTenant -Parameters @{ Payload = $_ } { param($Payload) ConvertFrom-SpoRelationPayload $Payload }
        $parsed.Understood | Should -BeTrue
        @($parsed.Relations).Count | Should -Be 0
    }

    It 'does not understand <Case>, and says why' -ForEach @(
        @{ Case = 'text that is not JSON'; Payload = 'MnA|Target|https://fabrikam-my.sharepoint.com'; Reason = 'not JSON' }
        @{ Case = 'truncated JSON'; Payload = '[{"Scenario":"MnA",'; Reason = 'not JSON' }
        @{ Case = 'a JSON number'; Payload = '42'; Reason = 'number' }
        @{ Case = 'a list of strings'; Payload = '["MnA"]'; Reason = 'entry 1 is a JSON string' }
        @{ Case = 'a missing role'; Payload = '[{"Scenario":"MnA","PartnerCrossTenantHostUrl":"https://a-my.sharepoint.com"}]'; Reason = 'entry 1 has no PartnerRole' }
        @{ Case = 'a missing URL'; Payload = '[{"Scenario":"MnA","PartnerRole":"Target"}]'; Reason = 'no PartnerCrossTenantHostUrl' }
        @{ Case = 'an unknown scenario'; Payload = '[{"Scenario":"Merger","PartnerRole":"Target","PartnerCrossTenantHostUrl":"https://a-my.sharepoint.com"}]'; Reason = 'Scenario.*Merger' }
        @{ Case = 'an out-of-range role number'; Payload = '[{"Scenario":1,"PartnerRole":7,"PartnerCrossTenantHostUrl":"https://a-my.sharepoint.com"}]'; Reason = 'PartnerRole.*7' }
        @{ Case = 'a bad date in entry 2'; Payload = '[{"Scenario":"MnA","PartnerRole":"Target","PartnerCrossTenantHostUrl":"https://a-my.sharepoint.com"},{"Scenario":"MnA","PartnerRole":"Source","PartnerCrossTenantHostUrl":"https://b-my.sharepoint.com","CreatedTime":"last week"}]'; Reason = 'entry 2 has a CreatedTime' }
    ) {
        $parsed = InModuleScope SPOCrossTenant -Parameters @{ Payload = $Payload } { param($Payload) ConvertFrom-SpoRelationPayload $Payload }
        $parsed.Understood | Should -BeFalse
        $parsed.Reason | Should -Match $Reason
    }
}

Describe 'The raw-string fallback of the Get commands' {
    BeforeAll {
        function Invoke-TestListReader {
            # The one list reader (Output/RelationList.ps1) as a command runs it, on a made-up answer.
            param([string]$Value)
            InModuleScope SPOCrossTenant -Parameters @{ Value = $Value } {
                param($Value)
                function Test-ListReader {
                    [CmdletBinding()] param([string]$Value)
                    ConvertTo-SpoRelationList $PSCmdlet ([SPOCrossTenant.NativeResult]@{ Status = 0; Value = $Value; CorrelationId = 'corr-7' }) ([ordered]@{}) `
                        ([pscustomobject]@{ AdminUrl = 'https://contoso-admin.sharepoint.com/' })
                }
                $output = Test-ListReader $Value -WarningVariable warnings -WarningAction SilentlyContinue
                @{ Output = $output; Warnings = @($warnings) }
            }
        }
    }

    It 'reads the answers of all three list methods with the one list reader' {
        InModuleScope SPOCrossTenant {
            foreach ($method in 'GetSPOTenantOrgRelationAll', 'GetSPOTenantOrgRelationByPartner', 'GetSPOTenantOrgRelationByScenario') {
                $script:SpoTenantMethods[$method].Output | Should -Be 'ConvertTo-SpoRelationList'
            }
        }
    }

    It 'warns that the format was not understood and writes the raw string' {
        $captured = Invoke-TestListReader 'MnA;Target;https://fabrikam-my.sharepoint.com'
        $captured.Output | Should -BeExactly 'MnA;Target;https://fabrikam-my.sharepoint.com'
        $captured.Output | Should -BeOfType [string]
        $captured.Warnings.Count | Should -Be 1
        "$($captured.Warnings[0])" | Should -Match 'format this module does not understand'
        "$($captured.Warnings[0])" | Should -Match 'corr-7'
    }

    It 'writes typed objects and no warning when the answer is understood' {
        $captured = Invoke-TestListReader '[{"Scenario":"MnA","PartnerRole":"Target","PartnerCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com/"}]'
        $captured.Warnings.Count | Should -Be 0
        $captured.Output.PSTypeNames[0] | Should -Be 'SPOCrossTenant.Relationship'
    }
}

Describe 'The verification advice (Output/Verification.ps1)' {
    It 'explains <Status> in one line that says <Expected>' -ForEach @(
        @{ Status = 'NotEstablished'; Expected = 'Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl https://fabrikam-my\.sharepoint\.com on this tenant' }
        @{ Status = 'NotEstablishedByPartner'; Expected = 'ask the admins of https://fabrikam-my\.sharepoint\.com to run Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl https://contoso-my\.sharepoint\.com/' }
        @{ Status = 'Dormant'; Expected = "This tenant's side .*seven days.*wait" }
        @{ Status = 'DormantByPartner'; Expected = 'partner created its side .*seven days.*wait' }
        @{ Status = 'CouldNotContactPartner'; Expected = 'check the URL .*Get-SPOCrossTenantHostUrl.*licence' }
        @{ Status = 'GoodToProceed'; Expected = 'migrations may start' }
    ) {
        $advice = InModuleScope SPOCrossTenant -Parameters @{ Status = $Status } {
            param($Status)
            Get-SpoVerificationAdvice -Status $Status -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl 'https://fabrikam-my.sharepoint.com' -OwnHostUrl 'https://contoso-my.sharepoint.com/'
        }
        $advice | Should -Match $Expected
        $advice | Should -Not -Match '[\r\n]'
        $advice | Should -Not -Match '\{\w+\}' -Because 'every placeholder is filled in'
    }

    It 'has advice for every verification status' {
        foreach ($name in [System.Enum]::GetNames([Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus])) {
            InModuleScope SPOCrossTenant -Parameters @{ Name = $name } { param($Name) $script:SpoVerificationAdvice.ContainsKey($Name) } | Should -BeTrue -Because $name
        }
    }

    It 'says how to find this tenant host URL when it is not known yet, and names the opposite role' {
        $advice = InModuleScope SPOCrossTenant {
            Get-SpoVerificationAdvice -Status NotEstablishedByPartner -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl 'https://fabrikam-my.sharepoint.com'
        }
        $advice | Should -Match '-PartnerRole Target'
        $advice | Should -Match 'Get-SPOCrossTenantHostUrl'
    }
}

Describe 'Tab completion of -PartnerCrossTenantHostUrl' {
    BeforeAll {
        # A closed loopback port: the completer's one query of the server fails at once.
        Connect-SPOService -Url 'http://127.0.0.1:9/contoso-admin' -AccessToken 'not-a-real-token'
        InModuleScope SPOCrossTenant {
            $connection = $script:SpoConnection
            Add-SpoKnownPartner -Connection $connection -Url 'https://fabrikam-my.sharepoint.com/' -Role Target -Note 'MnA relationship'
            Add-SpoKnownPartner -Connection $connection -Url 'https://litware-my.sharepoint.com/' -Role Source
            Add-SpoKnownPartner -Connection $connection -Url "https://o'brien-my.sharepoint.com" -Role Source
            Set-SpoKnownHostUrl -Connection $connection -Url 'https://contoso-my.sharepoint.com/'
            Add-SpoKnownPartner -Connection $connection -Url 'https://contoso-my.sharepoint.com' -Role Source
        }
    }
    AfterAll {
        Disconnect-SPOService
        InModuleScope SPOCrossTenant { $script:SpoKnownPartners.Clear(); $script:SpoKnownHostUrls.Clear(); $script:SpoCompletionQueried.Clear() }
    }

    It 'offers the known partner URLs to <_>' -ForEach $completerCases {
        $line = if ($_ -in 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantCompatibilityStatus') { "$_ " } else { "$_ MnA Target " }
        $offered = Complete-TestInput $line
        @($offered.ListItemText) | Should -Contain 'https://fabrikam-my.sharepoint.com/'
        @($offered.ListItemText) | Should -Contain 'https://litware-my.sharepoint.com/'
        @($offered.ResultType) | Should -Not -Contain 'ProviderItem' -Because 'file names are not partner URLs'
    }

    It 'never offers this tenant''s own host URL' {
        @((Complete-TestInput 'Test-SPOCrossTenantRelationship MnA Target ').ListItemText) | Should -Not -Contain 'https://contoso-my.sharepoint.com'
    }

    It 'filters by what was typed: prefix first, then anywhere in the URL' {
        @((Complete-TestInput 'Test-SPOCrossTenantRelationship MnA Target https://lit').ListItemText) | Should -Be @('https://litware-my.sharepoint.com/')
        @((Complete-TestInput 'Test-SPOCrossTenantRelationship MnA Target fabrik').ListItemText) | Should -Be @('https://fabrikam-my.sharepoint.com/')
    }

    It 'puts partners known in the typed role first' {
        $urls = @((Complete-TestInput 'Remove-SPOCrossTenantRelationship -PartnerRole Source -Scenario MnA -PartnerCrossTenantHostUrl ').ListItemText)
        $urls[0] | Should -Be 'https://litware-my.sharepoint.com/'
        $urls[-1] | Should -Be 'https://fabrikam-my.sharepoint.com/'
    }

    It 'quotes a URL that PowerShell would not take bare' {
        $match = Complete-TestInput 'Test-SPOCrossTenantRelationship MnA Source https://o' | Select-Object -First 1
        $match.CompletionText | Should -Be "'https://o''brien-my.sharepoint.com'"
    }

    It 'still completes the enum parameters by themselves' {
        @((Complete-TestInput 'Test-SPOCrossTenantRelationship -PartnerRole T').CompletionText) | Should -Be @('Target')
    }

    It 'offers nothing without a connection, and sends nothing' {
        Disconnect-SPOService
        try {
            @(Complete-TestInput 'Test-SPOCrossTenantRelationship MnA Target https://').Count | Should -Be 0
        } finally {
            Connect-SPOService -Url 'http://127.0.0.1:9/contoso-admin' -AccessToken 'not-a-real-token'
        }
    }
}
