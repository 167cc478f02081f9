<#
    Step 4 of the migration guide, on the source tenant: may the migration start?
    Compatible or Warning: go on (exit 0). Incompatible: wait up to 24 hours, then call support (exit 3).
#>
param([Parameter(Mandatory = $true)] [string] $TargetHostUrl)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$compatibility = Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $TargetHostUrl
Write-Output "Compatibility: $compatibility"
if ($compatibility -eq 'Compatible' -or $compatibility -eq 'Warning') {
    Write-Output 'GO'
    exit 0
}
if ($compatibility -eq 'Incompatible') {
    Write-Output 'WAIT: try again within 24 hours, then contact support.'
    exit 3
}
throw "Unexpected compatibility status $compatibility"
