<#
.SYNOPSIS
Rehearses the SharePoint Online cross-tenant trust workflow against the local emulator.

.DESCRIPTION
Starts spo-emulator with two tenants (contoso, the source of the migration, and fabrikam, the
target) and no waiting period, then does what the two tenants' admins would do: connect to
each admin site, read both cross-tenant host URLs, set the relationship on both sides, verify
until GoodToProceed, check compatibility on the source, run the readiness report (one failure,
its fix with Add-SPOTenantIdentityMappingUser and the entry shown with Get-, then all pass),
upload the whole identity map on the target, move three OneDrives, a site and a group and watch
them to their end with a report that keeps itself up to date, see the wave's status (one move
failed: the emulator took its user's licence away half-way), follow the fix the status gives and
watch that move succeed, list the relationships, remove them and verify again. Each step prints
its result. The HTML reports (readiness and wave) and a screenshot of each are left in dist/demo/.
The emulator is stopped on exit, also after a failure or Ctrl+C.

.PARAMETER Configuration
Which build of the engine and the emulator to use: release (what scripts/demo.sh builds) or debug.

.NOTES
SPO_DEMO_CHROMIUM names the headless Chromium that takes the screenshots (scripts/demo.sh sets it
from scripts/install-chromium.sh); without it, the reports are written and not photographed.
#>
[CmdletBinding()]
param([ValidateSet('release', 'debug')][string] $Configuration = 'release')

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$emulatorPath = Join-Path $root "target/$Configuration/spo-emulator$(if ($IsWindows) { '.exe' })"
if (-not (Test-Path $emulatorPath)) { throw "No emulator at $emulatorPath; run: cargo build --workspace$(if ($Configuration -eq 'release') { ' --release' })" }
# The built module (scripts/build-module.sh) as users get it; else the source tree, with the
# engine of the chosen build.
$manifest = Get-ChildItem -Path (Join-Path $root 'dist/SPOCrossTenant') -Filter SPOCrossTenant.psd1 -Recurse -ErrorAction SilentlyContinue |
    Select-Object -First 1 -ExpandProperty FullName
if (-not $manifest) {
    $manifest = Join-Path $root 'module/SPOCrossTenant.psd1'
    $library = if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }
    $env:SPO_CROSSTENANT_LIBRARY = Join-Path $root "target/$Configuration/$library"
}

function Write-Step([string] $Text) { Write-Host "`n== $Text" -ForegroundColor Cyan }

# The reports go to dist/demo/, each with a screenshot beside it.
$demoFolder = Join-Path $root 'dist/demo'
$null = New-Item -ItemType Directory -Force -Path $demoFolder
function Save-Screenshot([string] $Report, [int] $Height) {
    $png = [IO.Path]::ChangeExtension($Report, '.png')
    if (-not $env:SPO_DEMO_CHROMIUM) { "(No headless Chromium: no screenshot of $Report; scripts/install-chromium.sh installs one.)"; return }
    & $env:SPO_DEMO_CHROMIUM --headless --no-sandbox --disable-gpu --hide-scrollbars "--window-size=1280,$Height" "--screenshot=$png" ([Uri]::new($Report).AbsoluteUri) *> $null
    if (Test-Path -LiteralPath $png) { "Screenshot: $png" } else { "(Chromium took no screenshot of $Report.)" }
}

