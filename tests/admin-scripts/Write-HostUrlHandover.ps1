<#
    Picks this tenant's host URL out of the printed output with the pattern scripts use for
    SharePoint Online host names, and prints the command the partner's admins must run.
#>
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$printed = Get-SPOCrossTenantHostUrl | Out-String
if ($printed -notmatch 'https?://[^\s/]+\.sharepoint\.com') {
    throw "No SharePoint Online host URL in: $($printed.Trim())"
}
Write-Output "Partner command: Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $($Matches[0])"
