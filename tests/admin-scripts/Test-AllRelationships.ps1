<#
    Verifies every relationship this tenant holds and writes a CSV of the results.
#>
param([Parameter(Mandatory = $true)] [string] $ReportPath)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$results = foreach ($relation in Get-SPOCrossTenantRelationship) {
    $status = Verify-SPOCrossTenantRelationship -Scenario $relation.Scenario -PartnerRole $relation.PartnerRole -PartnerCrossTenantHostUrl $relation.PartnerCrossTenantHostUrl
    New-Object -TypeName PSObject -Property @{
        Partner = $relation.PartnerCrossTenantHostUrl
        Role    = [string] $relation.PartnerRole
        Status  = $status
    }
}
$results | Select-Object Partner, Role, Status | Export-Csv -Path $ReportPath -NoTypeInformation
Write-Output ("{0} relationship(s) checked, {1} ready" -f @($results).Count, @($results | Where-Object { $_.Status -eq 'GoodToProceed' }).Count)
