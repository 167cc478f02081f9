# What each verification status means and what to do next: the Explanation that
# Test-SPOCrossTenantRelationship (Verify-SPOCrossTenantRelationship) writes with the status,
# because the bare status names do not say what to do (protocol.md section 7).
#
# One line per status. {Scenario}, {PartnerRole}, {OppositeRole}, {PartnerUrl} and {OwnHostUrl}
# are filled in with the arguments of the verification, so the advice can be run as written.
# "Seven days" is the service's waiting period (Microsoft Learn, cross-tenant OneDrive migration
# step 3); a local emulator may use another.
$script:SpoVerificationAdvice = @{
    NotEstablished          = 'This tenant has not set its side of the relationship: run Set-SPOCrossTenantRelationship -Scenario {Scenario} -PartnerRole {PartnerRole} -PartnerCrossTenantHostUrl {PartnerUrl} on this tenant.'
    NotEstablishedByPartner = 'The partner has not set its mirror relationship: ask the admins of {PartnerUrl} to run Set-SPOCrossTenantRelationship -Scenario {Scenario} -PartnerRole {OppositeRole} -PartnerCrossTenantHostUrl {OwnHostUrl} on their tenant.'
    Dormant                 = "This tenant's side was created less than seven days ago and is still in its waiting period: wait, then verify again."
    DormantByPartner        = "The partner created its side less than seven days ago and it is still in its waiting period: wait, then verify again."
    CouldNotContactPartner  = "SharePoint could not reach a partner tenant at {PartnerUrl}: check the URL (the partner's admins get it with Get-SPOCrossTenantHostUrl), and that the partner tenant exists and has the Cross-Tenant User Data Migration licence."
    GoodToProceed           = 'Both tenants have set matching relationships and the waiting period is over: migrations may start.'
}

function Get-SpoVerificationAdvice {
    # The one-line explanation for $Status (an OrgRelationVerificationStatus, or its name).
    # $OwnHostUrl is this tenant's host URL when known (Get-SPOCrossTenantHostUrl ran on this
    # connection); otherwise the advice says how to get it.
    param([string]$Status, [string]$Scenario, [string]$PartnerRole, [string]$PartnerCrossTenantHostUrl, [string]$OwnHostUrl)
    $template = $script:SpoVerificationAdvice[$Status]
    if (-not $template) { return "Status $Status is not one this module knows; see the documentation of VerifySPOTenantOrgRelation." }
    $opposite = switch ($PartnerRole) { 'Source' { 'Target' } 'Target' { 'Source' } default { '<the opposite role>' } }
    if (-not $OwnHostUrl) { $OwnHostUrl = "<this tenant's host URL, from Get-SPOCrossTenantHostUrl>" }
    $advice = $template.Replace('{Scenario}', $Scenario).Replace('{PartnerRole}', $PartnerRole).Replace('{OppositeRole}', $opposite)
    $advice.Replace('{PartnerUrl}', $PartnerCrossTenantHostUrl).Replace('{OwnHostUrl}', $OwnHostUrl)
}

function ConvertTo-SpoVerificationStatus {
    # The output of Verify-/Test-SPOCrossTenantRelationship: the status value (StatusValue.ps1) for
    # the status name the engine read from the answer, with the explanation, also said to -Verbose.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $status = [System.Enum]::Parse([Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus], $Result.Value)
    $partner = $Arguments.PartnerCrossTenantHostUrl
    # A partner SharePoint could not reach is most likely a mistyped URL: not worth offering again.
    if ($Result.Value -ne 'CouldNotContactPartner') {
        Add-SpoKnownPartner -Connection $Connection -Url $partner -Role $Arguments.PartnerRole -Note "verified: $status"
    }
    $explanation = Get-SpoVerificationAdvice -Status $status -Scenario $Arguments.Scenario -PartnerRole $Arguments.PartnerRole `
        -PartnerCrossTenantHostUrl $partner -OwnHostUrl (Get-SpoKnownHostUrl $Connection)
    $Cmdlet.WriteVerbose("VerifySPOTenantOrgRelation answered $status; TraceCorrelationId $(if ($Result.CorrelationId) { $Result.CorrelationId } else { '(none)' }).")
    $Cmdlet.WriteVerbose("${status}: $explanation")
    New-SpoStatusValue -Status $status -TypeName 'SPOCrossTenant.RelationshipVerification' -Property ([ordered]@{
            Scenario                  = $Arguments.Scenario
            PartnerRole               = $Arguments.PartnerRole
            PartnerCrossTenantHostUrl = $partner
            Explanation               = $explanation
            TraceCorrelationId        = $Result.CorrelationId
        })
}
