function Get-SPOCrossTenantCompatibilityStatus {
    <#
    .SYNOPSIS
    Checks whether this tenant and a partner tenant are compatible for cross-tenant migration.

    .DESCRIPTION
    Get-SPOCrossTenantCompatibilityStatus is the step after trust in Microsoft's cross-tenant
    OneDrive and SharePoint migration guides. Run it on the SOURCE tenant (the one content moves
    out of), naming the target tenant's cross-tenant host URL, once
    Verify-SPOCrossTenantRelationship reports GoodToProceed on both sides.

    It writes one status, exactly as scripts written for Microsoft's module expect: the value
    compares, switches, interpolates, prints and exports as its name, one of
      Compatible     the migration may go on;
      Warning        the migration may go on, with warnings (see the migration guide);
      Incompatible   not yet: check again later, and contact Microsoft support when it is still
                     Incompatible after 24 hours.
    ($c -eq 'Compatible', switch ($c) { ... }, "$c", [string]$c and $c.Value all give the name.)
    The value also carries extras that never change how it compares or prints:
    PartnerCrossTenantHostUrl, Explanation (what to do next) and TraceCorrelationId (for a
    support case). Format-List and Format-Table show them; -Verbose prints the explanation.

    Microsoft does not document how the check is made. This module asks the SharePoint REST
    function XTenantMoveCompatibilityCheck of the admin site chosen with Connect-SPOService (an
    inference from the service's public metadata; see README.md), through the same connection,
    retries, time limits and error reporting as every other command.

    The partner URL is checked before anything is sent, as for Set-SPOCrossTenantRelationship:
    it must be an absolute https URL of the form https://<partner>-my.sharepoint.com with no path,
    query or user name. A refused URL is a terminating error. A failure reported by SharePoint, or
    a request that gets no answer, is a non-terminating error whose message includes the
    TraceCorrelationId; use -ErrorAction Stop to turn it into an exception for try/catch.

    -Verbose shows what is sent where and the TraceCorrelationId of the answer; -Debug adds the
    engine's status. Neither ever shows the access token.

    .PARAMETER PartnerCrossTenantHostUrl
    The target tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com, as
    its admins get it from Get-SPOCrossTenantHostUrl. Microsoft's guide spells the parameter
    -PartnerCrossTenantHostURL; PowerShell parameter names ignore case, so both work. Press Tab to
    complete the partner URLs this session has seen for the connected tenant.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantCompatibilityStatus.

    .OUTPUTS
    SPOCrossTenant.CompatibilityStatus
    One status (type names SPOCrossTenant.StatusValue and SPOCrossTenant.CompatibilityCheck),
    shown as its name; Format-Table shows Status and Explanation, Format-List every extra.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating): PartnerUrlEmpty, PartnerUrlNotAbsolute, PartnerUrlNotHttps,
    PartnerUrlHasUserInfo, PartnerUrlHasPath, PartnerUrlHasQueryOrFragment,
    PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, TextHasNul, TextHasControlCharacter;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError,
    HtmlResponse, NonJsonResponse, MalformedResponse, Network, Tls, Timeout, Cancelled.

    The check sends a request but changes nothing, so the command has no -WhatIf.

    .EXAMPLE
    Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Run on the source tenant (contoso): prints Compatible, Warning or Incompatible.

    .EXAMPLE
    $c = Get-SPOCrossTenantCompatibilityStatus https://fabrikam-my.sharepoint.com
    if ($c -eq 'Incompatible') { Write-Warning $c.Explanation; return }

    Stops a migration script while the tenants are not compatible, saying what to do.

    .LINK
    Test-SPOCrossTenantRelationship

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantHostUrl

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Remove-SPOCrossTenantRelationship

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.CompatibilityStatus')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$PartnerCrossTenantHostUrl
    )

    Invoke-SpoTenantMethod $PSCmdlet XTenantMoveCompatibilityCheck ([ordered]@{ PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl })
}
