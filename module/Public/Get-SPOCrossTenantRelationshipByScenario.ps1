function Get-SPOCrossTenantRelationshipByScenario {
    <#
    .SYNOPSIS
    Lists the cross-tenant trust relationships of the tenant you are connected to for one scenario and partner role.

    .DESCRIPTION
    Get-SPOCrossTenantRelationshipByScenario returns the trust relationships this tenant has set
    for a scenario (MnA) in which the partner plays the given role: with -PartnerRole Target, the
    partners this tenant migrates content to; with -PartnerRole Source, the partners it receives
    content from. Get-SPOCrossTenantRelationship lists them all.

    The command sends one request (the CSOM method GetSPOTenantOrgRelationByScenario) to the admin
    site chosen with Connect-SPOService, and writes one SPOCrossTenant.Relationship object per
    relationship: Scenario, PartnerRole, PartnerCrossTenantHostUrl, CreatedTime ([datetime] in
    UTC, or $null when the server does not say), plus any other field the server sends. No
    relationship writes nothing.

    Microsoft has not published the format of the server's list. When the module does not
    understand the answer, it writes a warning saying so and writes the server's raw string
    instead; -Debug always shows the raw string.

    The objects pipe into Test-SPOCrossTenantRelationship and Remove-SPOCrossTenantRelationship.

    The arguments are checked before anything is sent: the scenario and the role must not be None
    (a terminating error). A failure reported by SharePoint, or a request that gets no answer, is
    a non-terminating error whose message includes the TraceCorrelationId.

    -Verbose shows which method is sent to which URL, how many relationships came back and the
    TraceCorrelationId of the answer. Neither -Verbose nor -Debug ever shows the access token.

    .PARAMETER Scenario
    The scenario of the relationships to list: MnA (mergers and acquisitions). None is refused.

    .PARAMETER PartnerRole
    The role the partners play in the relationships to list: Source (content comes from them) or
    Target (content goes to them). None is refused.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantRelationshipByScenario.

    .OUTPUTS
    SPOCrossTenant.Relationship
    One object per relationship, shown as a table (Scenario, PartnerRole,
    PartnerCrossTenantHostUrl, CreatedTime).

    System.String
    The server's raw answer, only when its format was not understood (with a warning).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating): ScenarioNone, ScenarioOutOfRange, PartnerRoleNone,
    PartnerRoleOutOfRange; no connection (terminating): NotConnected; request failures
    (non-terminating): Unauthorized, Forbidden, Throttled, NotFound, Redirected, HttpError,
    ServiceError, ServerError, HtmlResponse, NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls,
    Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByScenario -Scenario MnA -PartnerRole Target

    Lists the partners this tenant migrates content to.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByScenario MnA Source | Test-SPOCrossTenantRelationship

    Verifies the relationships with every partner this tenant receives content from.

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationshipByPartner

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
        [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]$Scenario,

        [Parameter(Mandatory, Position = 1)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole
    )

    Invoke-SpoTenantMethod $PSCmdlet GetSPOTenantOrgRelationByScenario ([ordered]@{ Scenario = $Scenario; PartnerRole = $PartnerRole })
}
