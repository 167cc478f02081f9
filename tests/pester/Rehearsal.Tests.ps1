# Rehearsing a production script unchanged (issue 21): scripts/rehearse.sh starts the emulator with
# --proxy, runs the script in a child pwsh that reaches https://<tenant>-admin.sharepoint.com and the
# sign-in hosts through the proxy and trusts only the rehearsal's CA (no system root, for the engine
# and for .NET), with the built module importable by name (before any installed one, and as
# Microsoft.Online.SharePoint.PowerShell too), and stops the emulator afterwards: on failure, after
# the script's cleanup on Ctrl+C, on TERM and HUP, and by itself when rehearse.sh is killed. The
# module itself needs nothing new: HTTPS_PROXY and SSL_CERT_FILE are all it takes.

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

    function New-WaitingScript {
        # A script that writes where its rehearsal is (proxy, listener) and its own process id to
        # the file -Seen once it runs, then waits two minutes: something to interrupt.
        param([string]$Name)
        New-RehearsalScript $Name @'
param([string]$Seen)
Set-Content -LiteralPath "$Seen.tmp" -Value @($env:HTTPS_PROXY, $env:SPO_REHEARSAL_LISTENER, $PID)
Move-Item -LiteralPath "$Seen.tmp" -Destination $Seen
Start-Sleep -Seconds 120
'@
    }

    function Invoke-PassingRehearsal {
        # Invoke-Rehearsal of a script that must succeed; the test fails with its output otherwise.
        param([string[]]$Option = @('--tenant', 'contoso'), [string]$Script, [string[]]$Argument = @(), [hashtable]$Environment = @{})
        $run = Invoke-Rehearsal -Option $Option -Script $Script -Argument $Argument -Environment $Environment
        $run.ExitCode | Should -Be 0 -Because ($run.Output + $run.Errors -join "`n")
        $run
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
        $run = Invoke-PassingRehearsal -Script $script
        $run.Output[0] | Should -Match '^module: refused \(SPOCrossTenant\.'
        $run.Output[1..2] | Should -Be @('https://www.example.com/: refused', 'http://contoso-admin.sharepoint.com/: refused')
        $log = @(Get-Content -LiteralPath $run.Log)
        $log -match 'CONNECT - proxy 403 - refused="no such tenant here; nothing is forwarded" host=northwind-admin\.sharepoint\.com:443$' | Should -Not -BeNullOrEmpty
        $log -match 'CONNECT - proxy 403 - refused="not an emulated host; nothing is forwarded" host=www\.example\.com:443$' | Should -Not -BeNullOrEmpty
        $log -match 'GET - proxy 403 - refused="plain HTTP is refused; nothing is forwarded" host=contoso-admin\.sharepoint\.com$' | Should -Not -BeNullOrEmpty
        # Nothing else happened for those names: no tunnel, no request.
        $log -match 'northwind|example\.com' | Where-Object { $_ -notmatch ' proxy 403 - refused=' } | Should -BeNullOrEmpty
        # rehearse.sh sums the refusals up where people look.
        $summary = @($run.Errors -like 'rehearse: the proxy refused *')
        $summary.Count | Should -Be 1 -Because ($run.Errors -join "`n")
        $summary[0] | Should -Match '^rehearse: the proxy refused \d+ requests \(nothing was forwarded\): '
        $summary[0] | Should -Match 'northwind-admin\.sharepoint\.com:443 \(no such tenant here\)'
        $summary[0] | Should -Match 'www\.example\.com:443 \(not an emulated host\)'
        $summary[0] | Should -Match 'contoso-admin\.sharepoint\.com \(plain HTTP is refused\)'
    }
}

