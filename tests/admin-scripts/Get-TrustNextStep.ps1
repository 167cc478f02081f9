<#
    Tells the admin what to do next, from the verification status.
#>
param([Parameter(Mandatory = $true)] [string] $PartnerHostUrl)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$result = Verify-SPOCrossTenantRelationship MnA Target $PartnerHostUrl
switch ($result) {
    'GoodToProceed'           { 'NEXT: start the migration' }
    'NotEstablished'          { 'NEXT: run Set-SPOCrossTenantRelationship on this tenant' }
    'NotEstablishedByPartner' { 'NEXT: ask the partner to run Set-SPOCrossTenantRelationship' }
    'Dormant'                 { 'NEXT: wait for the waiting period' }
    'DormantByPartner'        { 'NEXT: wait for the partner''s waiting period' }
    'CouldNotContactPartner'  { 'NEXT: check the partner URL' }
    default                   { "NEXT: unknown status $result" }
}
