# Sign-in: the parameter contract of Connect-SPOService and Get-SPOCrossTenantConnection, and every
# way to sign in end to end against the emulator's identity endpoints (device code, password,
# certificate from PEM, PFX, object and store, managed identity, access token), their failures as
# ErrorRecords with stable ids, token renewal across an expiry, and cancelling a device code wait.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest -WithPrivateCode

    $script:AppId = '11111111-2222-3333-4444-555555555555'
    $script:DefaultClientId = '9bc3ab49-b65d-410a-85ad-de819febfddc'
    $script:AuthData = Join-Path $script:RepoRoot 'src/auth/testdata'
    $script:EmulatorData = Join-Path $script:RepoRoot 'emulator/tests/data'
    $script:Thumbprint = '4066B9094E73136A10842E84CD1567689EC0A012'
    $script:Connect = ',Connect-SPOService'

    function Start-SignInEmulator {
        # The shared emulator, with a registered app for certificate sign-in and instant device-code polling.
        param([string[]]$ExtraArgument = @())
        Start-TestEmulator -ExtraArgument (@('--app', "$script:AppId=$(Join-Path $script:EmulatorData 'cert.pem')", '--device-code-interval', '0s') + $ExtraArgument)
    }

    function New-TestCredential {
        param($Tenant, [string]$Password = $Tenant.password)
        [pscredential]::new($Tenant.user, (ConvertTo-SecureString -String $Password -AsPlainText -Force))
    }

    function Get-PendingDeviceCode {
        param($Emulator)
        @((Invoke-RestMethod -Uri "$($Emulator.BaseUrl)/_emulator/device-codes").deviceCodes | ForEach-Object userCode)
    }

    function Start-DeviceCodeDecision {
        # In another runspace: waits for a device code that is not in $Ignore, then approves or denies
        # it through the emulator's control endpoint, and returns its user code.
        param($Emulator, [string]$Action, [string[]]$Ignore = @(Get-PendingDeviceCode $Emulator))
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($BaseUrl, $Action, $Ignore)
                $deadline = [datetime]::UtcNow.AddSeconds(20)
                while ([datetime]::UtcNow -lt $deadline) {
                    $codes = @((Invoke-RestMethod -Uri "$BaseUrl/_emulator/device-codes").deviceCodes | ForEach-Object userCode | Where-Object { $_ -notin $Ignore })
                    if ($codes) {
                        $null = Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/device-codes/$($codes[0])/$Action"
                        return $codes[0]
                    }
                    Start-Sleep -Milliseconds 50
                }
                throw 'No device code was requested within 20 s.'
            }).AddArgument($Emulator.BaseUrl).AddArgument($Action).AddArgument($Ignore)
        [pscustomobject]@{ Shell = $shell; Pending = $shell.BeginInvoke() }
    }

    function Complete-DeviceCodeDecision {
        param($Decision)
        try { @($Decision.Shell.EndInvoke($Decision.Pending))[0] } finally { $Decision.Shell.Dispose() }
    }

    function Get-SignInCount {
        param($Emulator, [string]$Grant)
        $count = (Invoke-RestMethod -Uri "$($Emulator.BaseUrl)/_emulator/stats").signIns.$Grant
        if ($count) { [int]$count } else { 0 }
    }

    function New-TestJwt {
        # An unsigned token with the given claims; the engine reads claims without checking signatures.
        param([hashtable]$Claims)
        $encode = { param($text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($text)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        "$(& $encode '{"alg":"none","typ":"JWT"}').$(& $encode ($Claims | ConvertTo-Json -Compress)).c2ln"
    }
}

Describe 'The contract of Connect-SPOService' {
    BeforeAll {
        $script:Command = Get-Command -Name Connect-SPOService -Module SPOCrossTenant
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $script:Own = @($script:Command.Parameters.Keys | Where-Object { $_ -notin $common })
        $shared = @{ Url = $true; ClientTag = $false; TimeoutSeconds = $false; MaxRetryAttempts = $false; MaxRetrySeconds = $false }
        $user = @{ ClientId = $false; TenantId = $false; Region = $false; AuthenticationUrl = $false; ModernAuth = $false; UseSystemBrowser = $false }
        $app = @{ ClientId = $true; TenantId = $true; Region = $false; AuthenticationUrl = $false }
        # Parameter set -> parameter -> mandatory.
        $script:Sets = @{
            DeviceCode            = $shared + $user
            Credential            = $shared + $user + @{ Credential = $true }
            CertificatePath       = $shared + $app + @{ CertificatePath = $true; CertificatePassword = $false }
            Certificate           = $shared + $app + @{ Certificate = $true }
            CertificateThumbprint = $shared + $app + @{ CertificateThumbprint = $true }
            ClientSecret          = $shared + @{ ClientId = $false; TenantId = $false; Region = $false; AuthenticationUrl = $false; ClientSecret = $true }
            AccessToken           = $shared + @{ AccessToken = $true }
            ManagedIdentity       = $shared + @{ ManagedIdentity = $true; ManagedIdentityClientId = $false }
        }
    }

    It 'has the parameter sets DeviceCode (the default), Credential, CertificatePath, Certificate, CertificateThumbprint, ClientSecret, AccessToken and ManagedIdentity' {
        @($script:Command.ParameterSets.Name | Sort-Object) | Should -Be @($script:Sets.Keys | Sort-Object)
        $script:Command.DefaultParameterSet | Should -Be 'DeviceCode'
    }

    It 'has exactly the parameters and mandatory flags of set <_>' -ForEach @('DeviceCode', 'Credential', 'CertificatePath', 'Certificate', 'CertificateThumbprint', 'ClientSecret', 'AccessToken', 'ManagedIdentity') {
        $set = $script:Command.ParameterSets | Where-Object Name -EQ $_
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $actual = @{}
        foreach ($parameter in $set.Parameters | Where-Object Name -NotIn $common) { $actual[$parameter.Name] = $parameter.IsMandatory }
        @($actual.Keys | Sort-Object) | Should -Be @($script:Sets[$_].Keys | Sort-Object)
        foreach ($name in $script:Sets[$_].Keys) { $actual[$name] | Should -Be $script:Sets[$_][$name] -Because "-$name in set $_" }
    }

    It 'types -<Name> as <Type>' -ForEach @(
        @{ Name = 'Url'; Type = 'System.String' }
        @{ Name = 'ClientId'; Type = 'System.String' }
        @{ Name = 'TenantId'; Type = 'System.String' }
        @{ Name = 'Region'; Type = 'System.String' }
        @{ Name = 'AuthenticationUrl'; Type = 'System.String' }
        @{ Name = 'Credential'; Type = 'System.Management.Automation.PSCredential' }
        @{ Name = 'CertificatePath'; Type = 'System.String' }
        @{ Name = 'CertificatePassword'; Type = 'System.Security.SecureString' }
        @{ Name = 'Certificate'; Type = 'System.Security.Cryptography.X509Certificates.X509Certificate2' }
        @{ Name = 'CertificateThumbprint'; Type = 'System.String' }
        @{ Name = 'ClientSecret'; Type = 'System.Object' }
        @{ Name = 'AccessToken'; Type = 'System.Object' }
        @{ Name = 'ManagedIdentity'; Type = 'System.Management.Automation.SwitchParameter' }
        @{ Name = 'ManagedIdentityClientId'; Type = 'System.String' }
        @{ Name = 'ModernAuth'; Type = 'System.Boolean' }
        @{ Name = 'UseSystemBrowser'; Type = 'System.Boolean' }
        @{ Name = 'ClientTag'; Type = 'System.String' }
        @{ Name = 'TimeoutSeconds'; Type = 'System.Int32' }
        @{ Name = 'MaxRetryAttempts'; Type = 'System.Int32' }
        @{ Name = 'MaxRetrySeconds'; Type = 'System.Int32' }
    ) {
        $script:Command.Parameters[$Name].ParameterType.FullName | Should -Be $Type
    }

    It 'has no parameters beyond the contracted ones, no aliases, and none from the pipeline' {
        $all = @($script:Sets.Values | ForEach-Object { $_.Keys }) | Sort-Object -Unique
        @($script:Own | Sort-Object) | Should -Be @($all)
        foreach ($name in $script:Own) {
            $script:Command.Parameters[$name].Aliases | Should -BeNullOrEmpty
            $script:Command.Parameters[$name].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] } |
                ForEach-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } | Should -Not -Contain $true
        }
    }

    It 'takes -Url at position 0 in every set and everything else by name' {
        foreach ($set in $script:Command.ParameterSets) {
            foreach ($parameter in $set.Parameters | Where-Object Name -In $script:Own) {
                $expected = if ($parameter.Name -eq 'Url') { 0 } else { [int]::MinValue }
                $parameter.Position | Should -Be $expected -Because "-$($parameter.Name) in set $($set.Name)"
            }
        }
    }

    It 'limits -Region to the real cmdlet''s names' {
        $validateSet = $script:Command.Parameters.Region.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $validateSet.ValidValues | Should -Be @('Default', 'ITAR', 'Germany', 'China')
        { Connect-SPOService -Url https://contoso-admin.sharepoint.com -Region Mars } |
            Should -Throw -ErrorId "ParameterArgumentValidationError$script:Connect"
    }

    It 'limits -MaxRetryAttempts to 1..100 and -MaxRetrySeconds to 0..86400' {
        $attempts = $script:Command.Parameters.MaxRetryAttempts.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        $attempts.MinRange, $attempts.MaxRange | Should -Be @(1, 100)
        $seconds = $script:Command.Parameters.MaxRetrySeconds.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] }
        $seconds.MinRange, $seconds.MaxRange | Should -Be @(0, 86400)
    }

    It 'binds the <Set> set for: <Given>' -ForEach @(
        @{ Given = '-Url only'; Arguments = @{}; Set = 'DeviceCode' }
        @{ Given = '-ClientId, -TenantId'; Arguments = @{ ClientId = '11111111-2222-3333-4444-555555555555'; TenantId = 'contoso.onmicrosoft.com' }; Set = 'DeviceCode' }
        @{ Given = '-ModernAuth, -UseSystemBrowser, -AuthenticationUrl'; Arguments = @{ ModernAuth = $true; UseSystemBrowser = $true; AuthenticationUrl = 'https://login.microsoftonline.us' }; Set = 'DeviceCode' }
        @{ Given = '-Credential'; Arguments = @{ Credential = [pscredential]::new('a@b.c', [securestring]::new()) }; Set = 'Credential' }
        @{ Given = '-ClientId, -TenantId, -CertificatePath'; Arguments = @{ ClientId = 'x'; TenantId = 'y'; CertificatePath = './a.pfx' }; Set = 'CertificatePath' }
        @{ Given = '-ClientId, -TenantId, -CertificateThumbprint'; Arguments = @{ ClientId = 'x'; TenantId = 'y'; CertificateThumbprint = 'ab' }; Set = 'CertificateThumbprint' }
        @{ Given = '-ClientId, -TenantId, -ClientSecret'; Arguments = @{ ClientId = 'x'; TenantId = 'y'; ClientSecret = 's' }; Set = 'ClientSecret' }
        @{ Given = '-AccessToken'; Arguments = @{ AccessToken = 't' }; Set = 'AccessToken' }
        @{ Given = '-ManagedIdentity'; Arguments = @{ ManagedIdentity = $true }; Set = 'ManagedIdentity' }
    ) {
        # A function with Connect-SPOService's exact binding that only reports the parameter set
        # PowerShell resolved: real binding, without signing in.
        $metadata = [System.Management.Automation.CommandMetadata]::new($script:Command)
        $probe = [scriptblock]::Create(([System.Management.Automation.ProxyCommand]::GetCmdletBindingAttribute($metadata)) +
            "`nparam(" + [System.Management.Automation.ProxyCommand]::GetParamBlock($metadata) + ")`n`$PSCmdlet.ParameterSetName")
        $arguments = @{ Url = 'https://contoso-admin.sharepoint.com' } + $Arguments
        & $probe @arguments | Should -Be $Set
    }

    It 'documents every parameter, the default client id, and an example for each way to sign in' {
        $help = Get-Help -Name Connect-SPOService -Full
        foreach ($name in $script:Own) {
            $entry = $help.Parameters.Parameter | Where-Object Name -EQ $name
            ($entry.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
        $description = $help.Description.Text -join ' '
        $description | Should -Match '9bc3ab49-b65d-410a-85ad-de819febfddc'
        $description | Should -Match 'SharePoint Online Management Shell'
        $examples = ($help.Examples.Example | ForEach-Object { $_.Code }) -join "`n"
        foreach ($way in '-Credential', '-CertificatePath', '\.pem', '-Certificate \$', '-CertificateThumbprint', '-ManagedIdentity', '-AccessToken', '-Region', '-AuthenticationUrl') {
            $examples | Should -Match $way
        }
        $examples | Should -Match '(?m)^Connect-SPOService -Url https://contoso-admin.sharepoint.com\s*$' -Because 'the device code example has no credential'
        foreach ($example in $help.Examples.Example) { ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty }
    }
}

Describe 'The contract of Get-SPOCrossTenantConnection' {
    BeforeAll { $script:GetCommand = Get-Command -Name Get-SPOCrossTenantConnection -Module SPOCrossTenant }

    It 'is exported by the manifest and the module' {
        (Import-PowerShellDataFile -LiteralPath $script:ModuleManifest).FunctionsToExport | Should -Contain 'Get-SPOCrossTenantConnection'
        (Get-Module SPOCrossTenant).ExportedFunctions.Keys | Should -Contain 'Get-SPOCrossTenantConnection'
    }

    It 'takes no parameters of its own and declares SPOCrossTenant.Connection output' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        @($script:GetCommand.Parameters.Keys | Where-Object { $_ -notin $common }) | Should -BeNullOrEmpty
        $script:GetCommand.OutputType.Name | Should -Be 'SPOCrossTenant.Connection'
    }

    It 'is documented, with examples' {
        $help = Get-Help -Name Get-SPOCrossTenantConnection -Full
        ($help.Description.Text -join ' ') | Should -Match 'never shows the access token'
        @($help.Examples.Example).Count | Should -BeGreaterThan 1
    }

    It 'writes a non-terminating NotConnected error and nothing else when there is no connection' {
        Disconnect-SPOService
        $output = Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue -ErrorVariable problems
        $output | Should -BeNullOrEmpty
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.NotConnected,Get-SPOCrossTenantConnection'
        $problems[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        { Get-SPOCrossTenantConnection -ErrorAction Stop } | Should -Throw -ErrorId 'SPOCrossTenant.NotConnected,Get-SPOCrossTenantConnection'
    }
}

Describe 'Signing in against the emulator' {
    BeforeAll {
        $script:Emulator = Start-SignInEmulator -ExtraArgument @('--mfa-user', 'admin@fabrikam.onmicrosoft.com')
        $script:Contoso = $script:Emulator.Tenants.contoso
        $script:Fabrikam = $script:Emulator.Tenants.fabrikam
        $script:Authority = $script:Emulator.Authority
        $script:At = @{ Url = $script:Contoso.adminUrl; AuthenticationUrl = $script:Authority }
        $script:App = $script:At + @{ ClientId = $script:AppId; TenantId = $script:Contoso.domain }
        $script:PfxPassword = ConvertTo-SecureString -String 'test-password' -AsPlainText -Force
        $script:PemPath = Join-Path $TestDrive 'cert-and-key.pem'
        [System.IO.File]::WriteAllText($script:PemPath, [System.IO.File]::ReadAllText((Join-Path $script:AuthData 'cert.pem')) + [System.IO.File]::ReadAllText((Join-Path $script:AuthData 'key.pem')))
        $script:ModuleForShell = $script:ModuleManifest
    }

    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:Emulator
    }

    AfterEach { Disconnect-SPOService }

    Context 'Device code (the default)' {
        It 'shows the instruction on the host (information stream, not the pipeline) and connects once approved' {
            $decision = Start-DeviceCodeDecision $script:Emulator approve
            $records = Connect-SPOService @script:At -ClientTag 'wave-3' 6>&1
            $userCode = Complete-DeviceCodeDecision $decision
            $prompt = @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })
            @($records | Where-Object { $_ -isnot [System.Management.Automation.InformationRecord] }) | Should -BeNullOrEmpty -Because 'nothing goes to the pipeline'
            $prompt.Count | Should -Be 1
            $prompt[0].Tags | Should -Contain 'PSHOST' -Because 'it is written to the host, visible without -Verbose'
            "$($prompt[0].MessageData)" | Should -Match ([regex]::Escape("$script:Authority/devicelogin"))
            "$($prompt[0].MessageData)" | Should -Match $userCode
            "$($prompt[0].MessageData)" | Should -Not -Match '^DeviceCode: '
            $connection = Get-SPOCrossTenantConnection
            $connection.Method | Should -Be 'DeviceCode'
            $connection.Account | Should -Be $script:Contoso.user
            $connection.AppId | Should -Be $script:DefaultClientId -Because 'the SharePoint Online Management Shell client id is the default'
            $connection.CanRenew | Should -BeTrue
            $connection.ClientTag | Should -Be 'wave-3'
            { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Not -Throw
        }

        It 'accepts -ModernAuth $true -UseSystemBrowser $true and an authority with /organizations, as scripts for the real cmdlet pass them' {
            $decision = Start-DeviceCodeDecision $script:Emulator approve
            $null = Connect-SPOService -Url $script:Contoso.adminUrl -ModernAuth $true -UseSystemBrowser $true -AuthenticationUrl "$script:Authority/organizations" 6>&1
            $null = Complete-DeviceCodeDecision $decision
            (Get-SPOCrossTenantConnection).Method | Should -Be 'DeviceCode'
        }

        It 'fails with SignInDeclined when the sign-in is denied' {
            $decision = Start-DeviceCodeDecision $script:Emulator deny
            $thrown = { Connect-SPOService @script:At 6>$null } | Should -Throw -ErrorId "SPOCrossTenant.SignInDeclined$script:Connect" -PassThru
            $null = Complete-DeviceCodeDecision $decision
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $thrown.ErrorDetails.RecommendedAction | Should -Match 'approve'
        }

        It 'stops waiting within 2 s when the pipeline is stopped (Ctrl+C), stops polling, and leaves a usable session' {
            $shell = [powershell]::Create()
            $ignore = @(Get-PendingDeviceCode $script:Emulator)
            try {
                $null = $shell.AddScript({
                        param($Manifest, $Tenant, $Authority)
                        Import-Module $Manifest
                        Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
                        Connect-SPOService -Url $Tenant.adminUrl -AuthenticationUrl $Authority
                        'FINISHED'
                    }).AddArgument($script:ModuleForShell).AddArgument($script:Contoso).AddArgument($script:Authority)
                $pending = $shell.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while (-not @(Get-PendingDeviceCode $script:Emulator | Where-Object { $_ -notin $ignore }) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
                $code = @(Get-PendingDeviceCode $script:Emulator | Where-Object { $_ -notin $ignore })
                $code.Count | Should -Be 1 -Because 'the sign-in must be waiting before we stop it'
                Start-Sleep -Milliseconds 1500 # at least one poll of the token endpoint
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $shell.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'the wait happens in short slices and is cancelled'
                $shell.InvocationStateInfo.State | Should -Be 'Stopped'
                $pending.IsCompleted | Should -BeTrue
                $shell.Streams.Information.MessageData -join ' ' | Should -Match $code[0] -Because 'the instruction was shown before the stop'

                $polls = Get-SignInCount $script:Emulator device_code
                $polls | Should -BeGreaterThan 0
                Start-Sleep -Milliseconds 2500
                Get-SignInCount $script:Emulator device_code | Should -Be $polls -Because 'nothing keeps polling after the cancel'

                # The same session: the cancelled sign-in closed the previous connection, and connecting works.
                $shell.Commands.Clear()
                $null = $shell.AddScript({
                        param($Tenant)
                        $before = Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue
                        Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
                        [pscustomobject]@{ Before = $before; After = Get-SPOCrossTenantConnection }
                    }).AddArgument($script:Contoso)
                $after = $shell.Invoke()
                $after[0].Before | Should -BeNullOrEmpty -Because 'a cancelled sign-in closes the previous connection'
                $after[0].After.Method | Should -Be 'AccessToken'
            } finally {
                $shell.Dispose()
                foreach ($stale in @(Get-PendingDeviceCode $script:Emulator)) {
                    $null = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.BaseUrl)/_emulator/device-codes/$stale/deny"
                }
            }
        }
    }

    Context 'User name and password (-Credential)' {
        It 'signs in, warns that MFA and Conditional Access accounts cannot, and works' {
            $output = Connect-SPOService @script:At -Credential (New-TestCredential $script:Contoso) -WarningVariable warnings -WarningAction SilentlyContinue
            $output | Should -BeNullOrEmpty
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'multi-factor authentication'
            "$($warnings[0])" | Should -Match 'Conditional Access'
            $connection = Get-SPOCrossTenantConnection
            $connection.Method | Should -Be 'Password'
            $connection.Account | Should -Be $script:Contoso.user
            Get-SignInCount $script:Emulator password | Should -BeGreaterThan 0
            { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Not -Throw
        }

        It 'fails with InvalidCredentials for a wrong password, still warning, and closes the previous connection' {
            Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken
            $thrown = $null
            try { Connect-SPOService @script:At -Credential (New-TestCredential $script:Contoso 'wrong-password') -WarningVariable warnings -WarningAction SilentlyContinue }
            catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be "SPOCrossTenant.InvalidCredentials$script:Connect"
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $thrown.Exception.Message | Should -Match 'AADSTS50126'
            $thrown.Exception.CorrelationId | Should -Match '^[0-9a-f-]{36}$'
            $thrown.ErrorDetails.RecommendedAction | Should -Not -Match 'access token' -Because 'the advice for pasted tokens does not fit'
            $warnings.Count | Should -Be 1
            Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'fails with MfaRequired for an account that must use MFA' {
            $thrown = { Connect-SPOService -Url $script:Fabrikam.adminUrl -AuthenticationUrl $script:Authority -Credential (New-TestCredential $script:Fabrikam) -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.MfaRequired$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            "$($thrown.Exception.Message) $($thrown.ErrorDetails.RecommendedAction)" | Should -Match 'without -Credential'
        }

        It 'fails with WrongTenant, aimed at -TenantId, for a tenant that does not exist' {
            $thrown = { Connect-SPOService @script:At -TenantId nowhere.onmicrosoft.com -Credential (New-TestCredential $script:Contoso) -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.WrongTenant$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.Exception.ParamName | Should -Be 'TenantId'
            $thrown.TargetObject | Should -Be 'nowhere.onmicrosoft.com'
        }

        It 'fails with ResourceNotFound, aimed at -Url, for the admin site of another tenant' {
            $thrown = { Connect-SPOService -Url $script:Fabrikam.adminUrl -AuthenticationUrl $script:Authority -TenantId $script:Contoso.domain -Credential (New-TestCredential $script:Contoso) -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.ResourceNotFound$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.Exception.ParamName | Should -Be 'Url'
            $thrown.TargetObject | Should -Be $script:Fabrikam.adminUrl
        }
    }

    Context 'App-only with a certificate' {
        It 'signs in with a PEM file that holds the certificate and its key' {
            Connect-SPOService @script:App -CertificatePath $script:PemPath
            $connection = Get-SPOCrossTenantConnection
            $connection.Method | Should -Be 'Certificate'
            $connection.AppId | Should -Be $script:AppId
            $connection.CertificateThumbprint | Should -Be $script:Thumbprint
            $connection.Account | Should -BeNullOrEmpty
            { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Not -Throw
        }

        It 'signs in with a password-protected PFX file given by a relative path (<Name>)' -ForEach @(
            @{ Name = 'cert.pfx' }
            @{ Name = 'cert-3des.pfx' }
        ) {
            Push-Location $script:AuthData
            try { Connect-SPOService @script:App -CertificatePath "./$Name" -CertificatePassword $script:PfxPassword } finally { Pop-Location }
            (Get-SPOCrossTenantConnection).CertificateThumbprint | Should -Be $script:Thumbprint
        }

        It 'signs in with an X509Certificate2 object that has its private key' {
            $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $script:AuthData 'cert.pfx'), 'test-password',
                [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::Exportable)
            try {
                Connect-SPOService @script:App -Certificate $certificate
                (Get-SPOCrossTenantConnection).CertificateThumbprint | Should -Be $script:Thumbprint
                { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Not -Throw
            } finally { $certificate.Dispose() }
        }

        It 'signs in with a certificate from the CurrentUser\My store, found by its thumbprint' -Skip:(-not $IsLinux) {
            # In a child process whose HOME is a temporary folder, so the test store is thrown away.
            $homeFolder = Join-Path $TestDrive 'home'
            $null = New-Item -ItemType Directory -Path $homeFolder
            $data = @{ Manifest = $script:ModuleManifest; Pfx = (Join-Path $script:AuthData 'cert.pfx'); Url = $script:Contoso.adminUrl
                Authority = $script:Authority; AppId = $script:AppId; Tenant = $script:Contoso.domain } | ConvertTo-Json -Compress
            $command = @'
$ErrorActionPreference = 'Stop'
$data = $env:SPO_SIGNIN_TEST | ConvertFrom-Json
$pfx = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($data.Pfx, 'test-password', 'Exportable, PersistKeySet')
$store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', 'CurrentUser'); $store.Open('ReadWrite'); $store.Add($pfx); $store.Dispose()
Import-Module $data.Manifest
$spaced = ($pfx.Thumbprint.ToLowerInvariant() -split '(..)' | Where-Object { $_ }) -join ' '
Connect-SPOService -Url $data.Url -AuthenticationUrl $data.Authority -ClientId $data.AppId -TenantId $data.Tenant -CertificateThumbprint $spaced
'THUMBPRINT=' + (Get-SPOCrossTenantConnection).CertificateThumbprint
'@
            $output = Invoke-ChildPwsh -Command $command -Environment @{ HOME = $homeFolder; SPO_SIGNIN_TEST = $data; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; XDG_CACHE_HOME = $null }
            $output | Should -Contain "THUMBPRINT=$script:Thumbprint" -Because ($output -join "`n")
        }

        It 'fails with CertificateNotFound, aimed at the thumbprint, when no store holds it' {
            $thrown = { Connect-SPOService @script:App -CertificateThumbprint '00112233445566778899AABBCCDDEEFF00112233' } |
                Should -Throw -ErrorId "SPOCrossTenant.CertificateNotFound$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.Exception.Message | Should -Match '00112233445566778899AABBCCDDEEFF00112233'
            $thrown.Exception.Message | Should -Match 'CurrentUser|no certificate store'
            $thrown.TargetObject | Should -Be '00112233445566778899AABBCCDDEEFF00112233'
        }

        It 'fails with CertificateThumbprintInvalid for something that is not a thumbprint' {
            { Connect-SPOService @script:App -CertificateThumbprint 'not-a-thumbprint' } |
                Should -Throw -ErrorId "SPOCrossTenant.CertificateThumbprintInvalid$script:Connect"
        }

        It 'fails with <Id> (<Case>)' -ForEach @(
            @{ Case = 'PFX with a wrong password'; Id = 'CertificatePasswordWrong'; File = 'cert.pfx'; Password = 'wrong'; Parameter = 'CertificatePassword'; Category = 'InvalidArgument' }
            @{ Case = 'PFX without its password'; Id = 'CertificatePasswordRequired'; File = 'cert.pfx'; Password = $null; Parameter = 'CertificatePassword'; Category = 'InvalidArgument' }
            @{ Case = 'PEM without a private key'; Id = 'PrivateKeyMissing'; File = 'cert.pem'; Password = $null; Parameter = 'CertificatePath'; Category = 'InvalidArgument' }
            @{ Case = 'a file that is no certificate'; Id = 'CertificateUnreadable'; File = 'README.md'; Password = $null; Parameter = 'CertificatePath'; Category = 'InvalidArgument' }
            @{ Case = 'a file that does not exist'; Id = 'CertificateFileNotFound'; File = 'missing.pfx'; Password = $null; Parameter = 'CertificatePath'; Category = 'ObjectNotFound' }
        ) {
            $options = @{}
            if ($Password) { $options.CertificatePassword = ConvertTo-SecureString -String $Password -AsPlainText -Force }
            $path = Join-Path $script:AuthData $File
            $thrown = { Connect-SPOService @script:App -CertificatePath $path @options } | Should -Throw -ErrorId "SPOCrossTenant.$Id$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be $Category
            $thrown.Exception.ParamName | Should -Be $Parameter
            if ($Parameter -eq 'CertificatePath') { $thrown.TargetObject | Should -Be $path } else { $thrown.TargetObject | Should -BeNullOrEmpty -Because 'never the password' }
        }

        It 'fails with CertificatePrivateKeyMissing for a certificate object without its key' {
            $certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPem([System.IO.File]::ReadAllText((Join-Path $script:AuthData 'cert.pem')))
            $thrown = { Connect-SPOService @script:App -Certificate $certificate } | Should -Throw -ErrorId "SPOCrossTenant.CertificatePrivateKeyMissing$script:Connect" -PassThru
            $thrown.Exception.ParamName | Should -Be 'Certificate'
            $thrown.TargetObject | Should -Be $script:Thumbprint
        }

        It 'fails with CertificateRejected for a certificate the app does not have' {
            $rsa = [System.Security.Cryptography.RSA]::Create(2048)
            try {
                $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=not registered', $rsa, 'SHA256', [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
                $other = $request.CreateSelfSigned([datetimeoffset]::UtcNow.AddDays(-1), [datetimeoffset]::UtcNow.AddDays(1))
                $thrown = { Connect-SPOService @script:App -Certificate $other } | Should -Throw -ErrorId "SPOCrossTenant.CertificateRejected$script:Connect" -PassThru
                $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
                $thrown.Exception.Message | Should -Match 'AADSTS700027'
                $thrown.ErrorDetails.RecommendedAction | Should -Match 'Certificates & secrets'
            } finally { $rsa.Dispose() }
        }

        It 'fails with AppNotFound, aimed at -ClientId, for an app that is not registered' {
            $thrown = { Connect-SPOService @script:At -ClientId 99999999-2222-3333-4444-555555555555 -TenantId $script:Contoso.domain -CertificatePath $script:PemPath } |
                Should -Throw -ErrorId "SPOCrossTenant.AppNotFound$script:Connect" -PassThru
            $thrown.Exception.ParamName | Should -Be 'ClientId'
            $thrown.TargetObject | Should -Be '99999999-2222-3333-4444-555555555555'
        }

        It 'refuses -ClientSecret with an explanation, sending nothing' {
            $before = (Invoke-RestMethod -Uri "$($script:Emulator.BaseUrl)/_emulator/stats").requests
            $thrown = { Connect-SPOService @script:App -ClientSecret 'a-client-secret' } | Should -Throw -ErrorId "SPOCrossTenant.ClientSecretNotSupported$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.Exception.Message | Should -Match 'SharePoint Online does not accept app-only tokens obtained with a client secret'
            $thrown.Exception.Message | Should -Match '-CertificatePath'
            $thrown.Exception.ParamName | Should -Be 'ClientSecret'
            (Invoke-RestMethod -Uri "$($script:Emulator.BaseUrl)/_emulator/stats").requests | Should -Be $before
        }
    }

    Context 'Managed identity' {
        BeforeEach {
            $script:SavedIdentity = @{}
            foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'MSI_SECRET') {
                $script:SavedIdentity[$name] = [Environment]::GetEnvironmentVariable($name)
                [Environment]::SetEnvironmentVariable($name, $null)
            }
        }
        AfterEach {
            foreach ($name in $script:SavedIdentity.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedIdentity[$name]) }
        }

        It 'signs in with the endpoint and header set with $env: in PowerShell (which native code does not see)' {
            $env:IDENTITY_ENDPOINT = $script:Emulator.ManagedIdentity.endpoint
            $env:IDENTITY_HEADER = $script:Emulator.ManagedIdentity.header
            Connect-SPOService -Url $script:Contoso.adminUrl -ManagedIdentity
            $connection = Get-SPOCrossTenantConnection
            $connection.Method | Should -Be 'ManagedIdentity'
            $connection.AppId | Should -Be $script:Emulator.ManagedIdentity.clientId
            $connection.CanRenew | Should -BeTrue
            Get-SignInCount $script:Emulator managed_identity | Should -BeGreaterThan 0
            { Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Not -Throw
        }

        It 'signs in with a user-assigned identity and the deprecated MSI_ENDPOINT and MSI_SECRET names' {
            $env:MSI_ENDPOINT = $script:Emulator.ManagedIdentity.endpoint
            $env:MSI_SECRET = $script:Emulator.ManagedIdentity.header
            Connect-SPOService -Url $script:Contoso.adminUrl -ManagedIdentity -ManagedIdentityClientId $script:Emulator.ManagedIdentity.clientId
            (Get-SPOCrossTenantConnection).Method | Should -Be 'ManagedIdentity'
        }

        It 'fails with ManagedIdentityFailed when the endpoint refuses the header' {
            $env:IDENTITY_ENDPOINT = $script:Emulator.ManagedIdentity.endpoint
            $env:IDENTITY_HEADER = 'not-the-header'
            $thrown = { Connect-SPOService -Url $script:Contoso.adminUrl -ManagedIdentity } | Should -Throw -ErrorId "SPOCrossTenant.ManagedIdentityFailed$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }

        It 'fails with ManagedIdentityUnavailable where there is no managed identity' {
            $thrown = { Connect-SPOService -Url $script:Contoso.adminUrl -ManagedIdentity } | Should -Throw -ErrorId "SPOCrossTenant.ManagedIdentityUnavailable$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $thrown.ErrorDetails.RecommendedAction | Should -Match 'certificate'
        }
    }

    Context 'Access token, region, sign-in host and limits' {
        It 'connects with a token, which cannot renew, and shows its expiry in UTC' {
            Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken -TimeoutSeconds 30 -MaxRetryAttempts 2 -MaxRetrySeconds 7 -ClientTag tag-1
            $connection = Get-SPOCrossTenantConnection
            $connection.PSObject.TypeNames[0] | Should -Be 'SPOCrossTenant.Connection'
            $connection.Method | Should -Be 'AccessToken'
            $connection.CanRenew | Should -BeFalse
            $connection.ExpiresOn | Should -BeOfType [datetime]
            $connection.ExpiresOn.Kind | Should -Be 'Utc'
            $connection.ExpiresOn | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(50))
            $connection.TimeoutSeconds | Should -Be 30
            $connection.MaxRetryAttempts | Should -Be 2
            $connection.MaxRetrySeconds | Should -Be 7
            $connection.ClientTag | Should -Be 'tag-1'
            $connection.AdminUrl.TrimEnd('/') | Should -Be $script:Contoso.adminUrl.TrimEnd('/')
        }

        It 'fails with AccessTokenExpired for a token that has expired' {
            $expired = New-TestJwt @{ exp = 1000; tid = 't' }
            $thrown = { Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $expired } | Should -Throw -ErrorId "SPOCrossTenant.AccessTokenExpired$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $thrown.ErrorDetails.RecommendedAction | Should -Match 'new access token'
        }

        It 'lets -AuthenticationUrl override -Region' {
            Connect-SPOService @script:App -Region ITAR -CertificatePath $script:PemPath
            (Get-SPOCrossTenantConnection).Method | Should -Be 'Certificate'
        }

        It 'refuses a plain-http sign-in host that is not loopback, aimed at -AuthenticationUrl' {
            $thrown = { Connect-SPOService -Url $script:Contoso.adminUrl -AuthenticationUrl http://login.example.com -Credential (New-TestCredential $script:Contoso) -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId "SPOCrossTenant.AuthorityUrlInvalid$script:Connect" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $thrown.TargetObject | Should -Be 'http://login.example.com'
        }
    }
}

Describe 'Short-lived tokens and device codes' {
    BeforeAll {
        # 35 s tokens: the engine never uses a token with less than 30 s left, so 5 s after it was
        # issued the next request renews it first.
        $script:ShortEmulator = Start-SignInEmulator -ExtraArgument @('--token-lifetime', '35s', '--device-code-lifetime', '2s')
        $script:ShortContoso = $script:ShortEmulator.Tenants.contoso
        $script:ShortAt = @{ Url = $script:ShortContoso.adminUrl; AuthenticationUrl = $script:ShortEmulator.Authority }
    }
    AfterAll {
        Disconnect-SPOService
        Stop-TestEmulator $script:ShortEmulator
    }

    It 'renews the token across its expiry, for password and certificate sign-in alike' {
        # The certificate connection lives in a second runspace (a session has one connection), so one wait serves both.
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $At, $AppId, $Tenant, $Pfx)
                    Import-Module $Manifest
                    Connect-SPOService @At -ClientId $AppId -TenantId $Tenant -CertificatePath $Pfx -CertificatePassword (ConvertTo-SecureString -String 'test-password' -AsPlainText -Force)
                    (Get-SPOCrossTenantConnection).ExpiresOn
                }).AddArgument($script:ModuleManifest).AddArgument($script:ShortAt).AddArgument($script:AppId).AddArgument($script:ShortContoso.domain).AddArgument((Join-Path $script:AuthData 'cert.pfx'))
            $appFirst = @($shell.Invoke())[0]
            Connect-SPOService @script:ShortAt -Credential (New-TestCredential $script:ShortContoso) -WarningAction SilentlyContinue
            $first = Get-SPOCrossTenantConnection
            $first.CanRenew | Should -BeTrue
            $first.ExpiresOn | Should -BeLessThan ([datetime]::UtcNow.AddSeconds(40))
            $refreshes = Get-SignInCount $script:ShortEmulator refresh_token
            $assertions = Get-SignInCount $script:ShortEmulator client_credentials

            Start-Sleep -Seconds 6
            Set-SPOCrossTenantRelationship MnA Target $script:ShortEmulator.Tenants.fabrikam.hostUrl -ErrorAction Stop
            $shell.Commands.Clear()
            $null = $shell.AddScript({
                    param($Partner)
                    Set-SPOCrossTenantRelationship MnA Target $Partner -ErrorAction Stop
                    (Get-SPOCrossTenantConnection).ExpiresOn
                }).AddArgument($script:ShortEmulator.Tenants.fabrikam.hostUrl)
            $appSecond = @($shell.Invoke())[0]
            $shell.Streams.Error | Should -BeNullOrEmpty

            $second = Get-SPOCrossTenantConnection
            $second.ExpiresOn | Should -BeGreaterThan $first.ExpiresOn -Because 'the password sign-in renewed with its refresh token'
            Get-SignInCount $script:ShortEmulator refresh_token | Should -Be ($refreshes + 1)
            $appSecond | Should -BeGreaterThan $appFirst -Because 'the certificate sign-in renewed with a new assertion'
            Get-SignInCount $script:ShortEmulator client_credentials | Should -Be ($assertions + 1)
        } finally { $shell.Dispose() }
    }

    It 'fails with DeviceCodeExpired when nobody signs in before the code expires' {
        $thrown = { Connect-SPOService @script:ShortAt 6>$null } | Should -Throw -ErrorId "SPOCrossTenant.DeviceCodeExpired$script:Connect" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'OperationTimeout'
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'again'
    }
}

Describe 'Categories and targets of sign-in errors' {
    It 'maps <Id> (<Kind>) to <Category>' -ForEach @(
        @{ Id = 'WrongTenant'; Kind = 'InvalidArgument'; Parameter = 'TenantId'; Category = 'InvalidArgument'; Target = 'contoso.com' }
        @{ Id = 'ConsentRequired'; Kind = 'Unauthorized'; Parameter = ''; Category = 'PermissionDenied'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'InvalidCredentials'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'MfaRequired'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'ConditionalAccessBlocked'; Kind = 'Unauthorized'; Parameter = ''; Category = 'PermissionDenied'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'AppNotFound'; Kind = 'InvalidArgument'; Parameter = 'ClientId'; Category = 'InvalidArgument'; Target = 'app-id' }
        @{ Id = 'CertificateRejected'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'ResourceNotFound'; Kind = 'InvalidArgument'; Parameter = 'Url'; Category = 'InvalidArgument'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'DeviceCodeExpired'; Kind = 'Unauthorized'; Parameter = ''; Category = 'OperationTimeout'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'SignInDeclined'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'SignInExpired'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'SignInFailed'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'AccessTokenExpired'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'ManagedIdentityUnavailable'; Kind = 'Unauthorized'; Parameter = ''; Category = 'ResourceUnavailable'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'ManagedIdentityFailed'; Kind = 'Unauthorized'; Parameter = ''; Category = 'AuthenticationError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'CertificatePasswordWrong'; Kind = 'InvalidArgument'; Parameter = 'CertificatePassword'; Category = 'InvalidArgument'; Target = $null }
        @{ Id = 'CertificateExpired'; Kind = 'InvalidArgument'; Parameter = 'Certificate'; Category = 'InvalidArgument'; Target = './app.pfx' }
        @{ Id = 'UserNameMissing'; Kind = 'InvalidArgument'; Parameter = 'Credential'; Category = 'InvalidArgument'; Target = 'admin@contoso.com' }
        @{ Id = 'Timeout'; Kind = 'Timeout'; Parameter = ''; Category = 'OperationTimeout'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'ConnectionRefused'; Kind = 'Network'; Parameter = ''; Category = 'ConnectionError'; Target = 'https://contoso-admin.sharepoint.com' }
        @{ Id = 'Cancelled'; Kind = 'Cancelled'; Parameter = ''; Category = 'OperationStopped'; Target = 'https://contoso-admin.sharepoint.com' }
    ) {
        $info = [SPOCrossTenant.NativeResult]@{ Status = 10; Kind = $Kind; ErrorId = $Id; Parameter = $Parameter; HttpStatus = 400; Message = "The sign-in failed ($Id)."
            CorrelationId = 'c0ffee00-0000-4000-8000-000000000001'; ServerMessage = ''; ServerErrorCode = ''; ServerErrorTypeName = '' }
        $arguments = @{ Url = 'https://contoso-admin.sharepoint.com'; TenantId = 'contoso.com'; ClientId = 'app-id'; CertificatePath = './app.pfx'
            CertificatePassword = $null; Credential = 'admin@contoso.com' }
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info; Arguments = $arguments } {
            param($Info, $Arguments)
            New-SpoSignInErrorRecord -ErrorInfo $Info -Arguments $Arguments -ParameterNames @{ Certificate = 'CertificatePath'; PrivateKey = 'CertificatePath' } -AdminUrl 'https://contoso-admin.sharepoint.com'
        }
        $record.FullyQualifiedErrorId | Should -Be "SPOCrossTenant.$Id"
        $record.CategoryInfo.Category | Should -Be $Category
        $record.TargetObject | Should -Be $Target
        if ($Kind -eq 'Unauthorized' -and $Id -ne 'AccessTokenExpired') {
            "$($record.ErrorDetails.RecommendedAction)" | Should -Not -Match 'new access token' -Because 'only a pasted token needs a new one'
        }
        if ($Kind -ne 'InvalidArgument') { $record.Exception.CorrelationId | Should -Be 'c0ffee00-0000-4000-8000-000000000001' }
    }
}

Describe 'Disconnecting and removing the module release the connection' {
    It 'Disconnect-SPOService leaves no connection, and removing the module closes it' {
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest)
                    $module = Import-Module $Manifest -PassThru
                    Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken 'not-a-real-token'
                    $connected = [bool](Get-SPOCrossTenantConnection)
                    Disconnect-SPOService
                    $afterDisconnect = Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue
                    Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken 'not-a-real-token'
                    $handle = & $module { $script:SpoConnection.Handle }
                    Remove-Module SPOCrossTenant
                    [pscustomobject]@{
                        Connected       = $connected
                        AfterDisconnect = $afterDisconnect
                        HadHandle       = $handle -ne [IntPtr]::Zero
                        AfterRemove     = & $module { $script:SpoConnection }
                    }
                }).AddArgument($script:ModuleManifest)
            $result = @($shell.Invoke())[0]
            $shell.Streams.Error | Should -BeNullOrEmpty
            $result.Connected | Should -BeTrue
            $result.AfterDisconnect | Should -BeNullOrEmpty
            $result.HadHandle | Should -BeTrue
            $result.AfterRemove | Should -BeNullOrEmpty -Because 'OnRemove closed the connection (the engine wipes the token when the handle is freed)'
        } finally { $shell.Dispose() }
    }
}
