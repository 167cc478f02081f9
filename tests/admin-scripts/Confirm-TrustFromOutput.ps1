<#
    Older scripts read the status from the printed output or from .Value, as with a CSOM ClientResult.
#>
param([Parameter(Mandatory = $true)] [string] $PartnerHostUrl)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$v = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $PartnerHostUrl
$printed = ($v | Out-String).Trim()
$fromValue = $v.Value -eq 'GoodToProceed'
$fromText = $printed -match 'GoodToProceed'
$asString = [string] $v
Write-Output "printed=$printed value=$fromValue text=$fromText string=$asString"
if ($fromValue -and $fromText -and $asString -eq 'GoodToProceed') { Write-Output 'CONFIRMED' } else { Write-Output 'NOT CONFIRMED' }
