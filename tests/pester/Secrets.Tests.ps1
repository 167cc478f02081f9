# Secrets stay secret: every way to sign in, successful or not, with every stream captured
# (output, errors, warnings, -Verbose, -Debug, information/host), $Error, -ErrorVariable, error
# records as JSON, Get-SPOCrossTenantConnection and the module's own variables; none may hold a
# password, a token, a refresh token, a device code, a key or a managed identity secret. And the
# module writes no files while signing in.
#
# Tokens, refresh tokens and device codes that the emulator issues are not known to the test, so
# besides the known secrets any run of 48 or more URL-safe characters counts as a leak (the
# emulator makes those secrets at least 64 such characters; JWTs have a longer payload part).
# Failures name only the start and length of what leaked, never the secret itself.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest

    $script:AppId = '11111111-2222-3333-4444-555555555555'
    $script:AuthData = Join-Path $script:RepoRoot 'src/auth/testdata'
    $script:EmulatorData = Join-Path $script:RepoRoot 'emulator/tests/data'

    function Start-SignInEmulator {
        # The shared emulator, with a registered app for certificate sign-in and instant device-code polling.
        Start-TestEmulator -ExtraArgument (@('--app', "$script:AppId=$(Join-Path $script:EmulatorData 'cert.pem')", '--device-code-interval', '0s'))
    }

    function Start-DeviceCodeApproval {
        # In another runspace: approves the next new device code through the emulator's control endpoint.
        param($Emulator)
        $ignore = @((Invoke-RestMethod -Uri "$($Emulator.BaseUrl)/_emulator/device-codes").deviceCodes | ForEach-Object userCode)
        $shell = [powershell]::Create()
        $null = $shell.AddScript({
                param($BaseUrl, $Ignore)
                $deadline = [datetime]::UtcNow.AddSeconds(30)
                while ([datetime]::UtcNow -lt $deadline) {
                    $codes = @((Invoke-RestMethod -Uri "$BaseUrl/_emulator/device-codes").deviceCodes | ForEach-Object userCode | Where-Object { $_ -notin $Ignore })
                    if ($codes) { $null = Invoke-RestMethod -Method Post -Uri "$BaseUrl/_emulator/device-codes/$($codes[0])/approve"; return $codes[0] }
                    Start-Sleep -Milliseconds 50
                }
                throw 'No device code was requested within 30 s.'
            }).AddArgument($Emulator.BaseUrl).AddArgument($ignore)
        [pscustomobject]@{ Shell = $shell; Pending = $shell.BeginInvoke() }
    }

    function Complete-DeviceCodeApproval {
        param($Approval)
        try { @($Approval.Shell.EndInvoke($Approval.Pending))[0] } finally { $Approval.Shell.Dispose() }
    }

    function ConvertTo-TestText {
        # Everything a record shows or serialises to, as one string.
        param([object[]]$Records)
        $builder = [System.Text.StringBuilder]::new()
        foreach ($record in $Records) {
            if ($null -eq $record) { continue }
            $null = $builder.AppendLine(($record | Out-String -Width 4096)).AppendLine("$record")
            if ($record -is [System.Management.Automation.ErrorRecord]) {
                $null = $builder.AppendLine(($record.Exception | Format-List * -Force | Out-String -Width 4096))
                $null = $builder.AppendLine("$($record.ErrorDetails) $($record.ErrorDetails.RecommendedAction) $($record.TargetObject) $($record.CategoryInfo)")
                $null = $builder.AppendLine(($record.InvocationInfo.BoundParameters | Out-String -Width 4096))
                # ConvertTo-Json of a whole ErrorRecord fails on Exception.Data in PowerShell 7.6, so its parts are serialised.
                $parts = [ordered]@{ Id = $record.FullyQualifiedErrorId; Category = "$($record.CategoryInfo)"; Target = $record.TargetObject
                    Details = $record.ErrorDetails; Invocation = $record.InvocationInfo
                    Exception = $record.Exception | Select-Object -Property * -ExcludeProperty Data, TargetSite }
                $null = $builder.AppendLine(($parts | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue))
            } elseif ($record -is [System.Management.Automation.InformationRecord]) {
                $null = $builder.AppendLine("$($record.MessageData)")
            } elseif ($record -is [System.Exception]) {
                # $Error may hold exceptions, not only records.
                $null = $builder.AppendLine($record.ToString())
                $null = $builder.AppendLine(($record | Select-Object -Property * -ExcludeProperty Data, TargetSite | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue))
            } elseif ($record -isnot [string]) {
                $null = $builder.AppendLine(($record | ConvertTo-Json -Depth 3 -Compress -WarningAction SilentlyContinue))
            }
        }
        $builder.ToString()
    }

    function Assert-NoSecret {
        # Fails naming only where a secret showed, never the secret.
        param([string]$Text, [string[]]$Secret, [string]$Where)
        $index = 0
        foreach ($value in $Secret) {
            $index++
            if ($value) { $Text.Contains($value) | Should -BeFalse -Because "known secret #$index must not appear in $Where" }
        }
        $opaque = @([regex]::Matches($Text, '[A-Za-z0-9_\-]{48,}') | ForEach-Object { "'$($_.Value.Substring(0, 6))...' ($($_.Length) characters)" })
        $opaque | Should -BeNullOrEmpty -Because "nothing token-like may appear in $Where"
    }

    function Invoke-Captured {
        # Runs a sign-in and a command with every stream on, and returns what they wrote, merged.
        param([hashtable]$Connect, [string]$Partner)
        & {
            $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $WarningPreference = 'Continue'
            try {
                Connect-SPOService @Connect -Verbose -Debug -ErrorVariable connectErrors -WarningVariable connectWarnings -InformationVariable connectInformation
                Get-SPOCrossTenantConnection -Verbose -Debug
                Set-SPOCrossTenantRelationship MnA Target $Partner -Verbose -Debug -ErrorAction Continue
            } catch {
                $_
            }
            $connectErrors; $connectWarnings; $connectInformation
        } *>&1
    }

    $script:Emulator = Start-SignInEmulator
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:Authority = $script:Emulator.Authority
    $script:PemPath = Join-Path $TestDrive 'cert-and-key.pem'
    [System.IO.File]::WriteAllText($script:PemPath, [System.IO.File]::ReadAllText((Join-Path $script:AuthData 'cert.pem')) + [System.IO.File]::ReadAllText((Join-Path $script:AuthData 'key.pem')))
    $keyLines = @([System.IO.File]::ReadAllLines((Join-Path $script:AuthData 'key.pem')) | Where-Object { $_ -and -not $_.StartsWith('-----') })
    $script:WrongPassword = 'Wrong-Password-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:WrongHeader = 'Wrong-Header-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:ClientSecret = 'Client-Secret-' + [guid]::NewGuid().ToString('N').Substring(0, 12)
    $script:Secrets = @($script:Contoso.password, $script:Fabrikam.password, $script:Contoso.accessToken, $script:Fabrikam.accessToken,
        $script:Emulator.ManagedIdentity.header, 'test-password', $script:WrongPassword, $script:WrongHeader, $script:ClientSecret) + $keyLines

    $secure = { param([string]$Text) ConvertTo-SecureString -String $Text -AsPlainText -Force }
    $at = @{ Url = $script:Contoso.adminUrl; AuthenticationUrl = $script:Authority }
    $app = $at + @{ ClientId = $script:AppId; TenantId = $script:Contoso.domain }
    $script:Ways = [ordered]@{
        'password'                    = $at + @{ Credential = [pscredential]::new($script:Contoso.user, (& $secure $script:Contoso.password)) }
        'wrong password'              = $at + @{ Credential = [pscredential]::new($script:Contoso.user, (& $secure $script:WrongPassword)) }
        'device code'                 = $at.Clone()
        'certificate PEM file'        = $app + @{ CertificatePath = $script:PemPath }
        'certificate PFX file'        = $app + @{ CertificatePath = (Join-Path $script:AuthData 'cert.pfx'); CertificatePassword = (& $secure 'test-password') }
        'certificate PFX, wrong password' = $app + @{ CertificatePath = (Join-Path $script:AuthData 'cert.pfx'); CertificatePassword = (& $secure $script:WrongPassword) }
        'certificate object'          = $app + @{ Certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $script:AuthData 'cert.pfx'), 'test-password', 'Exportable') }
        'managed identity'            = @{ Url = $script:Contoso.adminUrl; ManagedIdentity = $true }
        'managed identity, wrong header' = @{ Url = $script:Contoso.adminUrl; ManagedIdentity = $true }
        'access token'                = @{ Url = $script:Contoso.adminUrl; AccessToken = $script:Contoso.accessToken }
        'access token (SecureString)' = @{ Url = $script:Contoso.adminUrl; AccessToken = (& $secure $script:Contoso.accessToken) }
        'refused token'               = @{ Url = $script:Contoso.adminUrl; AccessToken = $script:Fabrikam.accessToken }
        'client secret'               = $app + @{ ClientSecret = $script:ClientSecret }
    }

    # The per-user application data folder the module would use if it ever wrote anything there.
    $script:AppDataRoot = Join-Path ([System.Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify')) 'SPOCrossTenant'
    function Get-TestFileList {
        param([string]$Root)
        if (-not (Test-Path -LiteralPath $Root)) { return @() }
        @(Get-ChildItem -LiteralPath $Root -Recurse -Force -File | ForEach-Object { "$($_.FullName)|$($_.Length)|$($_.LastWriteTimeUtc.Ticks)" } | Sort-Object)
    }
    $script:AppDataBefore = Get-TestFileList $script:AppDataRoot
}

AfterAll {
    Disconnect-SPOService
    Stop-TestEmulator $script:Emulator
    foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER') { [Environment]::SetEnvironmentVariable($name, $null) }
}

Describe 'No secret leaves the module' {
    AfterEach {
        Disconnect-SPOService
        foreach ($name in 'IDENTITY_ENDPOINT', 'IDENTITY_HEADER') { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    It 'in any stream, error record or connection object (<_>)' -ForEach @('password', 'wrong password', 'device code', 'certificate PEM file',
        'certificate PFX file', 'certificate PFX, wrong password', 'certificate object', 'managed identity', 'managed identity, wrong header',
        'access token', 'access token (SecureString)', 'refused token', 'client secret') {
        $way = $_
        if ($way -like 'managed identity*') {
            $env:IDENTITY_ENDPOINT = $script:Emulator.ManagedIdentity.endpoint
            $env:IDENTITY_HEADER = if ($way -like '*wrong*') { $script:WrongHeader } else { $script:Emulator.ManagedIdentity.header }
        }
        $approval = if ($way -eq 'device code') { Start-DeviceCodeApproval $script:Emulator }
        $Error.Clear()
        $records = Invoke-Captured -Connect $script:Ways[$way] -Partner $script:Fabrikam.hostUrl
        if ($approval) { $null = Complete-DeviceCodeApproval $approval }

        @($records).Count | Should -BeGreaterThan 0
        $text = ConvertTo-TestText $records
        $text += ConvertTo-TestText @($Error)
        $text += (Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue | ConvertTo-Json -Depth 3)
        Assert-NoSecret -Text $text -Secret $script:Secrets -Where "the output of the '$way' sign-in"

        $moduleState = & (Get-Module SPOCrossTenant) { Get-Variable -Scope Script | ForEach-Object { "$($_.Name)=$($_.Value | Out-String -Width 4096)" } }
        Assert-NoSecret -Text ($moduleState -join "`n") -Secret $script:Secrets -Where "the module's variables after the '$way' sign-in"

        # The runs must have done what they say: successes connect, failures fail.
        $failed = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like '*,Connect-SPOService' })
        if ($way -match 'wrong|client secret') { $failed | Should -Not -BeNullOrEmpty } else { $failed | Should -BeNullOrEmpty }
        if ($way -eq 'device code') { @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] -and "$($_.MessageData)" -match 'devicelogin' }) | Should -Not -BeNullOrEmpty }
        if ($way -notmatch 'wrong|client secret|refused') {
            @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 1 -Because '-Verbose was on and says what it does'
            @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        }
    }

    It 'not even in $Error after a failure without -ErrorAction, caught as an exception' {
        $Error.Clear()
        try {
            Connect-SPOService -Url $script:Contoso.adminUrl -AuthenticationUrl $script:Authority -Credential ([pscredential]::new($script:Contoso.user, (ConvertTo-SecureString -String $script:WrongPassword -AsPlainText -Force))) -WarningAction SilentlyContinue
        } catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $text = (ConvertTo-TestText @($caught)) + (ConvertTo-TestText @($Error)) + ($caught.Exception.ToString()) + ($caught.ScriptStackTrace)
        Assert-NoSecret -Text $text -Secret $script:Secrets -Where 'the caught error'
    }

    It 'writes nothing in a per-user SPOCrossTenant folder while signing in' {
        # (Older versions kept a type cache there; whatever a machine still has must stay as it was.
        # That import itself writes nothing anywhere is checked in a sandbox below.)
        Get-TestFileList $script:AppDataRoot | Should -Be $script:AppDataBefore
    }
}

