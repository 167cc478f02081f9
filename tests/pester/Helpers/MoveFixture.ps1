# What the end-to-end suites of moves share: trust on both sides, identity-map lines, user rows
# and the emulator's own list of moves. Dot-source it after Emulator.ps1 in a suite whose BeforeAll
# sets $script:Emulator (Start-TestEmulator), $script:Contoso, $script:Fabrikam, $script:Partner
# (the target's host URL) and $script:Work (a scratch folder).

function Connect-Tenant { param($Tenant) Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken }

function Set-Trust {
    # Both sides set (the suites run the emulator with no waiting period); ends on the source.
    Connect-Tenant $script:Fabrikam
    Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
    Connect-Tenant $script:Contoso
    Set-SPOCrossTenantRelationship MnA Target $script:Partner
}

function Add-MapLine {
    # Uploads identity-map lines on the target, then connects back to the source.
    param([string[]]$Line)
    $path = Join-Path $script:Work "map-$([guid]::NewGuid()).csv"
    [System.IO.File]::WriteAllLines($path, $Line)
    Connect-Tenant $script:Fabrikam
    Add-SPOTenantIdentityMap -IdentityMapPath $path -ErrorAction Stop
    Connect-Tenant $script:Contoso
}

function User { param([string]$Name, [string]$Tenant = 'contoso') "$Name@$Tenant.onmicrosoft.com" }
function UserRow { param([string]$Source, [string]$Target) [pscustomobject]@{ SourceUserPrincipalName = (User $Source); TargetUserPrincipalName = (User $Target fabrikam) } }
function MapLine { param([string]$Source, [string]$Target) "User,$($script:Contoso.companyId),$(User $Source),$(User $Target fabrikam),$(User $Target fabrikam),RegularUser" }

function Get-EmulatorMoves {
    # The moves out of a tenant, as the emulator itself lists them.
    param([string]$Tenant = 'contoso')
    @((Invoke-RestMethod "$($script:Emulator.BaseUrl)/_emulator/tenants/$Tenant/moves").moves | Where-Object MoveDirection -EQ 'MoveOut')
}

function Add-EmulatorUsers {
    param([string[]]$Spec, [string]$Tenant = 'contoso')
    $null = Invoke-RestMethod -Method Post -Uri "$($script:Emulator.BaseUrl)/_emulator/tenants/$Tenant/users" -ContentType 'application/json' -Body (ConvertTo-Json -InputObject @($Spec))
}

function Start-ChildPwsh {
    # Runs $Script (a file) in a new pwsh process and returns the process, so a test can kill it.
    param([string]$Script)
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { $start.ArgumentList.Add([System.Environment]::GetCommandLineArgs()[0]) }
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $Script) { $start.ArgumentList.Add($argument) }
    $start.UseShellExecute = $false
    [System.Diagnostics.Process]::Start($start)
}

function Get-JournalRecord {
    # The complete records of a journal (a torn last line left out).
    param([string]$Path)
    if (-not (Test-Path -LiteralPath $Path)) { return @() }
    @(Get-Content -LiteralPath $Path | Where-Object { $_ -match '^\{.*\}$' } | ForEach-Object { $_ | ConvertFrom-Json })
}
