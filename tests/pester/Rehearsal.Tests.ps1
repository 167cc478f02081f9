# Rehearsing a production script unchanged (issue 21): scripts/rehearse.sh starts the emulator with
# --proxy, runs the script in a child pwsh that reaches https://<tenant>-admin.sharepoint.com and the
# sign-in hosts through the proxy and trusts only the rehearsal's CA, with the module importable by
# name, and stops the emulator afterwards, on failure and on Ctrl+C too. The module itself needs
# nothing new: HTTPS_PROXY and SSL_CERT_FILE are all it takes.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Rehearsal.ps1')
    $script:Scripts = Join-Path $TestDrive 'scripts'
    $null = New-Item -ItemType Directory -Path $script:Scripts

    function New-RehearsalScript {
        # A script file as an admin would write it; returns its path.
        param([string]$Name, [string]$Text)
        $path = Join-Path $script:Scripts $Name
        Set-Content -LiteralPath $path -Value $Text -Encoding utf8
        $path
    }

    function Get-Fingerprint {
        # What "not touched" means: same bytes, same time of last write.
        param([string]$Path)
        "$((Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash) $((Get-Item -LiteralPath $Path).LastWriteTimeUtc.Ticks)"
    }
}

Describe 'The admin scripts, a second time, through the proxy with production URLs' {
    It 'passes the whole tests/admin-scripts suite inside scripts/rehearse.sh' {
        $suite = Join-Path $PSScriptRoot 'AdminScripts.Tests.ps1'
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s' `
            -Script (Join-Path $PSScriptRoot 'Invoke-Tests.ps1') -Argument '-Path', $suite
        $summary = $run.Output | Where-Object { $_ -match '^Pester: (\d+) passed, (\d+) failed, (\d+) skipped$' }
        $summary | Should -Not -BeNullOrEmpty -Because ($run.Output + $run.Errors -join "`n")
        [int]$Matches[1] | Should -BeGreaterOrEqual 30
        [int]$Matches[2] | Should -Be 0 -Because ($run.Output -join "`n")
        [int]$Matches[3] | Should -Be 0
        $run.ExitCode | Should -Be 0
        # The suite's own tests assert the production URLs and the proxy; here, the proxy's log agrees.
        $log = @(Get-Content -LiteralPath $run.Log)
        $log -match ' CONNECT contoso proxy 200 - host=contoso-admin\.sharepoint\.com:443$' | Should -Not -BeNullOrEmpty
        $log -match ' token\[password\] 200 .* host=login\.microsoftonline\.com$' | Should -Not -BeNullOrEmpty
        $log -match ' ProcessQuery\[' | Where-Object { $_ -notmatch ' host=(contoso|fabrikam)-admin\.sharepoint\.com$' } | Should -BeNullOrEmpty
    }
}

