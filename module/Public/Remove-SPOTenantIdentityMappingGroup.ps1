function Remove-SPOTenantIdentityMappingGroup {
    <#
    .SYNOPSIS
    Takes group entries out of the target tenant's identity map.

    .DESCRIPTION
    Remove-SPOTenantIdentityMappingGroup removes the group entries whose field has the given
    value from the identity map of the tenant you are connected to (the TARGET tenant), without
    uploading the whole map again. A group without an entry cannot be moved.

    The command first reads the entries that match, then removes them; -Verbose names what was
    removed. When nothing matches, nothing is removed and the command writes a non-terminating
    error (IdentityMappingNotFound) naming the field and the value.

    -WhatIf shows what would be removed and sends nothing; -Confirm asks first. An object ID
    that is not a GUID is refused before anything is sent.

    .PARAMETER Field
    Which field to match: SourceGroupObjectId, TargetGroupObjectId or TargetGroupName.

    .PARAMETER Value
    The value the field must have: an object ID, or a group name.

    .INPUTS
    None. You cannot pipe objects to Remove-SPOTenantIdentityMappingGroup.

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
    Remove-SPOTenantIdentityMappingGroup -Field SourceGroupObjectId -Value 7c9e6679-7425-40de-944b-e07fc1f90ae7

    Takes one source group out of the map.

    .EXAMPLE
    Remove-SPOTenantIdentityMappingGroup TargetGroupName 'Sales (old)' -Confirm

    Asks, then removes the entries whose target group name is 'Sales (old)'.

    .LINK
    Get-SPOTenantIdentityMappingGroup

    .LINK
    Add-SPOTenantIdentityMappingGroup

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingGroupField]$Field,

        [Parameter(Mandatory, Position = 1)]
        [string]$Value
    )

    Invoke-SpoTenantMethod $PSCmdlet RemoveTenantGroupIdentityMappingItem ([ordered]@{ Field = $Field; Value = $Value })
}