Describe 'What a rehearsed script trusts' {
    It 'trusts this run''s CA and no system root, in the engine and in .NET alike' {
        # A root this machine trusts outside the rehearsal (so the check inside can fail).
        $root = Get-ChildItem -Path '/etc/ssl/certs' -Filter '*.pem' -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $root) { Set-ItResult -Skipped -Because 'this machine has no system root certificates'; return }
        $chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
        $chain.ChainPolicy.RevocationMode = 'NoCheck'
        $chain.Build([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($root.FullName)) | Should -BeTrue -Because "$($root.FullName) is a system root"
        $script = New-RehearsalScript 'Trust-Nothing-Else.ps1' @'
param([string]$Root)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
$chain = [System.Security.Cryptography.X509Certificates.X509Chain]::new()
$chain.ChainPolicy.RevocationMode = 'NoCheck'
$trusted = $chain.Build([System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Root))
Write-Output "system root: $trusted $($chain.ChainStatus.Status -join ',')"
Write-Output "sharepoint: $((Invoke-WebRequest -Uri https://contoso-my.sharepoint.com/ -UseBasicParsing).StatusCode)"
$signIn = Invoke-WebRequest -Uri https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token -Method Post -Body @{ grant_type = 'password' } -UseBasicParsing -SkipHttpErrorCheck
Write-Output "sign-in: $($signIn.StatusCode)"
$accounts = Get-Content -Raw -LiteralPath $env:SPO_REHEARSAL_STARTUP | ConvertFrom-Json
Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken $accounts.tenants.contoso.accessToken
Write-Output "module: $(Get-SPOCrossTenantHostUrl)"
'@
        $run = Invoke-PassingRehearsal -Script $script -Argument '-Root', $root.FullName
        $run.Output | Should -Be @(
            'system root: False UntrustedRoot'
            'sharepoint: 200'
            'sign-in: 400'
            'module: https://contoso-my.sharepoint.com/')
    }
}