Describe 'Sign-in at the emulated sign-in hosts' {
    It 'signs in with a device code, a password and a certificate, and with a device code for every -Region' {
        $pfx = Join-Path $script:RepoRoot 'src/auth/testdata/cert.pfx'
        $appId = '11111111-2222-3333-4444-555555555555'
        $script = New-RehearsalScript 'Connect-EveryWay.ps1' @'
param([string]$Pfx, [string]$AppId)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module SPOCrossTenant
# The accounts of this rehearsal (a production script would prompt or read a vault here).
$accounts = Get-Content -Raw -LiteralPath $env:SPO_REHEARSAL_STARTUP | ConvertFrom-Json

Connect-SPOService -Url https://contoso-admin.sharepoint.com 6>$null
Write-Output ("device code: {0} {1}" -f (Get-SPOCrossTenantConnection).Method, (Get-SPOCrossTenantHostUrl))

$password = ConvertTo-SecureString -String $accounts.tenants.fabrikam.password -AsPlainText -Force
Connect-SPOService -Url https://fabrikam-admin.sharepoint.com -Credential ([pscredential]::new('admin@fabrikam.onmicrosoft.com', $password)) -WarningAction SilentlyContinue
Write-Output ("password: {0} {1}" -f (Get-SPOCrossTenantConnection).Method, (Get-SPOCrossTenantHostUrl))

$pfxPassword = ConvertTo-SecureString -String 'test-password' -AsPlainText -Force
Connect-SPOService -Url https://contoso-admin.sharepoint.com -ClientId $AppId -TenantId contoso.onmicrosoft.com -CertificatePath $Pfx -CertificatePassword $pfxPassword
Write-Output ("certificate: {0} {1}" -f (Get-SPOCrossTenantConnection).Method, (Get-SPOCrossTenantHostUrl))

$regions = (Get-Command Connect-SPOService).Parameters['Region'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
foreach ($region in $regions.ValidValues) {
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -Region $region 6>$null
    Write-Output ("region {0}: {1}" -f $region, (Get-SPOCrossTenantHostUrl))
}
'@
        $before = Get-Fingerprint $script
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso', '--tenant', 'fabrikam', '--device-code-interval', '0s', '--app', "$appId=$(Join-Path $script:RepoRoot 'emulator/tests/data/cert.pem')" `
            -Script $script -Argument '-Pfx', $pfx, '-AppId', $appId
        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors -join "`n")
        $run.Output[0..2] | Should -Be @(
            'device code: DeviceCode https://contoso-my.sharepoint.com/'
            'password: Password https://fabrikam-my.sharepoint.com/'
            'certificate: Certificate https://contoso-my.sharepoint.com/')
        $regionLines = @($run.Output | Where-Object { $_ -like 'region *' })
        $regionLines.Count | Should -Be 4
        $regionLines | ForEach-Object { $_ | Should -Match '^region \w+: https://contoso-my\.sharepoint\.com/$' }
        Get-Fingerprint $script | Should -Be $before

        $log = @(Get-Content -LiteralPath $run.Log)
        $issued = $log -match ' token\[(device_code|password|client_credentials)\] 200 .* outcome=issued host='
        ($issued -match 'token\[password\]') | Should -Match 'host=login\.microsoftonline\.com$'
        ($issued -match 'token\[client_credentials\]') | Should -Match 'host=login\.microsoftonline\.com$'
        # Every cloud's own sign-in host answered a device code sign-in.
        $hosts = @($issued -match 'token\[device_code\]' | ForEach-Object { ($_ -split ' host=')[-1] } | Sort-Object -Unique)
        $hosts | Should -Be @('login.chinacloudapi.cn', 'login.microsoftonline.com', 'login.microsoftonline.de', 'login.microsoftonline.us')
    }
}

Describe 'The proxy refuses every other host and forwards nothing' {
    It 'refuses an unknown tenant, another host and plain HTTP, and its log says so' {
        $script = New-RehearsalScript 'Reach-Elsewhere.ps1' @'
Set-StrictMode -Version Latest
Import-Module SPOCrossTenant
$accounts = Get-Content -Raw -LiteralPath $env:SPO_REHEARSAL_STARTUP | ConvertFrom-Json
try {
    Connect-SPOService -Url https://northwind-admin.sharepoint.com -AccessToken $accounts.tenants.contoso.accessToken
    $null = Get-SPOCrossTenantHostUrl -ErrorAction Stop
    Write-Output 'module: answered'
} catch { Write-Output "module: refused ($($_.FullyQualifiedErrorId))" }
foreach ($url in 'https://www.example.com/', 'http://contoso-admin.sharepoint.com/') {
    try {
        $null = Invoke-WebRequest -Uri $url -UseBasicParsing -ErrorAction Stop
        Write-Output "$($url): answered"
    } catch { Write-Output "$($url): refused" }
}
'@
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script
        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors -join "`n")
        $run.Output[0] | Should -Match '^module: refused \(SPOCrossTenant\.'
        $run.Output[1..2] | Should -Be @('https://www.example.com/: refused', 'http://contoso-admin.sharepoint.com/: refused')
        $log = @(Get-Content -LiteralPath $run.Log)
        $log -match 'CONNECT - proxy 403 - refused="no such tenant here; nothing is forwarded" host=northwind-admin\.sharepoint\.com:443$' | Should -Not -BeNullOrEmpty
        $log -match 'CONNECT - proxy 403 - refused="not an emulated host; nothing is forwarded" host=www\.example\.com:443$' | Should -Not -BeNullOrEmpty
        $log -match 'GET - proxy 403 - refused="plain HTTP is refused; nothing is forwarded" host=contoso-admin\.sharepoint\.com$' | Should -Not -BeNullOrEmpty
        # Nothing else happened for those names: no tunnel, no request.
        $log -match 'northwind|example\.com' | Where-Object { $_ -notmatch ' proxy 403 - refused=' } | Should -BeNullOrEmpty
    }
}