Describe 'The module writes no files while signing in' {
    It 'adds and changes no file under HOME, the temporary folder or the working folder, in a fresh process' {
        # A child pwsh whose home, data, cache, config and temporary folders all live in one sandbox.
        $sandbox = Join-Path $TestDrive 'sandbox'
        $folders = @{ Home = "$sandbox/home"; Temp = "$sandbox/tmp"; Work = "$sandbox/work" }
        foreach ($folder in $folders.Values) { $null = New-Item -ItemType Directory -Path $folder -Force }
        $environment = @{ HOME = $folders.Home; TMPDIR = $folders.Temp; TEMP = $folders.Temp; TMP = $folders.Temp
            XDG_DATA_HOME = "$($folders.Home)/.local/share"; XDG_CACHE_HOME = "$($folders.Home)/.cache"; XDG_CONFIG_HOME = "$($folders.Home)/.config" }
        $environment += @{ POWERSHELL_TELEMETRY_OPTOUT = '1'; POWERSHELL_UPDATECHECK = 'Off' }
        if ($IsWindows) { $environment += @{ USERPROFILE = $folders.Home; LOCALAPPDATA = "$($folders.Home)/AppData/Local"; APPDATA = "$($folders.Home)/AppData/Roaming" } }
        $environment.SPO_SECRETS_TEST = @{
            Manifest = $script:ModuleManifest; Sandbox = $sandbox; Work = $folders.Work; AuthData = $script:AuthData; Pem = $script:PemPath
            Url = $script:Contoso.adminUrl; Authority = $script:Authority; AppId = $script:AppId; Tenant = $script:Contoso.domain
            User = $script:Contoso.user; Password = $script:Contoso.password; Token = $script:Contoso.accessToken
            IdentityEndpoint = $script:Emulator.ManagedIdentity.endpoint; IdentityHeader = $script:Emulator.ManagedIdentity.header
        } | ConvertTo-Json -Compress
        $child = Join-Path $TestDrive 'no-files.ps1'
        Set-Content -LiteralPath $child -Value @'
$ErrorActionPreference = 'Stop'
$data = $env:SPO_SECRETS_TEST | ConvertFrom-Json
$env:SPO_SECRETS_TEST = $null
Set-Location -LiteralPath $data.Work
function Get-Snapshot {
    $files = foreach ($path in [System.IO.Directory]::EnumerateFiles($data.Sandbox, '*', [System.IO.SearchOption]::AllDirectories)) {
        $file = [System.IO.FileInfo]::new($path); "$($file.FullName)|$($file.Length)|$($file.LastWriteTimeUtc.Ticks)" }
    @($files | Sort-Object)
}
$secure = { param($text) ConvertTo-SecureString -String $text -AsPlainText -Force }
$before = Get-Snapshot
Import-Module $data.Manifest
$afterImport = Get-Snapshot
$results = [ordered]@{}
$app = @{ Url = $data.Url; AuthenticationUrl = $data.Authority; ClientId = $data.AppId; TenantId = $data.Tenant }
$ways = [ordered]@{
    'device code' = @{ Url = $data.Url; AuthenticationUrl = $data.Authority }
    'password' = @{ Url = $data.Url; AuthenticationUrl = $data.Authority; Credential = [pscredential]::new($data.User, (& $secure $data.Password)) }
    'wrong password' = @{ Url = $data.Url; AuthenticationUrl = $data.Authority; Credential = [pscredential]::new($data.User, (& $secure 'wrong')) }
    'certificate PEM file' = $app + @{ CertificatePath = $data.Pem }
    'certificate PFX file' = $app + @{ CertificatePath = (Join-Path $data.AuthData 'cert.pfx'); CertificatePassword = (& $secure 'test-password') }
    'certificate object' = $app + @{ Certificate = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new((Join-Path $data.AuthData 'cert.pfx'), 'test-password', 'Exportable') }
    'certificate thumbprint' = $app + @{ CertificateThumbprint = '4066B9094E73136A10842E84CD1567689EC0A012' }
    'managed identity' = @{ Url = $data.Url; ManagedIdentity = $true }
    'access token' = @{ Url = $data.Url; AccessToken = $data.Token }
}
$env:IDENTITY_ENDPOINT = $data.IdentityEndpoint
$env:IDENTITY_HEADER = $data.IdentityHeader
foreach ($way in $ways.Keys) {
    $parameters = $ways[$way]
    try {
        Connect-SPOService @parameters -WarningAction SilentlyContinue 6>$null
        $results[$way] = (Get-SPOCrossTenantConnection).Method
    } catch { $results[$way] = $_.FullyQualifiedErrorId }
}
Disconnect-SPOService
$afterSignIn = Get-Snapshot
'RESULT=' + (@{ Before = $before; AfterImport = $afterImport; After = $afterSignIn; Results = $results } | ConvertTo-Json -Compress -Depth 4)
'@
        $approval = Start-DeviceCodeApproval $script:Emulator
        $output = Invoke-ChildPwsh -Command "& '$child'" -Environment $environment
        $null = Complete-DeviceCodeApproval $approval
        $line = @($output | Where-Object { $_.StartsWith('RESULT=') })
        $line.Count | Should -Be 1 -Because ($output -join "`n")
        $result = $line[0].Substring(7) | ConvertFrom-Json

        $result.Results.'device code' | Should -Be 'DeviceCode'
        $result.Results.password | Should -Be 'Password'
        $result.Results.'wrong password' | Should -Be 'SPOCrossTenant.InvalidCredentials,Connect-SPOService'
        $result.Results.'certificate PEM file' | Should -Be 'Certificate'
        $result.Results.'certificate PFX file' | Should -Be 'Certificate'
        $result.Results.'certificate object' | Should -Be 'Certificate'
        $result.Results.'certificate thumbprint' | Should -Be 'SPOCrossTenant.CertificateNotFound,Connect-SPOService' -Because 'the sandbox has no certificate store, and looking must not create one'
        $result.Results.'managed identity' | Should -Be 'ManagedIdentity'
        $result.Results.'access token' | Should -Be 'AccessToken'

        # PowerShell itself keeps caches under .../powershell/ (module analysis, startup data): not the module's doing.
        $ours = { param($entries) @($entries | Where-Object { $_ -and $_ -notmatch '[\\/]powershell[\\/]' }) }
        $imported = @(& $ours $result.AfterImport | Where-Object { $_ -notin @($result.Before) })
        @($imported) | Should -BeNullOrEmpty -Because 'import writes no file'
        @(& $ours $result.After | Where-Object { $_ -notin @($result.AfterImport) }) | Should -BeNullOrEmpty -Because 'signing in writes no file'
        @(& $ours $result.AfterImport | Where-Object { $_ -notin @($result.After) }) | Should -BeNullOrEmpty -Because 'signing in changes or removes no file'
    }
}
