function Get-SPOCrossTenantRelationship {
    <#
    .SYNOPSIS
    Lists every cross-tenant trust relationship of the tenant you are connected to.

    .DESCRIPTION
    Get-SPOCrossTenantRelationship returns the trust relationships this tenant has set with
    Set-SPOCrossTenantRelationship, toward any partner and in any role. To list only some, use
    Get-SPOCrossTenantRelationshipByPartner or Get-SPOCrossTenantRelationshipByScenario.

    The command sends one request (the CSOM method GetSPOTenantOrgRelationAll) to the admin site
    chosen with Connect-SPOService. The server answers with a serialized list, which the module
    turns into one SPOCrossTenant.Relationship object per relationship: Scenario
    ([Microsoft.SharePoint.Client.Administration.OrgRelationScenario]), PartnerRole
    ([Microsoft.SharePoint.Client.Administration.OrgRelationRole]), PartnerCrossTenantHostUrl,
    CreatedTime ([datetime] in UTC, or $null when the server does not say), plus any other field
    the server sends. No relationship writes nothing.

    Microsoft has not published the format of that list. When the module does not understand the
    answer, it writes a warning saying so and writes the server's raw string instead, so nothing
    is lost; -Debug always shows the raw string.

    The objects pipe into Test-SPOCrossTenantRelationship and Remove-SPOCrossTenantRelationship.
    The partner URLs are remembered for tab completion of -PartnerCrossTenantHostUrl.

    A failure reported by SharePoint, or a request that gets no answer, is a non-terminating
    error whose message includes the TraceCorrelationId.

    -Verbose shows which method is sent to which URL, how many relationships came back and the
    TraceCorrelationId of the answer. Neither -Verbose nor -Debug ever shows the access token.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantRelationship.

    .OUTPUTS
    SPOCrossTenant.Relationship
    One object per relationship, shown as a table (Scenario, PartnerRole,
    PartnerCrossTenantHostUrl, CreatedTime).

    System.String
    The server's raw answer, only when its format was not understood (with a warning).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled,
    NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantRelationship

    Lists this tenant's relationships as a table.

    .EXAMPLE
    Get-SPOCrossTenantRelationship | Test-SPOCrossTenantRelationship

    Verifies every relationship of this tenant.

    .EXAMPLE
    Get-SPOCrossTenantRelationship | Where-Object CreatedTime -lt (Get-Date).AddDays(-90) | Remove-SPOCrossTenantRelationship -WhatIf

    Shows which relationships older than 90 days would be removed.

    .LINK
    Get-SPOCrossTenantRelationshipByPartner

    .LINK
    Get-SPOCrossTenantRelationshipByScenario

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Test-SPOCrossTenantRelationship

    .LINK
    Remove-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantHostUrl

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.Relationship', [string])]
    param()

    Invoke-SpoTenantMethod $PSCmdlet GetSPOTenantOrgRelationAll ([ordered]@{})
}
