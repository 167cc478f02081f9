function Get-SPOCrossTenantHostUrl {
    <#
    .SYNOPSIS
    Gets the cross-tenant host URL of the tenant you are connected to.

    .DESCRIPTION
    Get-SPOCrossTenantHostUrl returns this tenant's cross-tenant host URL, for example
    https://contoso-my.sharepoint.com/, as a string. It is the first step of the cross-tenant
    trust workflow: each tenant's admins run it on their own tenant and give the URL to the
    partner's admins, who use it as -PartnerCrossTenantHostUrl of Set-SPOCrossTenantRelationship,
    Test-SPOCrossTenantRelationship and Remove-SPOCrossTenantRelationship.

    The command sends one request (the CSOM method GetMySiteHostUrl) to the admin site chosen with
    Connect-SPOService. The URL is written as the server sent it (SharePoint adds a trailing
    slash); the other commands accept it with or without the slash.

    The module also remembers the URL for the current connection: the explanation written by
    Test-SPOCrossTenantRelationship then names it when the partner still has to set its side.

    A failure reported by SharePoint, or a request that gets no answer, is a non-terminating
    error whose message includes the TraceCorrelationId; use -ErrorAction Stop to turn it into an
    exception for try/catch.

    -Verbose shows which method is sent to which URL and the TraceCorrelationId of the answer;
    -Debug adds the engine's status, whether the request was sent, the HTTP status and the raw answer. Neither ever shows the access token.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantHostUrl.

    .OUTPUTS
    System.String
    This tenant's cross-tenant host URL.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled,
    NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantHostUrl

    Prints this tenant's host URL, e.g. https://contoso-my.sharepoint.com/, to send to the partner's admins.

    .EXAMPLE
    Connect-SPOService -Url https://fabrikam-admin.sharepoint.com -AccessToken $fabrikamToken
    $fabrikamHost = Get-SPOCrossTenantHostUrl
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken $contosoToken
    Set-SPOCrossTenantRelationship MnA Target $fabrikamHost

    An admin of both tenants reads the target's host URL, then names it on the source tenant.

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Test-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Remove-SPOCrossTenantRelationship

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant

    .LINK
    https://learn.microsoft.com/sharepoint/cross-tenant-onedrive-migration-step3
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param()

    Invoke-SpoTenantMethod $PSCmdlet GetMySiteHostUrl ([ordered]@{})
}
