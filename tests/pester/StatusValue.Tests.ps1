# "A status is the status" (issue 10): every idiom that scripts written for Microsoft's module use
# on a command's status output, checked on live answers from the emulator. Each case gets the value
# from the real command, so this covers the command, the shared shape (Private/StatusValue.ps1),
# the types file (hidden Value) and the format views together.

BeforeDiscovery {
    # Each command that answers with one status: how to bring the emulator to a known status and
    # call the command. Run on contoso (the source), naming fabrikam (the target).
    $script:StatusCases = @(
        @{ Command = 'Verify-SPOCrossTenantRelationship'; Expected = 'GoodToProceed'; Other = 'NotEstablished'
            EnumType = 'Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus'; TypeName = 'SPOCrossTenant.RelationshipVerification' }
        @{ Command = 'Get-SPOCrossTenantCompatibilityStatus'; Expected = 'Compatible'; Other = 'Incompatible'
            EnumType = 'SPOCrossTenant.CompatibilityStatus'; TypeName = 'SPOCrossTenant.CompatibilityCheck' }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest
    $script:Emulator = Start-TestEmulator
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam

    function Set-TestTrust {
        # Both sides set (GoodToProceed, Compatible), or none (NotEstablished, Incompatible).
        param([bool]$Established)
        Reset-TestEmulator $script:Emulator
        if ($Established) {
            Connect-SPOService -Url $script:Fabrikam.adminUrl -AccessToken $script:Fabrikam.accessToken
            Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
            Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken
            Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
        }
        Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken
    }

    function Get-TestStatus {
        # One call of the command under test, as a script would write it.
        param([string]$Command)
        if ($Command -eq 'Get-SPOCrossTenantCompatibilityStatus') { & $Command $script:Fabrikam.hostUrl }
        else { & $Command MnA Target $script:Fabrikam.hostUrl }
    }
}

AfterAll { Stop-TestEmulator $script:Emulator }

Describe '<Command> writes a status that is the status' -ForEach $script:StatusCases {
    BeforeAll {
        Set-TestTrust -Established $true
        $script:Value = Get-TestStatus $Command
        $script:Type = $EnumType -as [type]
    }

    It 'writes exactly one value, of the enum type' {
        @($script:Value).Count | Should -Be 1
        $script:Value | Should -BeOfType $script:Type
        $script:Value.PSTypeNames[0..1] | Should -Be 'SPOCrossTenant.StatusValue', $TypeName
    }

    It 'compares with -eq, -ne, -in, -contains and -match as its name' {
        $script:Value -eq $Expected | Should -BeTrue
        $script:Value -ne $Other | Should -BeTrue
        $script:Value -in @('x', $Expected) | Should -BeTrue
        @($Expected) -contains $script:Value | Should -BeTrue
        $script:Value -match "^$Expected$" | Should -BeTrue
        $script:Value -eq $Other | Should -BeFalse
    }

    It 'matches in a switch' {
        $matched = switch ($script:Value) { $Other { 'other' } $Expected { 'expected' } default { 'none' } }
        $matched | Should -Be 'expected'
    }

    It 'is its name when interpolated, cast to [string], ToString()-ed and read as .Value' {
        "$($script:Value)" | Should -BeExactly $Expected
        [string]$script:Value | Should -BeExactly $Expected
        $script:Value.ToString() | Should -BeExactly $Expected
        $script:Value.Value -eq $Expected | Should -BeTrue
        [string]$script:Value.Value | Should -BeExactly $Expected
    }

    It 'prints as its name: default display, Out-String and Format-Table' {
        ($script:Value | Out-String).Trim() | Should -BeExactly $Expected
        ($script:Value | Out-String).Trim() -match $Expected | Should -BeTrue
        $table = $script:Value | Format-Table | Out-String -Width 300
        $table | Should -Match "(?m)^Status\s+Explanation"
        $table | Should -Match "(?m)^$Expected\s"
    }

    It 'exports as its name, on its own and as a column of another object' {
        $own = $script:Value | ConvertTo-Csv | ConvertFrom-Csv
        $own.Status | Should -BeExactly $Expected
        $row = [pscustomobject]@{ Tenant = 'contoso'; VerifyStatus = $script:Value } | ConvertTo-Csv | ConvertFrom-Csv
        $row.VerifyStatus | Should -BeExactly $Expected
    }

    It 'converts to JSON with -EnumsAsStrings as its name, with no duplicate key' {
        $json = [pscustomobject]@{ Status = $script:Value } | ConvertTo-Json -EnumsAsStrings -Depth 3
        $parsed = $json | ConvertFrom-Json -AsHashtable
        $parsed.Status.value | Should -BeExactly $Expected
        ($script:Value | ConvertTo-Json -EnumsAsStrings | ConvertFrom-Json).value | Should -BeExactly $Expected
    }

    It 'casts back to the enum' {
        ($script:Value -as $script:Type) | Should -Be ($script:Type::$Expected)
        [int]($script:Value -as $script:Type) | Should -Be ([int]$script:Type::$Expected)
    }

    It 'keeps the extras reachable: Format-List * and the properties' {
        $script:Value.Explanation | Should -Not -BeNullOrEmpty
        $script:Value.TraceCorrelationId | Should -Match '^[0-9a-f-]{36}$'
        $script:Value.PartnerCrossTenantHostUrl | Should -Be $script:Fabrikam.hostUrl
        $list = $script:Value | Format-List * | Out-String -Width 300
        $list | Should -Match "Status\s+: $Expected"
        $list | Should -Match 'Explanation\s+: \S'
        $list | Should -Match 'TraceCorrelationId\s+: [0-9a-f-]{36}'
    }

    It 'says the explanation with -Verbose' {
        $verbose = & { $VerbosePreference = 'Continue'; Get-TestStatus $Command } 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        ($verbose.Message -join "`n") | Should -Match "${Expected}: \S"
    }

    It 'works under Set-StrictMode -Version Latest' {
        & {
            Set-StrictMode -Version Latest
            $v = Get-TestStatus $Command
            $v.Value -eq $Expected | Should -BeTrue
            $v -eq $Expected | Should -BeTrue
        }
    }

    It 'gives the other status when the trust is not set, with the same shape' {
        Set-TestTrust -Established $false
        try {
            $value = Get-TestStatus $Command
            $value -eq $Other | Should -BeTrue
            "$value" | Should -BeExactly $Other
        } finally { Set-TestTrust -Established $true }
    }
}
