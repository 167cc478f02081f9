# Contract tests: each command's parameters as Get-Command sees them, against Data/Contracts.psd1
# (for Set-SPOCrossTenantRelationship that file copies Microsoft's official help page).
# "Mandatory" is read from metadata, never tested by leaving an argument out (that would prompt).

BeforeDiscovery {
    $contracts = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'Data/Contracts.psd1')
    $commandCases = foreach ($name in $contracts.Keys) { @{ Name = $name; Contract = $contracts[$name] } }
    $parameterCases = foreach ($name in $contracts.Keys) {
        foreach ($parameter in $contracts[$name].Parameters) {
            $position = if ($null -eq $parameter.Position) { 'named' } else { "position $($parameter.Position)" }
            @{ Command = $name; Parameter = $parameter.Name; Expected = $parameter; PositionText = $position }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest
    $script:CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $script:Manifest = Import-PowerShellDataFile -LiteralPath $script:ModuleManifest
    $script:Contracts = Import-PowerShellDataFile -LiteralPath (Join-Path $PSScriptRoot 'Data/Contracts.psd1')
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $script:ModuleManifest -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares version 0.1.0 for PowerShell 7.4+ Core only (the binding is built for .NET 8)' {
        $script:Manifest.ModuleVersion | Should -Be '0.1.0'
        $script:Manifest.PowerShellVersion | Should -Be '7.4'
        $script:Manifest.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'lists every export explicitly, without wildcards' {
        foreach ($key in 'FunctionsToExport', 'CmdletsToExport', 'VariablesToExport', 'AliasesToExport') {
            $script:Manifest.ContainsKey($key) | Should -BeTrue -Because "$key must be explicit"
            @($script:Manifest[$key]) -join ',' | Should -Not -Match '\*' -Because "$key must not use wildcards"
        }
    }

    It 'exports exactly the public commands and the Verify alias' {
        # Each has a contract test: here (Data/Contracts.psd1), in SignIn.Tests.ps1 (Connect-SPOService,
        # Get-SPOCrossTenantConnection), in Relations.Contract.Tests.ps1 (the trust workflow) or in
        # Migration.Contract.Tests.ps1 (identity map, moves, long paths).
        $functions = 'Connect-SPOService', 'Disconnect-SPOService', 'Get-SPOCrossTenantConnection', 'Get-SPOCrossTenantHostUrl',
            'Get-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantRelationshipByScenario',
            'Remove-SPOCrossTenantRelationship', 'Set-SPOCrossTenantRelationship', 'Test-SPOCrossTenantRelationship',
            'Get-SPOCrossTenantCompatibilityStatus', 'Add-SPOTenantIdentityMap', 'Find-SPOCrossTenantLongFilePathsForSiteRename',
            'Test-SPOCrossTenantMigrationReadiness', 'Wait-SPOCrossTenantContentMove', 'Get-SPOCrossTenantMigrationStatus'
        foreach ($kind in 'User', 'Group') {
            $functions += "Add-SPOTenantIdentityMapping$kind", "Get-SPOTenantIdentityMapping$kind", "Remove-SPOTenantIdentityMapping$kind"
        }
        foreach ($kind in 'User', 'Site', 'Group') {
            $functions += "Start-SPOCrossTenant${kind}ContentMove", "Stop-SPOCrossTenant${kind}ContentMove", "Get-SPOCrossTenant${kind}ContentMoveState"
        }
        $exported = (Get-Module SPOCrossTenant).ExportedCommands.Keys | Sort-Object
        $exported | Should -Be (@($functions) + 'Verify-SPOCrossTenantRelationship' | Sort-Object)
        $script:Manifest.FunctionsToExport | Sort-Object | Should -Be ($functions | Sort-Object)
        $script:Manifest.AliasesToExport | Should -Be 'Verify-SPOCrossTenantRelationship'
    }
}

Describe '<Name>' -ForEach $commandCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module SPOCrossTenant
        $own = @($command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameterNames })
    }

    It 'has exactly the contracted parameters' {
        $own | Sort-Object | Should -Be (@($Contract.Parameters.Name) | Sort-Object)
    }

    It 'has <Contract.ParameterSetCount> parameter set(s)' {
        $command.ParameterSets.Count | Should -Be $Contract.ParameterSetCount
    }

    It 'supports ShouldProcess: <Contract.SupportsShouldProcess>' {
        $command.Parameters.ContainsKey('WhatIf') | Should -Be $Contract.SupportsShouldProcess
        $command.Parameters.ContainsKey('Confirm') | Should -Be $Contract.SupportsShouldProcess
    }

    It 'takes nothing from the pipeline' {
        foreach ($parameter in $own) {
            $command.Parameters[$parameter].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } |
                ForEach-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } | Should -Not -Contain $true
        }
    }
}