Describe 'The module a rehearsed script loads' {
    BeforeAll {
        # A SPOCrossTenant 0.0.1 installed for the user, in a throwaway XDG_DATA_HOME: pwsh puts
        # the user's module folder before PSModulePath's entries, so it would win over dist/.
        $script:DataHome = Join-Path $TestDrive 'xdg-data'
        $installed = New-Item -ItemType Directory -Force -Path (Join-Path $script:DataHome 'powershell/Modules/SPOCrossTenant/0.0.1')
        Set-Content -LiteralPath (Join-Path $installed 'SPOCrossTenant.psm1') -Value 'function Connect-SPOService { ''the installed 0.0.1'' }'
        New-ModuleManifest -Path (Join-Path $installed 'SPOCrossTenant.psd1') -ModuleVersion '0.0.1' -RootModule 'SPOCrossTenant.psm1' -FunctionsToExport 'Connect-SPOService'
    }

    It 'is the one built in dist/, not another SPOCrossTenant installed for the user' {
        # Without the rehearsal's care, the installed one wins: the case this guards against.
        $plain = Invoke-ChildPwsh -Command 'Import-Module SPOCrossTenant; (Get-Module SPOCrossTenant).Version.ToString()' `
            -Environment @{ XDG_DATA_HOME = $script:DataHome; PSModulePath = (Join-Path $script:RepoRoot 'dist') }
        $plain | Should -Be '0.0.1'

        $script = New-RehearsalScript 'Use-ModuleByName.ps1' @'
#Requires -Modules SPOCrossTenant
Set-StrictMode -Version Latest
Write-Output "required: $((Get-Module SPOCrossTenant).Version) $((Get-Module SPOCrossTenant).ModuleBase)"
Remove-Module SPOCrossTenant
Write-Output "autoloaded: $((Get-Command Connect-SPOService).Version)"
Import-Module SPOCrossTenant
Write-Output "imported: $((Get-Module SPOCrossTenant).Version)"
'@
        $run = Invoke-PassingRehearsal -Script $script -Environment @{ XDG_DATA_HOME = $script:DataHome }
        $run.Output | Should -Be @(
            "required: $script:ModuleVersion $script:ModuleFolder"
            "autoloaded: $script:ModuleVersion"
            "imported: $script:ModuleVersion")
        $run.Errors -like "rehearse: SPOCrossTenant is also installed in $script:DataHome/powershell/Modules; *" | Should -Not -BeNullOrEmpty
    }

    It 'answers to Microsoft.Online.SharePoint.PowerShell too, one module and one connection' {
        $script = New-RehearsalScript 'Use-MicrosoftModuleName.ps1' @'
#Requires -Modules Microsoft.Online.SharePoint.PowerShell
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module Microsoft.Online.SharePoint.PowerShell -DisableNameChecking
$accounts = Get-Content -Raw -LiteralPath $env:SPO_REHEARSAL_STARTUP | ConvertFrom-Json
Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken $accounts.tenants.contoso.accessToken
Write-Output "host URL: $(Get-SPOCrossTenantHostUrl) from $((Get-Command Get-SPOCrossTenantHostUrl).Source)"
Import-Module SPOCrossTenant
Write-Output "again: $(Get-SPOCrossTenantHostUrl) from $((Get-Command Get-SPOCrossTenantHostUrl).Source)"
Write-Output "SPOCrossTenant loaded: $(@(Get-Module SPOCrossTenant -All).Count) from $((Get-Module SPOCrossTenant).ModuleBase)"
'@
        $before = Get-Fingerprint $script
        $run = Invoke-PassingRehearsal -Script $script -Environment @{ XDG_DATA_HOME = $script:DataHome }
        $run.Output | Should -Be @(
            'host URL: https://contoso-my.sharepoint.com/ from Microsoft.Online.SharePoint.PowerShell'
            'again: https://contoso-my.sharepoint.com/ from SPOCrossTenant'
            "SPOCrossTenant loaded: 1 from $script:ModuleFolder")
        Get-Fingerprint $script | Should -Be $before
    }
}

Describe 'scripts/rehearse.sh' {
    It 'returns the exit code <Code> of a script that <How>, stops the emulator and leaves the script untouched' -ForEach @(
        @{ How = 'exits with 7'; Code = 7; Ending = 'exit 7' }
        @{ How = 'throws'; Code = 1; Ending = 'throw "the rehearsal found a problem"' }
        @{ How = 'succeeds'; Code = 0; Ending = 'Write-Output done' }
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
        # A failure keeps the run's files and names their folder; a success keeps only the log.
        if ($Code) {
            Test-Path -LiteralPath (Join-Path $run.Folder 'startup.json') | Should -BeTrue
            Split-Path $run.Log | Should -Be $run.Folder
        } else {
            $run.Folder | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath (Split-Path $run.Log)).Name | Should -Be @('requests.log')
        }
    }

    It 'lets the script clean up against the emulator on Ctrl+C, then stops both' {
        $seen = Join-Path $TestDrive 'sleeping.txt'
        $cleanup = Join-Path $TestDrive 'cleanup.txt'
        $script = New-RehearsalScript 'Wait-Long.ps1' @'
param([string]$Seen, [string]$Cleanup)
try {
    Set-Content -LiteralPath "$Seen.tmp" -Value @($env:HTTPS_PROXY, $env:SPO_REHEARSAL_LISTENER, $PID)
    Move-Item -LiteralPath "$Seen.tmp" -Destination $Seen
    Start-Sleep -Seconds 120
} finally {
    # A production script's cleanup: one more call to SharePoint, after Ctrl+C.
    $status = try { (Invoke-WebRequest -Uri https://contoso-admin.sharepoint.com/ -UseBasicParsing -TimeoutSec 20).StatusCode } catch { "failed: $($_.Exception.Message)" }
    Set-Content -LiteralPath $Cleanup -Value "cleanup: $status"
}
'@
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script -Argument '-Seen', $seen, '-Cleanup', $cleanup -SignalWhen $seen -TimeoutSeconds 60
        $run.ExitCode | Should -Be 130 -Because ($run.Errors -join "`n")
        $run.Errors[-1] | Should -Match 'interrupted \(INT\); .* exited with \d+; emulator stopped\. Request log: '
        Get-Content -LiteralPath $cleanup | Should -Be 'cleanup: 200'
        $proxy, $listener, $scriptPid = Get-Content -LiteralPath $seen
        Test-PortOpen $proxy | Should -BeFalse
        Test-PortOpen $listener | Should -BeFalse
        Get-Process -Id $scriptPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'passes <Signal> on to the script, then stops the emulator' -ForEach @(
        @{ Signal = 'TERM'; Code = 143 }
        @{ Signal = 'HUP'; Code = 129 }
    ) {
        $seen = Join-Path $TestDrive "signalled-$Signal.txt"
        $script = New-WaitingScript "Wait-$Signal.ps1"
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script -Argument '-Seen', $seen -SignalWhen $seen -Signal $Signal -TimeoutSeconds 60
        $run.ExitCode | Should -Be $Code -Because ($run.Errors -join "`n")
        $run.Errors[-1] | Should -Match "interrupted \($Signal\); .* emulator stopped\. Request log: "
        $proxy, $listener, $scriptPid = Get-Content -LiteralPath $seen
        Get-Process -Id $scriptPid -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-PortOpen $proxy | Should -BeFalse
        Test-PortOpen $listener | Should -BeFalse
    }

    It 'leaves no emulator behind when rehearse.sh itself is killed' {
        $seen = Join-Path $TestDrive 'killed.txt'
        $script = New-WaitingScript 'Wait-Killed.ps1'
        $observed = @{}
        $afterKill = {
            # rehearse.sh is gone without a word; its emulator must follow by itself.
            $proxy, $listener, $scriptPid = Get-Content -LiteralPath $seen
            $deadline = [datetime]::UtcNow.AddSeconds(10)
            while ((Test-PortOpen $proxy) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $observed.Proxy = Test-PortOpen $proxy
            $observed.Listener = Test-PortOpen $listener
            # The script outlives it (nothing stops a killed shell's children); end it here.
            Stop-Process -Id $scriptPid -Force -ErrorAction SilentlyContinue
        }
        $run = Invoke-Rehearsal -Option '--tenant', 'contoso' -Script $script -Argument '-Seen', $seen -SignalWhen $seen -Signal KILL -AfterSignal $afterKill -TimeoutSeconds 60
        $run.ExitCode | Should -Be 137
        $observed.Proxy | Should -BeFalse
        $observed.Listener | Should -BeFalse
    }

    It 'says so when the emulator stops during the rehearsal' {
        $script = New-RehearsalScript 'Stop-Emulator.ps1' @'
# Ends the emulator of this rehearsal (the one writing to this run's folder) by its process id.
$folder = Split-Path -LiteralPath $env:SPO_REHEARSAL_STARTUP
$emulator = Get-ChildItem -Path /proc -Directory | Where-Object Name -Match '^\d+$' | Where-Object {
    try { [System.IO.File]::ReadAllText("$($_.FullName)/cmdline") -like "*$folder/ca.pem*" } catch { $false }
} | Select-Object -First 1
Stop-Process -Id ([int]$emulator.Name) -Force
Start-Sleep -Milliseconds 500
'@
        $run = Invoke-PassingRehearsal -Script $script
        $run.Errors | Should -Contain 'rehearse: the emulator stopped during the rehearsal; its messages:'
    }

    It 'refuses <Case> before anything starts' -ForEach @(
        @{ Case = 'a script without -- in front'; Arguments = @('--tenant', 'contoso', 'my-script.ps1'); Message = 'rehearse: put -- before the script: ./scripts/rehearse.sh [options] -- my-script.ps1 [script arguments]' }
        @{ Case = 'a file that is not a .ps1 script'; Arguments = @('--tenant', 'contoso', '--', "$PSScriptRoot/../../README.md"); Message = "rehearse: '$PSScriptRoot/../../README.md' is not a PowerShell script: pwsh -File runs only .ps1 files" }
    ) {
        $output = & bash (Join-Path $script:RepoRoot 'scripts/rehearse.sh') @Arguments 2>&1
        $LASTEXITCODE | Should -Be 2
        @($output)[-1] | Should -Be $Message
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
