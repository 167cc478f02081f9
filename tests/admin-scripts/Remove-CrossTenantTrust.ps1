<#
    After the migration: removes the trust on this tenant and checks it is gone.
#>
param(
    [Parameter(Mandatory = $true)] [string] $PartnerHostUrl,
    [string] $PartnerRole = 'Target'
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$before = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole $PartnerRole -PartnerCrossTenantHostUrl $PartnerHostUrl
Write-Output "Before: $before"
Remove-SPOCrossTenantRelationship -Scenario MnA -PartnerRole $PartnerRole -PartnerCrossTenantHostUrl $PartnerHostUrl -Confirm:$false
$after = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole $PartnerRole -PartnerCrossTenantHostUrl $PartnerHostUrl
if ($after.ToString() -eq 'NotEstablished') {
    Write-Output 'Removed: the relationship is NotEstablished.'
} else {
    throw "Removal did not take effect: status is $after"
}