Describe '-<Parameter> of <Command>' -ForEach $parameterCases {
    BeforeAll {
        $metadata = (Get-Command -Name $Command -Module SPOCrossTenant).Parameters[$Parameter]
        $parameterAttribute = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    }

    It 'has type <Expected.Type>' {
        $metadata.ParameterType.FullName | Should -Be $Expected.Type
    }

    It 'is <PositionText> with Mandatory <Expected.Mandatory>' {
        $parameterAttribute.Count | Should -Be 1 -Because 'one parameter set means one Parameter attribute'
        $expectedPosition = if ($null -eq $Expected.Position) { [int]::MinValue } else { $Expected.Position }
        $parameterAttribute[0].Position | Should -Be $expectedPosition
        $parameterAttribute[0].Mandatory | Should -Be $Expected.Mandatory
    }

    It 'has no aliases and does not accept wildcards' {
        $metadata.Aliases | Should -BeNullOrEmpty
        $metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] } | Should -BeNullOrEmpty
    }

    if ($Expected.AcceptedValues) {
        It 'accepts exactly <Expected.AcceptedValues>' {
            [System.Enum]::GetNames($metadata.ParameterType) | Should -Be $Expected.AcceptedValues
        }
    }
}

Describe 'Set-SPOCrossTenantRelationship behaviour declared in metadata' {
    BeforeAll {
        $command = Get-Command -Name Set-SPOCrossTenantRelationship -Module SPOCrossTenant
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
    }

    It 'asks for confirmation only at ConfirmImpact Medium, so the default preference (High) never prompts' {
        $binding.ConfirmImpact | Should -Be 'Medium'
    }

    It 'declares that it writes nothing' {
        $command.OutputType.Type | Should -Be @([void])
    }

    It 'uses the real enum numbers (the wire values), whoever declared the enum' {
        [int][Microsoft.SharePoint.Client.Administration.OrgRelationScenario]::MnA | Should -Be 1
        [int][Microsoft.SharePoint.Client.Administration.OrgRelationRole]::Source | Should -Be 1
        [int][Microsoft.SharePoint.Client.Administration.OrgRelationRole]::Target | Should -Be 2
        [System.Enum]::GetNames([Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus]) |
            Should -Be @('NotEstablished', 'NotEstablishedByPartner', 'Dormant', 'DormantByPartner', 'GoodToProceed', 'CouldNotContactPartner')
    }
}

Describe 'Argument binding of Set-SPOCrossTenantRelationship' {
    BeforeAll {
        # Connecting sends nothing, so -WhatIf runs can bind arguments without any server.
        Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken 'not-a-real-token'
    }
    AfterAll { Disconnect-SPOService }

    It 'binds enum names case-insensitively, by position' {
        { Set-SPOCrossTenantRelationship mna tArGeT https://fabrikam-my.sharepoint.com -WhatIf } | Should -Not -Throw
    }

    It 'refuses an unknown enum name while binding' {
        { Set-SPOCrossTenantRelationship -Scenario Merger -PartnerRole Target -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com -WhatIf } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,Set-SPOCrossTenantRelationship'
        { Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Sideways -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com -WhatIf } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,Set-SPOCrossTenantRelationship'
    }

    It 'refuses an empty partner URL while binding, like the original cmdlet' {
        { Set-SPOCrossTenantRelationship MnA Target '' -WhatIf } |
            Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,Set-SPOCrossTenantRelationship'
    }

    It 'refuses a fourth positional argument' {
        { Set-SPOCrossTenantRelationship MnA Target https://fabrikam-my.sharepoint.com extra -WhatIf } |
            Should -Throw -ErrorId 'PositionalParameterNotFound,Set-SPOCrossTenantRelationship'
    }
}

Describe 'Help of <_>' -ForEach @('Connect-SPOService', 'Disconnect-SPOService', 'Set-SPOCrossTenantRelationship') {
    BeforeAll {
        $help = Get-Help -Name $_ -Full
        $own = @((Get-Command -Name $_ -Module SPOCrossTenant).Parameters.Keys | Where-Object { $_ -notin $script:CommonParameterNames -and $_ -notin 'WhatIf', 'Confirm' })
    }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$_\s*\[" -Because 'an auto-generated synopsis is just the syntax'
        ($help.Description.Text -join ' ') | Should -Match '\w+ \w+ \w+'
    }

    It 'describes every parameter' {
        foreach ($name in $own) {
            $entry = $help.Parameters.Parameter | Where-Object Name -EQ $name
            ($entry.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'has at least one example with an explanation' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        foreach ($example in $help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }

    It 'has related links' {
        @($help.RelatedLinks.NavigationLink).Count | Should -BeGreaterThan 0
    }
}
