# The migration suites' two tenants on one emulator: contoso (the source) and fabrikam (the target).
# Dot-source it in BeforeAll once $script:Emulator runs, naming the suite's work folder:
#   . (Join-Path $PSScriptRoot 'Helpers/TwoTenants.ps1') -WorkFolder spo-status
# It sets $script:Base (the emulator's URL), $script:Contoso and $script:Fabrikam (its tenants),
# $script:Partner (fabrikam's host URL) and $script:Work (a new folder in the temp folder), and
# defines the functions below.
param([Parameter(Mandatory)][string]$WorkFolder)

$script:Base = $script:Emulator.BaseUrl
$script:Contoso = $script:Emulator.Tenants.contoso
$script:Fabrikam = $script:Emulator.Tenants.fabrikam
$script:Partner = $script:Fabrikam.hostUrl
$script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "$WorkFolder-$PID"
$null = New-Item -ItemType Directory -Force -Path $script:Work

function Connect-Tenant { param($Tenant) Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken }

function Set-Trust {
    # Both sides set (the emulator runs with no waiting period); ends connected to the source.
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

function Get-EmulatorMoves {
    # The emulator's own list of a tenant's moves in one direction, as move state objects.
    param([string]$Tenant = 'contoso', [string]$Direction = 'MoveOut')
    @((Invoke-RestMethod "$script:Base/_emulator/tenants/$Tenant/moves").moves | Where-Object MoveDirection -EQ $Direction)
}