Describe 'scripts/rehearse.sh' {
    It 'returns the exit code <Code> of a script that <How>, stops the emulator and leaves the script untouched' -ForEach @(
        @{ How = 'exits with 7'; Code = 7; Ending = 'exit 7' }
        @{ How = 'throws'; Code = 1; Ending = 'throw "the rehearsal found a problem"' }
    ) {
        $seen = Join-Path $TestDrive "seen-$Code.txt"
        $script = New-RehearsalScript "Fail-$Code.ps1" @"
param([string]`$Seen)
Set-StrictMode -Version Latest
Set-Content -LiteralPath `$Seen -Value @(`$env:HTTPS_PROXY, `$env:SPO_REHEARSAL_LISTENER)
$Ending
"@
        $before = Get-Fingerprint $script
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script -Argument '-Seen', $seen
        $run.ExitCode | Should -Be $Code
        $run.Errors[-1] | Should -Match "exited with $Code; emulator stopped\. Request log: "
        Test-Path -LiteralPath $run.Log | Should -BeTrue
        $proxy, $listener = Get-Content -LiteralPath $seen
        $proxy | Should -Match '^http://127\.0\.0\.1:\d+$'
        Test-PortOpen $proxy | Should -BeFalse
        Test-PortOpen $listener | Should -BeFalse
        Get-Fingerprint $script | Should -Be $before
    }

    It 'stops the script and the emulator on Ctrl+C' {
        $seen = Join-Path $TestDrive 'sleeping.txt'
        $script = New-RehearsalScript 'Wait-Long.ps1' @'
param([string]$Seen)
Set-Content -LiteralPath "$Seen.tmp" -Value @($env:HTTPS_PROXY, $env:SPO_REHEARSAL_LISTENER, $PID)
Move-Item -LiteralPath "$Seen.tmp" -Destination $Seen
Start-Sleep -Seconds 120
'@
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script -Argument '-Seen', $seen -InterruptWhen $seen -TimeoutSeconds 60
        $run.ExitCode | Should -Be 130
        $run.Errors[-1] | Should -Match 'interrupted; emulator stopped\. Request log: '
        $proxy, $listener, $scriptPid = Get-Content -LiteralPath $seen
        Test-PortOpen $proxy | Should -BeFalse
        Test-PortOpen $listener | Should -BeFalse
        Get-Process -Id $scriptPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'refuses <Case> with exit code <Code>' -ForEach @(
        @{ Case = 'a missing script'; Option = @('--tenant', 'contoso'); Script = 'no-such-script.ps1'; Code = 2; Message = "there is no script 'no-such-script.ps1'" }
        @{ Case = 'an emulator that cannot start'; Option = @('--tenant', 'con-toso'); Script = $PSCommandPath; Code = 125; Message = 'the emulator did not start' }
    ) {
        $run = Invoke-Rehearsal -Option $Option -Script $Script
        $run.ExitCode | Should -Be $Code
        ($run.Errors -join "`n") | Should -Match ([regex]::Escape($Message))
    }
}
