# The output of Get-SPOCrossTenantCompatibilityStatus: a status value (StatusValue.ps1) named
# Compatible, Warning or Incompatible, with what to do next. The meaning of each is Microsoft's
# (cross-tenant migration guide, step "check compatibility"): Compatible or Warning, go on;
# Incompatible, check again later and contact support when it stays so for 24 hours.

$script:SpoCompatibilityAdvice = @{
    Compatible   = 'The tenants are compatible: go on with the migration (identity map, then the moves).'
    Warning      = 'The tenants are compatible with warnings: the migration may go on. Check the migration guide for features that will not carry over.'
    Incompatible = 'The tenants are not compatible yet. Make sure both tenants have set the trust (Verify-SPOCrossTenantRelationship gives GoodToProceed on both sides), check again later, and contact Microsoft support if it is still Incompatible after 24 hours, quoting TraceCorrelationId {CorrelationId}.'
}

function ConvertTo-SpoCompatibilityStatus {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $status = [System.Enum]::Parse([SPOCrossTenant.CompatibilityStatus], $Result.Value)
    $partner = $Arguments.PartnerCrossTenantHostUrl
    Add-SpoKnownPartner -Connection $Connection -Url $partner -Role Target -Note "compatibility: $status"
    $correlation = if ($Result.CorrelationId) { $Result.CorrelationId } else { '(none)' }
    $explanation = $script:SpoCompatibilityAdvice[$Result.Value].Replace('{CorrelationId}', $correlation)
    $Cmdlet.WriteVerbose("${status}: $explanation")
    New-SpoStatusValue -Status $status -TypeName 'SPOCrossTenant.CompatibilityCheck' -Property ([ordered]@{
            PartnerCrossTenantHostUrl = $partner
            Explanation               = $explanation
            TraceCorrelationId        = $Result.CorrelationId
        })
}
