function Remove-SPOTenantIdentityMappingUser {
    <#
    .SYNOPSIS
    Takes user entries out of the target tenant's identity map.

    .DESCRIPTION
    Remove-SPOTenantIdentityMappingUser removes the user entries whose field has the given value
    from the identity map of the tenant you are connected to (the TARGET tenant), for example one
    wrong entry, without uploading the whole map again. A user without an entry cannot be moved.

    The command first reads the entries that match, then removes them; -Verbose names what was
    removed. When nothing matches, nothing is removed and the command writes a non-terminating
    error (IdentityMappingNotFound) naming the field and the value.

    -WhatIf shows what would be removed and sends nothing; -Confirm asks first. The value is
    checked by the rule of its field before anything is sent.

    .PARAMETER Field
    Which field to match: SourceUserKey, TargetUserPuid, TargetUserUpn or TargetUserEmail.

    .PARAMETER Value
    The value the field must have, for example alex@contoso.com.

    .INPUTS
    None. You cannot pipe objects to Remove-SPOTenantIdentityMappingUser.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): nothing matched
    (non-terminating): IdentityMappingNotFound; a refused value (nothing sent):
    IdentityMappingValueInvalid, TextHasNul; no connection (terminating): NotConnected; request
    failures (non-terminating): Unauthorized, Forbidden, Throttled, NotFound, Redirected,
    HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse, MalformedResponse,
    Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Remove-SPOTenantIdentityMappingUser -Field SourceUserKey -Value alex@contoso.com

    Takes alex@contoso.com out of the map.

    .EXAMPLE
    Remove-SPOTenantIdentityMappingUser TargetUserUpn dana@fabrikam.com -WhatIf

    Shows that the entries mapped to dana@fabrikam.com would be removed, without removing them.

    .LINK
    Get-SPOTenantIdentityMappingUser

    .LINK
    Add-SPOTenantIdentityMappingUser

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingUserField]$Field,

        [Parameter(Mandatory, Position = 1)]
        [string]$Value
    )

    Invoke-SpoTenantMethod $PSCmdlet RemoveTenantUserIdentityMappingItem ([ordered]@{ Field = $Field; Value = $Value })
}
