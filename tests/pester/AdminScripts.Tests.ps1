# Existing admin scripts must run unchanged (issue 10). tests/admin-scripts/ holds whole scripts
# written the way admins write them for Microsoft's module: Set-StrictMode -Version Latest,
# $ErrorActionPreference = 'Stop', polling loops with a time limit, CSV reports, switch on the
# status, try/catch on $_.Exception.Message, Windows PowerShell 5.1 syntax. Each runs here, as is,
# against the emulator, and the outcome its author expects is asserted.
# Run inside scripts/rehearse.sh (Rehearsal.Tests.ps1 does), the same suite runs a second time
# against the rehearsal's emulator through its proxy: the scripts then get production URLs
# (https://contoso-my.sharepoint.com/) and the module signs in at login.microsoftonline.com.

BeforeDiscovery {
    $script:ScriptFiles = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '../admin-scripts') -Filter '*.ps1' | ForEach-Object { @{ Name = $_.Name; Path = $_.FullName } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Rehearsal.ps1')
    Import-ModuleUnderTest
    $script:Emulator = Use-TestEmulator
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:ScriptFolder = Join-Path $PSScriptRoot '../admin-scripts'
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-admin-scripts-$PID"
    $null = New-Item -ItemType Directory -Path $script:Work -Force

    function Connect-Tenant {
        param($Tenant)
        Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
    }

    function Set-BothSides {
        Connect-Tenant $script:Fabrikam
        Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
        Connect-Tenant $script:Contoso
        Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
    }

    function Invoke-AdminScript {
        # Runs the script as a scheduler would: its own scope, its own preferences; returns its
        # output lines and exit code. Errors it throws reach the test.
        param([string]$Name, [hashtable]$Parameters = @{})
        $global:LASTEXITCODE = 0
        $output = & (Join-Path $script:ScriptFolder $Name) @Parameters 3>$null
        [pscustomobject]@{ Lines = @($output | ForEach-Object { "$_" }); ExitCode = $global:LASTEXITCODE }
    }

    function Get-SignInConnection {
        # What an admin would splat to Connect-SPOService: user name and password of the tenant admin.
        param($Tenant)
        @{
            Url               = $Tenant.adminUrl
            Credential        = [pscredential]::new($Tenant.user, (ConvertTo-SecureString $Tenant.password -AsPlainText -Force))
            AuthenticationUrl = $Tenant.authority
            WarningAction     = 'SilentlyContinue'
        }
    }
}

AfterAll {
    Stop-UsedTestEmulator $script:Emulator
    Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The admin scripts parse as Windows PowerShell 5.1 scripts' {
    It '<Name> uses no syntax newer than Windows PowerShell 5.1' -ForEach $script:ScriptFiles {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
        $errors | Should -BeNullOrEmpty
        # Operators PowerShell 7 added: ternary, null-coalescing, null-conditional member access,
        # pipeline chains, and the clean block.
        $newer = @($tokens | Where-Object { $_.Kind -in 'QuestionMark', 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr', 'Clean' })
        $newer.Text | Should -BeNullOrEmpty
        $parallel = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and $n.ParameterName -in 'Parallel', 'AsHashtable', 'EnumsAsStrings' }, $true)
        @($parallel).Count | Should -Be 0
        (Get-Content -Raw -LiteralPath $Path) | Should -Match 'Set-StrictMode -Version Latest'
    }
}

