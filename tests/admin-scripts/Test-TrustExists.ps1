<#
    Inventory: does this tenant hold any cross-tenant relationship? Writes one line per relationship.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$relations = @(Get-SPOCrossTenantRelationship -ErrorAction Stop)
if ($relations.Count -gt 0) {
    Write-Output "PRESENT: $($relations.Count) relationship(s)"
    foreach ($r in $relations) { Write-Output ("{0} {1} {2}" -f $r.Scenario, $r.PartnerRole, $r.PartnerCrossTenantHostUrl) }
} else {
    Write-Output 'ABSENT: no relationship'
}
$byPartner = @(Get-SPOCrossTenantRelationshipByScenario -Scenario MnA -PartnerRole Target)
Write-Output "TARGETS: $($byPartner.Count)"
