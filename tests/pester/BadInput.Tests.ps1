# Hostile or mistaken input, one row each: the error id it must produce. None may crash, hang,
# send a request, or print the access token. The rows are data; the checks are the same for all.

BeforeDiscovery {
    $fabrikam = 'https://fabrikam-my.sharepoint.com'
    # Command: Set (MnA/Target/url unless overridden) or Connect. Id: the FullyQualifiedErrorId
    # before the comma. Binding errors are PowerShell's own ids: the command never ran.
    $script:SetCases = @(
        @{ Name = 'empty URL'; Url = ''; Id = 'ParameterArgumentValidationErrorEmptyStringNotAllowed' }
        @{ Name = 'whitespace URL'; Url = '   '; Id = 'SPOCrossTenant.PartnerUrlEmpty' }
        @{ Name = 'tab-only URL'; Url = "`t"; Id = 'SPOCrossTenant.PartnerUrlEmpty' }
        @{ Name = '$null URL (binds as empty)'; Url = $null; Id = 'ParameterArgumentValidationErrorEmptyStringNotAllowed' }
        @{ Name = 'very long URL (100k chars)'; Url = 'https://' + ('a' * 100000) + '-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'very long garbage'; Url = 'x' * 50000; Id = 'SPOCrossTenant.PartnerUrlNotAbsolute' }
        @{ Name = 'embedded NUL'; Url = "$fabrikam`0evil"; Id = 'SPOCrossTenant.TextHasNul' }
        @{ Name = 'line break inside'; Url = "https://fabrikam-my.share`npoint.com"; Id = 'SPOCrossTenant.TextHasControlCharacter' }
        @{ Name = 'lone UTF-16 surrogate'; Url = "$fabrikam/$([char]0xD800)"; Id = 'SPOCrossTenant.PartnerUrlHasPath' }
        @{ Name = 'IDN host'; Url = 'https://müller-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'user info'; Url = 'https://admin:pw@fabrikam-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlHasUserInfo' }
        @{ Name = 'explicit port'; Url = 'https://fabrikam-my.sharepoint.com:8443'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'path'; Url = "$fabrikam/personal/alex_fabrikam_com"; Id = 'SPOCrossTenant.PartnerUrlHasPath' }
        @{ Name = 'query'; Url = "$fabrikam/?x=1"; Id = 'SPOCrossTenant.PartnerUrlHasQueryOrFragment' }
        @{ Name = 'fragment'; Url = "$fabrikam/#top"; Id = 'SPOCrossTenant.PartnerUrlHasQueryOrFragment' }
        @{ Name = 'plain http'; Url = 'http://fabrikam-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotHttps' }
        @{ Name = 'ftp scheme'; Url = 'ftp://fabrikam-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotHttps' }
        @{ Name = 'javascript scheme'; Url = 'javascript:alert(1)'; Id = 'SPOCrossTenant.PartnerUrlNotAbsolute' }
        @{ Name = 'file URL'; Url = 'file:///etc/passwd'; Id = 'SPOCrossTenant.PartnerUrlNotAbsolute' }
        @{ Name = 'no scheme'; Url = 'fabrikam-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotAbsolute' }
        @{ Name = 'admin URL where the host URL belongs'; Url = 'https://fabrikam-admin.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlIsAdminUrl' }
        @{ Name = 'root site instead of host URL'; Url = 'https://fabrikam.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'look-alike host'; Url = 'https://fabrikam-my.sharepoint.com.evil.example'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'private IP address'; Url = 'https://10.1.2.3'; Id = 'SPOCrossTenant.PartnerUrlNotCrossTenantHost' }
        @{ Name = 'no tenant name before -my'; Url = 'https://-my.sharepoint.com'; Id = 'SPOCrossTenant.PartnerUrlHasNoTenantName' }
        @{ Name = 'no tenant name before -my (US government)'; Url = 'https://-my.sharepoint.us'; Id = 'SPOCrossTenant.PartnerUrlHasNoTenantName' }
        @{ Name = 'scenario None'; Scenario = 'None'; Id = 'SPOCrossTenant.ScenarioNone' }
        @{ Name = 'role None'; Role = 'None'; Id = 'SPOCrossTenant.PartnerRoleNone' }
        @{ Name = 'role 0 as integer'; Role = 0; Id = 'SPOCrossTenant.PartnerRoleNone' }
        @{ Name = 'scenario 7 as integer'; Scenario = 7; Id = 'ParameterArgumentTransformationError' }
        @{ Name = 'role -1 as integer'; Role = -1; Id = 'ParameterArgumentTransformationError' }
        @{ Name = 'unknown scenario name'; Scenario = 'Merger'; Id = 'ParameterArgumentTransformationError' }
        @{ Name = '$null scenario'; Scenario = $null; Id = 'ParameterArgumentTransformationError' }
        @{ Name = 'array of roles'; Role = @('Source', 'Target'); Id = 'ParameterArgumentTransformationError' }
    )
    $script:ConnectCases = @(
        @{ Name = 'host URL where the admin URL belongs'; Url = 'https://contoso-my.sharepoint.com'; Id = 'SPOCrossTenant.AdminUrlInvalid' }
        @{ Name = 'plain http admin URL'; Url = 'http://contoso-admin.sharepoint.com'; Id = 'SPOCrossTenant.AdminUrlInvalid' }
        @{ Name = 'admin URL with a path'; Url = 'https://contoso-admin.sharepoint.com/sites/x'; Id = 'SPOCrossTenant.AdminUrlInvalid' }
        @{ Name = 'admin URL with NUL'; Url = "https://contoso-admin.sharepoint.com`0"; Id = 'SPOCrossTenant.TextHasNul' }
        @{ Name = 'empty admin URL'; Url = ''; Id = 'ParameterArgumentValidationErrorEmptyStringNotAllowed' }
        @{ Name = 'token with a line break'; Token = "abc`ndef"; Id = 'SPOCrossTenant.AccessTokenInvalid' }
        @{ Name = 'whitespace token'; Token = '   '; Id = 'SPOCrossTenant.AccessTokenEmpty' }
        @{ Name = 'empty array as the token'; Token = @(); Id = 'SPOCrossTenant.AccessTokenInvalid' }
        @{ Name = 'array of tokens'; Token = @('a', 'b'); Id = 'SPOCrossTenant.AccessTokenInvalid' }
        @{ Name = 'no tenant name before -admin'; Url = 'https://-admin.sharepoint.com'; Id = 'SPOCrossTenant.AdminUrlHasNoTenantName' }
        @{ Name = 'no tenant name before -admin (China)'; Url = 'https://-admin.sharepoint.cn'; Id = 'SPOCrossTenant.AdminUrlHasNoTenantName' }
        @{ Name = 'client tag with CR/LF'; Extra = @{ ClientTag = "tag`r`nX-Injected: 1" }; Id = 'SPOCrossTenant.ClientTagInvalid' }
        @{ Name = 'client tag ending in a line feed'; Extra = @{ ClientTag = "tag`n" }; Id = 'SPOCrossTenant.ClientTagInvalid' }
        @{ Name = 'client tag with a tab'; Extra = @{ ClientTag = "a`tb" }; Id = 'SPOCrossTenant.ClientTagInvalid' }
        @{ Name = 'blank user name'; Credential = ' '; Id = 'SPOCrossTenant.UserNameEmpty' }
    )
}

Describe 'Bad input is refused before anything is sent' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
        . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
        Import-ModuleUnderTest
        $script:Emulator = Start-TestEmulator
        $script:Contoso = $script:Emulator.Tenants.contoso
    }
    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:Emulator
    }
    BeforeEach {
        Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken
        $script:Before = (Get-TestEmulatorStats $script:Emulator).processQuery
    }
    AfterEach {
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $script:Before -Because 'nothing may be sent'
    }

    It 'Set-SPOCrossTenantRelationship: <Name> gives <Id>' -ForEach $script:SetCases {
        $arguments = @{
            Scenario                  = if ($_.ContainsKey('Scenario')) { $_.Scenario } else { 'MnA' }
            PartnerRole               = if ($_.ContainsKey('Role')) { $_.Role } else { 'Target' }
            PartnerCrossTenantHostUrl = if ($_.ContainsKey('Url')) { $_.Url } else { 'https://fabrikam-my.sharepoint.com' }
        }
        $failure = $null
        $output = try { Set-SPOCrossTenantRelationship @arguments -Verbose -ErrorAction Stop 4>&1 } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        ($failure.FullyQualifiedErrorId -split ',')[0] | Should -Be $Id
        $failure.Exception.Message | Should -Not -BeNullOrEmpty
        ($output | Out-String) + $failure.Exception.Message + ($failure | Out-String) | Should -Not -Match ([regex]::Escape($script:Contoso.accessToken))
    }

    It 'Connect-SPOService: <Name> gives <Id>' -ForEach $script:ConnectCases {
        $arguments = @{ Url = if ($_.ContainsKey('Url')) { $_.Url } else { $script:Contoso.adminUrl } }
        if ($_.ContainsKey('Credential')) {
            # A user name and password sign-in (which would otherwise ask the identity platform).
            $arguments.Credential = [pscredential]::new($_.Credential, (ConvertTo-SecureString 'not-sent' -AsPlainText -Force))
            $arguments.AuthenticationUrl = $script:Emulator.Authority
            $arguments.WarningAction = 'SilentlyContinue'
        } elseif ($_.ContainsKey('Token')) {
            $arguments.AccessToken = $_.Token
        } else {
            $arguments.AccessToken = $script:Contoso.accessToken
        }
        if ($_.ContainsKey('Extra')) { $arguments += $_.Extra }
        $failure = $null
        # Bounded: a refusal must come at once, never as a hang.
        $clock = [System.Diagnostics.Stopwatch]::StartNew()
        try { Connect-SPOService @arguments -ErrorAction Stop } catch { $failure = $_ }
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $failure | Should -Not -BeNullOrEmpty
        ($failure.FullyQualifiedErrorId -split ',')[0] | Should -Be $Id
        ($failure | Out-String) | Should -Not -Match ([regex]::Escape($script:Contoso.accessToken))
    }
}
