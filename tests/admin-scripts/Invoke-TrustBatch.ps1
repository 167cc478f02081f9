<#
    Sets the trust toward several partners; a partner that fails is logged and the batch goes on.
    Per-item errors are collected with -ErrorVariable and do not stop the loop.
#>
param([Parameter(Mandatory = $true)] [string[]] $PartnerHostUrls)
Set-StrictMode -Version Latest

$failed = 0
foreach ($partner in $PartnerHostUrls) {
    $problems = $null
    Set-SPOCrossTenantRelationship MnA Target $partner -ErrorAction SilentlyContinue -ErrorVariable problems
    if ($problems) {
        $failed++
        Write-Output "FAILED ${partner}: $($problems[0].Exception.Message)"
    } else {
        Write-Output "OK $partner"
    }
}
Write-Output "$failed failed"
