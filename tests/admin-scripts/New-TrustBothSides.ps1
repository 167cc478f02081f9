<#
    Sets up the trust on both tenants: reads each tenant's host URL, then names the partner on each
    side (source names the target as Target, target names the source as Source).
    The connection parameters are splatted to Connect-SPOService.
#>
param(
    [Parameter(Mandatory = $true)] [hashtable] $SourceConnection,
    [Parameter(Mandatory = $true)] [hashtable] $TargetConnection
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Get-HostUrl([hashtable] $Connection) {
    Connect-SPOService @Connection
    [string] $url = Get-SPOCrossTenantHostUrl
    return $url.TrimEnd('/')
}

$sourceHost = Get-HostUrl $SourceConnection
$targetHost = Get-HostUrl $TargetConnection
Write-Output "Source host: $sourceHost"
Write-Output "Target host: $targetHost"

Connect-SPOService @SourceConnection
Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $targetHost
Connect-SPOService @TargetConnection
Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $sourceHost

$targetSide = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $sourceHost
Connect-SPOService @SourceConnection
$sourceSide = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $targetHost
Write-Output "Source side: $sourceSide"
Write-Output "Target side: $targetSide"
if ($sourceSide -eq 'GoodToProceed' -and $targetSide -eq 'GoodToProceed') { Write-Output 'Both sides are GoodToProceed.' }
