<#
    Polls the cross-tenant trust until it is GoodToProceed, or gives up after a time limit.
    Run on either tenant after Connect-SPOService. Exit code 0 when ready, 2 on time-out.
#>
param(
    [Parameter(Mandatory = $true)] [string] $PartnerHostUrl,
    [ValidateSet('Source', 'Target')] [string] $PartnerRole = 'Target',
    [int] $TimeoutSeconds = 60,
    [int] $IntervalSeconds = 1
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$deadline = (Get-Date).AddSeconds($TimeoutSeconds)
do {
    $status = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole $PartnerRole -PartnerCrossTenantHostUrl $PartnerHostUrl
    Write-Output ("{0:u} status: {1}" -f (Get-Date), $status)
    if ($status -eq 'GoodToProceed') {
        Write-Output 'Trust is ready: migrations may start.'
        exit 0
    }
    Start-Sleep -Seconds $IntervalSeconds
} while ((Get-Date) -lt $deadline)

Write-Output "Gave up after $TimeoutSeconds seconds; last status was $status."
exit 2
