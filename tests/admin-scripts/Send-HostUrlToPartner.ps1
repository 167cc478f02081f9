<#
    Reads this tenant's cross-tenant host URL and writes it into a hand-over note for the partner.
#>
param([Parameter(Mandatory = $true)] [string] $NotePath)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$text = Get-SPOCrossTenantHostUrl | Out-String
if ($text -match 'https?://[^\s]+') {
    $hostUrl = $Matches[0]
} else {
    throw "No URL in: $text"
}
Set-Content -Path $NotePath -Value @(
    'Please run on your tenant:',
    "Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $hostUrl"
)
Write-Output $hostUrl
