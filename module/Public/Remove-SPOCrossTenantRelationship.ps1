function Remove-SPOCrossTenantRelationship {
    <#
    .SYNOPSIS
    Ends this tenant's side of a cross-tenant trust relationship.

    .DESCRIPTION
    Remove-SPOCrossTenantRelationship removes, on the tenant you are connected to, the trust
    relationship toward a partner tenant that Set-SPOCrossTenantRelationship created. When the
    migrations are done, both tenants run it, each with its own arguments (the same ones it gave
    to Set-SPOCrossTenantRelationship). Afterwards Test-SPOCrossTenantRelationship reports
    NotEstablished on this tenant and NotEstablishedByPartner on the partner.

    The command sends one request per relationship (the CSOM method RemoveSPOTenantOrgRelation)
    to the admin site chosen with Connect-SPOService, and writes nothing to the pipeline when it
    succeeds.

    Relationships can be piped in: the output of Get-SPOCrossTenantRelationship* (or any object
    with Scenario, PartnerRole and PartnerCrossTenantHostUrl properties) binds by property name,
    and each one is removed in turn.

    It does not ask for confirmation by default (its ConfirmImpact is Medium, below the default
    $ConfirmPreference of High), like Set-SPOCrossTenantRelationship; -Confirm asks before each
    relationship, and -WhatIf shows what would be removed and sends nothing.

    The arguments are checked before anything is sent, as for Set-SPOCrossTenantRelationship.
    Given on the command line, a refused argument stops the command (a terminating error); for an
    object from the pipeline it is a non-terminating error for that object, and the next object is
    processed. A failure reported by SharePoint, for example removing a relationship that does not
    exist, or a request that gets no answer, is always a non-terminating error whose message
    includes the server's message, its ErrorCode and the TraceCorrelationId.

    -Verbose shows which method is sent to which URL and the TraceCorrelationId of each answer;
    -Debug adds the engine's status, whether the request was sent, the HTTP status and the raw answer. Neither ever shows the access token.

    .PARAMETER Scenario
    The scenario of the relationship to remove: MnA (mergers and acquisitions). None is refused.
    Binds from the Scenario property of piped objects.

    .PARAMETER PartnerRole
    The partner's role in the relationship to remove, as given to Set-SPOCrossTenantRelationship
    on this tenant: Source or Target. None is refused. Binds from the PartnerRole property of
    piped objects.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com.
    Binds from the PartnerCrossTenantHostUrl property of piped objects. Press Tab to complete the
    partner URLs this session has seen for the connected tenant.

    .PARAMETER WhatIf
    Shows the request that would be sent, and sends nothing.

    .PARAMETER Confirm
    Asks for confirmation before removing each relationship.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with Scenario, PartnerRole and PartnerCrossTenantHostUrl properties, such as the
    SPOCrossTenant.Relationship objects of Get-SPOCrossTenantRelationship.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating on the command line, non-terminating per piped object):
    ScenarioNone, ScenarioOutOfRange, PartnerRoleNone, PartnerRoleOutOfRange, PartnerUrlEmpty,
    PartnerUrlNotAbsolute, PartnerUrlNotHttps, PartnerUrlHasUserInfo, PartnerUrlHasPath,
    PartnerUrlHasQueryOrFragment, PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, PartnerUrlHasNoTenantName, TextHasNul,
    TextHasControlCharacter; no connection (terminating): NotConnected; request failures
    (non-terminating): ServerError (e.g. the relationship does not exist: MnATrustNoSetupForPartner),
    Unauthorized, Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError,
    HtmlResponse, NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    With -WhatIf the partner URL is not checked, because the checks happen in the engine as the
    request is prepared.

    .EXAMPLE
    Remove-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Run on the source tenant (contoso) when the migrations to fabrikam are done.

    .EXAMPLE
    Remove-SPOCrossTenantRelationship MnA Source https://contoso-my.sharepoint.com

    Run on the destination tenant (fabrikam), with positional arguments.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByPartner https://fabrikam-my.sharepoint.com | Remove-SPOCrossTenantRelationship -WhatIf

    Shows which relationships with fabrikam would be removed; drop -WhatIf to remove them.

    .EXAMPLE
    Get-SPOCrossTenantRelationship | Remove-SPOCrossTenantRelationship -Confirm

    Removes every relationship of this tenant, asking before each one.

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Test-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationshipByPartner

    .LINK
    Get-SPOCrossTenantRelationshipByScenario

    .LINK
    Get-SPOCrossTenantHostUrl

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]$Scenario,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole,

        [Parameter(Mandatory, Position = 2, ValueFromPipelineByPropertyName)]
        [string]$PartnerCrossTenantHostUrl
    )

    process { Invoke-SpoTenantMethod $PSCmdlet RemoveSPOTenantOrgRelation ([ordered]@{ Scenario = $Scenario; PartnerRole = $PartnerRole; PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl }) }
}