Describe 'Admin scripts against the emulator' {
    BeforeEach {
        Reset-TestEmulator $script:Emulator
        Connect-Tenant $script:Contoso
    }

    It 'Wait-CrossTenantTrust.ps1 returns 0 once both sides are set' {
        Set-BothSides
        $run = Invoke-AdminScript 'Wait-CrossTenantTrust.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl; TimeoutSeconds = 10 }
        $run.ExitCode | Should -Be 0
        $run.Lines[-1] | Should -Be 'Trust is ready: migrations may start.'
        $run.Lines[0] | Should -Match 'status: GoodToProceed$'
    }

    It 'Wait-CrossTenantTrust.ps1 gives up with exit code 2 and names the last status' {
        $run = Invoke-AdminScript 'Wait-CrossTenantTrust.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl; TimeoutSeconds = 1; IntervalSeconds = 1 }
        $run.ExitCode | Should -Be 2
        $run.Lines[-1] | Should -Be 'Gave up after 1 seconds; last status was NotEstablished.'
    }

    It 'Export-TrustReport.ps1 writes the status names in the VerifyStatus column' {
        Set-BothSides
        $report = Join-Path $script:Work 'report.csv'
        $unknown = 'https://northwind-my.sharepoint.com'
        $null = Invoke-AdminScript 'Export-TrustReport.ps1' @{ PartnerHostUrls = @($script:Fabrikam.hostUrl, $unknown); ReportPath = $report }
        $rows = @(Import-Csv -LiteralPath $report)
        $rows.Count | Should -Be 2
        $rows[0].VerifyStatus | Should -BeExactly 'GoodToProceed'
        $rows[0].Ready | Should -Be 'True'
        $rows[1].VerifyStatus | Should -BeIn 'NotEstablished', 'CouldNotContactPartner'
        $rows[1].Ready | Should -Be 'False'
        Get-Content -Raw -LiteralPath $report | Should -Not -Match '@\{' -Because 'a status must never export as a hashtable text'
    }

    It 'New-TrustBothSides.ps1 signs in with a user name and password on each tenant and ends GoodToProceed' {
        $run = Invoke-AdminScript 'New-TrustBothSides.ps1' @{ SourceConnection = (Get-SignInConnection $script:Contoso); TargetConnection = (Get-SignInConnection $script:Fabrikam) }
        $run.Lines | Should -Contain "Source host: $($script:Contoso.hostUrl.TrimEnd('/'))"
        $run.Lines | Should -Contain 'Source side: GoodToProceed'
        $run.Lines | Should -Contain 'Target side: GoodToProceed'
        $run.Lines[-1] | Should -Be 'Both sides are GoodToProceed.'
    }

    It 'Get-TrustNextStep.ps1 switches on <Status>' -ForEach @(
        @{ Status = 'NotEstablished'; Setup = { }; Expected = 'NEXT: run Set-SPOCrossTenantRelationship on this tenant' }
        @{ Status = 'NotEstablishedByPartner'; Setup = { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl }; Expected = 'NEXT: ask the partner to run Set-SPOCrossTenantRelationship' }
        @{ Status = 'GoodToProceed'; Setup = { Set-BothSides }; Expected = 'NEXT: start the migration' }
    ) {
        & $Setup
        (Invoke-AdminScript 'Get-TrustNextStep.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl }).Lines | Should -Be @($Expected)
    }

    It 'Remove-CrossTenantTrust.ps1 removes the relationship and sees NotEstablished afterwards' {
        Set-BothSides
        $run = Invoke-AdminScript 'Remove-CrossTenantTrust.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl }
        $run.Lines | Should -Be @('Before: GoodToProceed', 'Removed: the relationship is NotEstablished.')
    }

    It 'Test-TrustExists.ps1 says ABSENT with no relationship and PRESENT with one' {
        $run = Invoke-AdminScript 'Test-TrustExists.ps1'
        $run.Lines | Should -Be @('ABSENT: no relationship', 'TARGETS: 0')
        Set-BothSides
        $run = Invoke-AdminScript 'Test-TrustExists.ps1'
        $run.Lines[0] | Should -Be 'PRESENT: 1 relationship(s)'
        $run.Lines[1] | Should -Match "^MnA Target $([regex]::Escape($script:Fabrikam.hostUrl.TrimEnd('/')))/?$"
        $run.Lines[-1] | Should -Be 'TARGETS: 1'
    }

    It 'Set-TrustWithLogging.ps1 logs OK, and logs the server''s message with exit code 1 when refused' {
        $log = Join-Path $script:Work 'set.log'
        Remove-Item -LiteralPath $log -ErrorAction SilentlyContinue
        (Invoke-AdminScript 'Set-TrustWithLogging.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl; LogPath = $log }).ExitCode | Should -Be 0
        # Naming its own tenant as the partner is refused by the service (MnAPartnersOnTheSameFarm).
        $run = Invoke-AdminScript 'Set-TrustWithLogging.ps1' @{ PartnerHostUrl = $script:Contoso.hostUrl; LogPath = $log }
        $run.ExitCode | Should -Be 1
        $lines = @(Get-Content -LiteralPath $log)
        $lines[0] | Should -Be "OK $($script:Fabrikam.hostUrl)"
        $lines[1] | Should -Match '^FAILED .*MnAPartnersOnTheSameFarm'
        $lines[1] | Should -Match 'TraceCorrelationId [0-9a-f-]{36}'
    }

    It 'Send-HostUrlToPartner.ps1 finds the URL in the printed output' {
        $note = Join-Path $script:Work 'note.txt'
        $run = Invoke-AdminScript 'Send-HostUrlToPartner.ps1' @{ NotePath = $note }
        $run.Lines | Should -Be @($script:Contoso.hostUrl)
        (Get-Content -LiteralPath $note)[1] | Should -BeExactly "Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $($script:Contoso.hostUrl)"
    }

    It 'Test-MigrationCompatibility.ps1 goes on when Compatible and waits (exit 3) when Incompatible' {
        $run = Invoke-AdminScript 'Test-MigrationCompatibility.ps1' @{ TargetHostUrl = $script:Fabrikam.hostUrl }
        $run.Lines | Should -Be @('Compatibility: Incompatible', 'WAIT: try again within 24 hours, then contact support.')
        $run.ExitCode | Should -Be 3
        Set-BothSides
        $run = Invoke-AdminScript 'Test-MigrationCompatibility.ps1' @{ TargetHostUrl = $script:Fabrikam.hostUrl }
        $run.Lines | Should -Be @('Compatibility: Compatible', 'GO')
        $run.ExitCode | Should -Be 0
    }

    It 'Confirm-TrustFromOutput.ps1 reads the status from Out-String, .Value and [string]' {
        Set-BothSides
        (Invoke-AdminScript 'Confirm-TrustFromOutput.ps1' @{ PartnerHostUrl = $script:Fabrikam.hostUrl }).Lines |
            Should -Be @('printed=GoodToProceed value=True text=True string=GoodToProceed', 'CONFIRMED')
    }

    It 'Test-AllRelationships.ps1 verifies every relationship into a CSV' {
        Set-BothSides
        $report = Join-Path $script:Work 'all.csv'
        $run = Invoke-AdminScript 'Test-AllRelationships.ps1' @{ ReportPath = $report }
        $run.Lines | Should -Be @('1 relationship(s) checked, 1 ready')
        $rows = @(Import-Csv -LiteralPath $report)
        $rows[0].Status | Should -BeExactly 'GoodToProceed'
        $rows[0].Role | Should -BeExactly 'Target'
    }

    It 'Invoke-TrustBatch.ps1 keeps going past a refused partner' {
        $run = Invoke-AdminScript 'Invoke-TrustBatch.ps1' @{ PartnerHostUrls = @($script:Contoso.hostUrl, $script:Fabrikam.hostUrl) }
        $run.Lines[0] | Should -Match "^FAILED $([regex]::Escape($script:Contoso.hostUrl)): .*MnAPartnersOnTheSameFarm"
        $run.Lines[1] | Should -Be "OK $($script:Fabrikam.hostUrl)"
        $run.Lines[2] | Should -Be '1 failed'
    }
}

Describe 'Admin scripts see the URLs of where they run' {
    # Production names in a rehearsal, the emulator's listener otherwise; both runs assert their own.
    BeforeEach {
        Reset-TestEmulator $script:Emulator
        Connect-Tenant $script:Contoso
    }

    It 'gets https://contoso-my.sharepoint.com/ and no 127.0.0.1 in a rehearsal, the listener''s URLs otherwise' {
        $urls = @($script:Contoso.adminUrl, $script:Contoso.hostUrl, $script:Fabrikam.hostUrl, $script:Contoso.authority)
        if (Test-InRehearsal) {
            $urls | Should -Be @('https://contoso-admin.sharepoint.com', 'https://contoso-my.sharepoint.com/', 'https://fabrikam-my.sharepoint.com/', 'https://login.microsoftonline.com')
            ($script:Emulator.Tenants | ConvertTo-Json -Depth 6) | Should -Not -Match '127\.0\.0\.1|localhost'
        } else {
            $urls | ForEach-Object { $_ | Should -BeLike "$($script:Emulator.BaseUrl)*" }
        }
    }

    It 'Write-HostUrlHandover.ps1 finds the host URL with https?://[^\s/]+\.sharepoint\.com only at the real names' {
        if (Test-InRehearsal) {
            (Invoke-AdminScript 'Write-HostUrlHandover.ps1').Lines |
                Should -Be @('Partner command: Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl https://contoso-my.sharepoint.com')
        } else {
            # What a rehearsal without the proxy could not do: the pattern finds nothing on 127.0.0.1.
            { Invoke-AdminScript 'Write-HostUrlHandover.ps1' } | Should -Throw "No SharePoint Online host URL in: $($script:Contoso.hostUrl)"
        }
    }

    It 'sends every request of the module through the proxy in a rehearsal, to the listener otherwise' {
        $null = Get-SPOCrossTenantHostUrl
        $lines = @(Get-Content -LiteralPath $script:Emulator.Log | Where-Object { $_ -match ' ProcessQuery\[' })
        $lines | Should -Not -BeNullOrEmpty
        if (Test-InRehearsal) {
            $lines | ForEach-Object { $_ | Should -Match ' host=(contoso|fabrikam)-admin\.sharepoint\.com$' }
            @(Get-Content -LiteralPath $script:Emulator.Log) -match ' CONNECT contoso proxy 200 - host=contoso-admin\.sharepoint\.com:443$' | Should -Not -BeNullOrEmpty
        } else {
            $lines | ForEach-Object { $_ | Should -Not -Match ' host=' }
        }
    }
}
