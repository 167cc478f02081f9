function Get-SPOTenantIdentityMappingGroup {
    <#
    .SYNOPSIS
    Shows the group entries of the target tenant's identity map that match one field.

    .DESCRIPTION
    Get-SPOTenantIdentityMappingGroup looks group entries up in the identity map of the tenant
    you are connected to (the TARGET tenant of a migration), by one field: SourceGroupObjectId,
    TargetGroupObjectId (both GUIDs) or TargetGroupName (the whole name, ignoring case).

    Each entry is written as one SPOCrossTenant.TenantGroupIdentityMapping object with the
    properties of Microsoft's class: SourceTenantCompanyId, SourceGroupObjectId,
    TargetGroupObjectId, TargetGroupName and GroupType, plus the TraceCorrelationId of the
    answer, shown as a table of TargetGroupName, GroupType and the two object IDs
    (Format-List * shows every property). No entry writes nothing.

    An object ID that is not a GUID is refused before anything is sent. A failure reported by
    SharePoint is a non-terminating error whose message includes the TraceCorrelationId.

    .PARAMETER Field
    Which field to match: SourceGroupObjectId, TargetGroupObjectId or TargetGroupName.

    .PARAMETER Value
    The value the field must have: an object ID, or a group name.

    .INPUTS
    None. You cannot pipe objects to Get-SPOTenantIdentityMappingGroup.

    .OUTPUTS
    SPOCrossTenant.TenantGroupIdentityMapping
    One object per matching entry; nothing when none matches.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value (nothing
    sent): IdentityMappingValueInvalid, TextHasNul; no connection (terminating): NotConnected;
    request failures (non-terminating): Unauthorized, Forbidden, Throttled, NotFound,
    Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOTenantIdentityMappingGroup -Field SourceGroupObjectId -Value 7c9e6679-7425-40de-944b-e07fc1f90ae7

    Shows where a source group is mapped to.

    .EXAMPLE
    if (-not (Get-SPOTenantIdentityMappingGroup TargetGroupObjectId $newGroup.Id)) { 'not mapped yet' }

    Checks whether any source group is mapped to a target group.

    .LINK
    Add-SPOTenantIdentityMappingGroup

    .LINK
    Remove-SPOTenantIdentityMappingGroup

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.TenantGroupIdentityMapping')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingGroupField]$Field,

        [Parameter(Mandatory, Position = 1)]
        [string]$Value
    )

    Invoke-SpoTenantMethod $PSCmdlet GetTenantGroupIdentityMappingItem ([ordered]@{ Field = $Field; Value = $Value })
}