$start = [System.Diagnostics.ProcessStartInfo]::new($emulatorPath)
foreach ($argument in '--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--move-step', '500ms', '--move-spread', '2',
    '--log', (Join-Path ([IO.Path]::GetTempPath()) 'spo-emulator-demo.log')) {
    $start.ArgumentList.Add($argument)
}
$start.RedirectStandardOutput = $true
$start.UseShellExecute = $false
$emulator = [System.Diagnostics.Process]::Start($start)
try {
    $startup = $emulator.StandardOutput.ReadLine() | ConvertFrom-Json
    $contoso = $startup.tenants.contoso
    $fabrikam = $startup.tenants.fabrikam
    Write-Step "Emulator listening on $($startup.listen) with tenants contoso (source) and fabrikam (target)"

    Import-Module $manifest -Force
    "Module: $((Get-Module SPOCrossTenant).ModuleBase)"

    Write-Step 'Each admin reads their own cross-tenant host URL (Get-SPOCrossTenantHostUrl)'
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    $contosoHost = Get-SPOCrossTenantHostUrl
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    $fabrikamHost = Get-SPOCrossTenantHostUrl
    "contoso : $contosoHost"
    "fabrikam: $fabrikamHost"

    Write-Step 'contoso (source) asks fabrikam for trust: Set-SPOCrossTenantRelationship MnA Target <fabrikam>'
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $fabrikamHost
    Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $fabrikamHost | Format-List

    Write-Step 'fabrikam (target) answers: Set-SPOCrossTenantRelationship MnA Source <contoso>'
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Set-SPOCrossTenantRelationship MnA Source $contosoHost

    Write-Step 'Both verify until GoodToProceed'
    foreach ($side in @(
            @{ Tenant = $contoso; Role = 'Target'; Partner = $fabrikamHost },
            @{ Tenant = $fabrikam; Role = 'Source'; Partner = $contosoHost })) {
        Connect-SPOService -Url $side.Tenant.adminUrl -AccessToken $side.Tenant.accessToken
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            $result = Verify-SPOCrossTenantRelationship MnA $side.Role $side.Partner
            if ($result -ne 'GoodToProceed') { Start-Sleep -Milliseconds 500 }
        } until ($result -eq 'GoodToProceed' -or [DateTime]::UtcNow -gt $deadline)
        $result | Format-List
        if ($result -ne 'GoodToProceed') { throw "Verification did not reach GoodToProceed: $result" }
    }

    Write-Step 'contoso (source) checks that the tenants are compatible (Get-SPOCrossTenantCompatibilityStatus)'
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    $compatibility = Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $fabrikamHost
    $compatibility | Format-List
    if ($compatibility -eq 'Incompatible') { throw "The tenants are not compatible: $($compatibility.Explanation)" }

    $alex = @($contoso.users | Where-Object upn -Like 'alex@*')[0].upn
    $dana = @($fabrikam.users | Where-Object upn -Like 'dana@*')[0].upn
    $sales = @($contoso.groups | Where-Object alias -EQ 'sales')[0]
    $site = @($contoso.sites | Where-Object { $_ -match 'marketing' })[0]
    $targetSite = $site -replace 'contoso', 'fabrikam' -replace 'marketing', 'contoso-marketing'

    Write-Step 'Before the first move: Test-SPOCrossTenantMigrationReadiness on the source, both sides checked'
    $movesCsv = Join-Path ([IO.Path]::GetTempPath()) "spo-demo-moves-$PID.csv"
    @(
        [pscustomobject]@{ SourceUserPrincipalName = $alex; TargetUserPrincipalName = $dana; SourceSiteUrl = ''; TargetSiteUrl = '' }
        [pscustomobject]@{ SourceUserPrincipalName = ''; TargetUserPrincipalName = ''; SourceSiteUrl = $site; TargetSiteUrl = $targetSite }
    ) | Export-Csv -LiteralPath $movesCsv -NoTypeInformation
    $report = Join-Path $demoFolder 'readiness.html'
    $findings = Test-SPOCrossTenantMigrationReadiness $fabrikamHost -Path $movesCsv -TargetAdminUrl $fabrikam.adminUrl -TargetAccessToken $fabrikam.accessToken -ReportPath $report
    $findings | Format-Table Result, Check, Target -AutoSize
    $failure = $findings | Where-Object Result -EQ 'Fail' | Select-Object -First 1
    $failure | Format-List Check, Target, Reason, Fix
    "Report: $report (and the CSV beside it)"
    Save-Screenshot $report 900

    Write-Step 'The fix, on the target tenant: the Add-SPOTenantIdentityMappingUser command the finding gives, and the entry (Get-)'
    $fix = "Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId '$($contoso.companyId)' -SourceUserKey '$alex' -TargetUserUpn '$dana' -TargetUserEmail '$dana' -UserType 'RegularUser'"
    if ($failure.Check -ne 'IdentityMap' -or $failure.Fix -ne "On the target tenant, run $fix") { throw "The readiness failure is not the missing identity map entry this demo fixes: $($failure.Fix)" }
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId $contoso.companyId -SourceUserKey $alex -TargetUserUpn $dana -TargetUserEmail $dana -UserType RegularUser
    Get-SPOTenantIdentityMappingUser -Field SourceUserKey -Value $alex | Format-Table

    Write-Step 'Readiness again, on the source: every check passes'
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    Test-SPOCrossTenantMigrationReadiness $fabrikamHost -Path $movesCsv -TargetAdminUrl $fabrikam.adminUrl -TargetAccessToken $fabrikam.accessToken |
        Format-Table Result, Check, Target -AutoSize
    Remove-Item -LiteralPath $movesCsv

    $bianca = @($contoso.users | Where-Object upn -Like 'bianca@*')[0].upn
    $chen = @($contoso.users | Where-Object upn -Like 'chen@*')[0].upn
    $emil = @($fabrikam.users | Where-Object upn -Like 'emil@*')[0].upn
    $chenNew = $chen -replace '^chen@contoso', 'chen.new@fabrikam'
    Write-Step 'fabrikam (target) uploads its whole identity map: an upload replaces the map, so it holds everyone, the three users and the group (Add-SPOTenantIdentityMap)'
    $mapPath = Join-Path ([IO.Path]::GetTempPath()) "spo-demo-identity-map-$PID.csv"
    $salesTarget = [guid]::NewGuid()
    Set-Content -LiteralPath $mapPath -Value @(
        "User,$($contoso.companyId),$alex,$dana,$dana,RegularUser"
        "User,$($contoso.companyId),$bianca,$emil,$emil,RegularUser"
        "User,$($contoso.companyId),$chen,$chenNew,$chenNew,RegularUser"
        "Group,$($contoso.companyId),$($sales.objectId),$salesTarget,sales-contoso,O365Group")
    Get-Content -LiteralPath $mapPath
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Add-SPOTenantIdentityMap -IdentityMapPath $mapPath -Verbose 4>&1 | Select-Object -Last 2
    Get-SPOTenantIdentityMappingGroup -Field SourceGroupObjectId -Value $sales.objectId | Format-List SourceGroupObjectId, TargetGroupObjectId, TargetGroupName, GroupType
    Remove-Item -LiteralPath $mapPath

    Write-Step 'contoso (source) starts a wave: three OneDrives, a site and a group (Start-SPOCrossTenant*ContentMove)'
    # Rehearsal of a failure: the emulator takes chen's licence away while the move is in its Backup phase.
    $null = Invoke-RestMethod -Method Post -Uri "http://$($startup.listen)/_emulator/move-faults" -ContentType 'application/json' `
        -Body (ConvertTo-Json "$chen=Backup:MnAUserNotLicensed")
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    $wave = @(
        @($alex, $bianca, $chen) | ForEach-Object { [pscustomobject]@{ SourceUserPrincipalName = $_; TargetUserPrincipalName = @{ $alex = $dana; $bianca = $emil; $chen = $chenNew }[$_] } } |
            Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $fabrikamHost
        Start-SPOCrossTenantSiteContentMove -SourceSiteUrl $site -TargetSiteUrl $targetSite -TargetCrossTenantHostUrl $fabrikamHost
        Start-SPOCrossTenantGroupContentMove -SourceGroupAlias sales -TargetGroupAlias sales-contoso -TargetCrossTenantHostUrl $fabrikamHost
    )
    $wave | Format-Table

    $waveReport = Join-Path $demoFolder 'wave.html'
    Write-Step "Wait for the wave, keeping a report up to date (Wait-SPOCrossTenantContentMove -ReportPath ${waveReport}: open it in a browser, it reloads itself)"
    $wave | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 1 -ReportPath $waveReport | Format-Table

    Write-Step 'See the wave: counts per kind and state, then the failures (Get-SPOCrossTenantMigrationStatus)'
    $status = Get-SPOCrossTenantMigrationStatus $fabrikamHost -ReportPath $waveReport
    $status | Out-Host
    $status.Failures | Format-List Kind, SourceContentKey, ErrorCode, ErrorMessage, Fix
    Save-Screenshot $waveReport 1700
    if ($status.Failed -ne 1 -or $status.Success -ne 4) { throw "Expected 4 moves in Success and 1 Failed, got: $($status.Success) Success, $($status.Failed) Failed." }

    Write-Step 'Follow the fix: the licence (the emulator stands in for Set-MgUserLicense), then the restart command it gives'
    $failure = $status.Failures[0]
    $null = Invoke-RestMethod -Method Delete -Uri "http://$($startup.listen)/_emulator/move-faults"
    $null = Invoke-RestMethod -Method Post -Uri "http://$($startup.listen)/_emulator/tenants/contoso/users" -ContentType 'application/json' -Body (ConvertTo-Json @($failure.SourceContentKey))
    $restart = @($failure.Fix -split "`n" | Where-Object { $_ -like 'Start-SPOCrossTenant*' })[0]
    $restart
    Invoke-Expression $restart | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 1 | Format-Table
    $status = Get-SPOCrossTenantMigrationStatus $fabrikamHost
    $status | Out-Host
    if ($status.Success -ne 5) { throw 'Not every move reached Success.' }
    "Reports: $demoFolder (readiness.html, wave.html, their CSVs and screenshots)"

    Write-Step 'The relationships each side holds (Get-SPOCrossTenantRelationship)'
    Get-SPOCrossTenantRelationship | Format-Table
    Connect-SPOService -Url $fabrikam.adminUrl -AccessToken $fabrikam.accessToken
    Get-SPOCrossTenantRelationship | Format-Table

    Write-Step 'Migrations done: both remove the relationship (Remove-SPOCrossTenantRelationship)'
    Remove-SPOCrossTenantRelationship MnA Source $contosoHost
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    Remove-SPOCrossTenantRelationship MnA Target $fabrikamHost

    Write-Step 'Verify again: the trust is gone'
    Verify-SPOCrossTenantRelationship MnA Target $fabrikamHost | Format-List
    Disconnect-SPOService
    Write-Host "`nDemo finished: the whole workflow ran against the local emulator." -ForegroundColor Green
}
finally {
    # Runs on success, on failure and on Ctrl+C, so the emulator never outlives the demo.
    if (-not $emulator.HasExited) { $emulator.Kill() }
    $emulator.Dispose()
}
