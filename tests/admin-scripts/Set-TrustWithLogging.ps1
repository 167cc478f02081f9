<#
    Sets the trust and logs any failure with its message, the way scripts run by schedulers do.
    Exit code 1 when the service refused.
#>
param(
    [Parameter(Mandatory = $true)] [string] $PartnerHostUrl,
    [Parameter(Mandatory = $true)] [string] $LogPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

try {
    Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $PartnerHostUrl -ErrorAction Stop
    Add-Content -Path $LogPath -Value "OK $PartnerHostUrl"
} catch {
    Add-Content -Path $LogPath -Value ("FAILED {0}: {1}" -f $PartnerHostUrl, $_.Exception.Message)
    Write-Warning $_.Exception.Message
    exit 1
}
