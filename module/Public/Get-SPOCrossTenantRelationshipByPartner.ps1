function Get-SPOCrossTenantRelationshipByPartner {
    <#
    .SYNOPSIS
    Lists the cross-tenant trust relationships of the tenant you are connected to with one partner.

    .DESCRIPTION
    Get-SPOCrossTenantRelationshipByPartner returns the trust relationships this tenant has set
    toward the partner tenant whose cross-tenant host URL you give, in any scenario and role.
    Get-SPOCrossTenantRelationship lists them all.

    The command sends one request (the CSOM method GetSPOTenantOrgRelationByPartner) to the admin
    site chosen with Connect-SPOService, and writes one SPOCrossTenant.Relationship object per
    relationship: Scenario, PartnerRole, PartnerCrossTenantHostUrl, CreatedTime ([datetime] in
    UTC, or $null when the server does not say), plus any other field the server sends. No
    relationship writes nothing.

    Microsoft has not published the format of the server's list. When the module does not
    understand the answer, it writes a warning saying so and writes the server's raw string
    instead; -Debug always shows the raw string.

    The objects pipe into Test-SPOCrossTenantRelationship and Remove-SPOCrossTenantRelationship.

    The partner URL is checked before anything is sent, as for Set-SPOCrossTenantRelationship; a
    refused URL is a terminating error. A failure reported by SharePoint, or a request that gets
    no answer, is a non-terminating error whose message includes the TraceCorrelationId.

    -Verbose shows which method is sent to which URL, how many relationships came back and the
    TraceCorrelationId of the answer. Neither -Verbose nor -Debug ever shows the access token.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com, as
    its admins get it from Get-SPOCrossTenantHostUrl. Press Tab to complete the partner URLs this
    session has seen for the connected tenant.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantRelationshipByPartner.

    .OUTPUTS
    SPOCrossTenant.Relationship
    One object per relationship, shown as a table (Scenario, PartnerRole,
    PartnerCrossTenantHostUrl, CreatedTime).

    System.String
    The server's raw answer, only when its format was not understood (with a warning).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating): PartnerUrlEmpty, PartnerUrlNotAbsolute, PartnerUrlNotHttps,
    PartnerUrlHasUserInfo, PartnerUrlHasPath, PartnerUrlHasQueryOrFragment,
    PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, PartnerUrlHasNoTenantName, TextHasNul, TextHasControlCharacter;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError,
    HtmlResponse, NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByPartner -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Lists this tenant's relationships with fabrikam.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByPartner https://fabrikam-my.sharepoint.com | Test-SPOCrossTenantRelationship

    Verifies every relationship with fabrikam.

    .LINK
    Get-SPOCrossTenantRelationship

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
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$PartnerCrossTenantHostUrl
    )

    Invoke-SpoTenantMethod $PSCmdlet GetSPOTenantOrgRelationByPartner ([ordered]@{ PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl })
}
