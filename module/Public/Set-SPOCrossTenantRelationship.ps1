function Set-SPOCrossTenantRelationship {
    <#
    .SYNOPSIS
    Asks a partner tenant to trust this tenant for cross-tenant migration.

    .DESCRIPTION
    Set-SPOCrossTenantRelationship records, on the tenant you are connected to, a trust request
    toward a partner tenant, and the partner's administrators are notified. Both tenants run it,
    each naming the other: the source of the OneDrive or SharePoint migration names the partner
    with -PartnerRole Target, the destination names the partner with -PartnerRole Source.

    Then check the relationship with Verify-SPOCrossTenantRelationship (Test-SPOCrossTenantRelationship;
    same arguments, both sides) until it reports GoodToProceed; its output says what is still
    missing. A new relationship goes through a waiting period before it becomes usable.

    The command sends one request (the CSOM method NewSPOTenantOrgRelation) to the admin site
    chosen with Connect-SPOService, and writes nothing to the pipeline when it succeeds.

    The arguments are checked before anything is sent: the scenario and the role must not be None,
    and the partner URL must be the partner's cross-tenant host URL: an absolute https URL of
    the form https://<partner>-my.sharepoint.com with no path, query or user name. Such problems
    are terminating errors with the ids listed under NOTES.

    A failure reported by SharePoint, or a request that gets no answer, is a non-terminating error:
    use -ErrorAction Stop to turn it into an exception for try/catch, or -ErrorVariable to collect
    it. The message includes the server's message, its ErrorCode and the TraceCorrelationId that
    Microsoft support asks for; the same facts are fields of the exception
    ([SPOCrossTenant.ServerException]: CorrelationId, ServerErrorCode, ServerErrorTypeName,
    ServerMessage, HttpStatus, Kind, Id).

    -Verbose shows which method is sent to which URL and the TraceCorrelationId of the answer;
    -Debug adds the engine's status, whether the request was sent, the HTTP status and the raw answer. Neither ever shows the access token.

    .PARAMETER Scenario
    What the trust is for. MnA (mergers and acquisitions: migrating OneDrive accounts and sites
    between tenants) is the only scenario SharePoint accepts; None is refused.

    .PARAMETER PartnerRole
    The part the partner tenant plays in the migrations: Source when content moves from the
    partner to this tenant, Target when content moves from this tenant to the partner.
    None is refused.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com.
    The partner's administrators get it by running Get-SPOCrossTenantHostUrl on their tenant.

    .INPUTS
    None. You cannot pipe objects to Set-SPOCrossTenantRelationship.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating): ScenarioNone, ScenarioOutOfRange, PartnerRoleNone,
    PartnerRoleOutOfRange, PartnerUrlEmpty, PartnerUrlNotAbsolute, PartnerUrlNotHttps,
    PartnerUrlHasUserInfo, PartnerUrlHasPath, PartnerUrlHasQueryOrFragment,
    PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, PartnerUrlHasNoTenantName, TextHasNul, TextHasControlCharacter; no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled, NotFound,
    Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled. An empty -PartnerCrossTenantHostUrl is
    refused by PowerShell's parameter binding, as with the original cmdlet.

    -WhatIf shows the request without sending it; the partner URL is then not checked, because
    the checks happen in the engine as the request is prepared.

    .EXAMPLE
    Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Run on the source tenant (contoso): asks fabrikam, the destination of the migrations, to trust contoso.

    .EXAMPLE
    Set-SPOCrossTenantRelationship MnA Source https://contoso-my.sharepoint.com

    Run on the destination tenant (fabrikam), with positional arguments: names contoso as the source.

    .EXAMPLE
    try {
        Set-SPOCrossTenantRelationship MnA Target https://fabrikam-my.sharepoint.com -ErrorAction Stop
    } catch [SPOCrossTenant.ServerException] {
        Write-Warning "Refused: $($_.Exception.ServerMessage) (TraceCorrelationId $($_.Exception.CorrelationId))"
    }

    Handles a refusal by SharePoint and keeps the correlation id for a support case.

    .EXAMPLE
    Set-SPOCrossTenantRelationship MnA Target https://fabrikam-my.sharepoint.com -WhatIf

    Shows what would be sent, and sends nothing.

    .LINK
    Connect-SPOService

    .LINK
    https://learn.microsoft.com/sharepoint/cross-tenant-onedrive-migration-step3

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]$Scenario,

        [Parameter(Mandatory, Position = 1)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole,

        [Parameter(Mandatory, Position = 2)]
        [string]$PartnerCrossTenantHostUrl
    )

    Invoke-SpoTenantMethod $PSCmdlet NewSPOTenantOrgRelation ([ordered]@{ Scenario = $Scenario; PartnerRole = $PartnerRole; PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl })
}
