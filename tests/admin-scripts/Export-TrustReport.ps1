<#
    Verifies the trust with every partner listed and writes a CSV report, one row per partner.
#>
param(
    [Parameter(Mandatory = $true)] [string[]] $PartnerHostUrls,
    [Parameter(Mandatory = $true)] [string] $ReportPath
)
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$rows = @()
foreach ($partner in $PartnerHostUrls) {
    $v = Verify-SPOCrossTenantRelationship MnA Target $partner
    $rows += [pscustomobject]@{
        Partner      = $partner
        VerifyStatus = $v
        Ready        = ($v -eq 'GoodToProceed')
        CheckedOn    = (Get-Date).ToString('yyyy-MM-dd')
    }
}
$rows | Export-Csv -Path $ReportPath -NoTypeInformation -Encoding UTF8
Write-Output "Report written to $ReportPath ($($rows.Count) partners)."
