function Test-SPOCrossTenantRelationship {
    <#
    .SYNOPSIS
    Checks where a cross-tenant trust relationship stands, and says what to do next.

    .DESCRIPTION
    Test-SPOCrossTenantRelationship asks the tenant you are connected to whether the trust
    relationship with a partner tenant is ready for cross-tenant migration. Run it on both
    tenants, each with its own arguments (the same ones it gave to
    Set-SPOCrossTenantRelationship), until both report GoodToProceed.

    It is also available under its original name, Verify-SPOCrossTenantRelationship, so scripts
    written for Microsoft's module run unchanged; the function itself uses the approved verb Test,
    so Import-Module prints no warning about unapproved verbs.

    The command sends one request per relationship (the CSOM method VerifySPOTenantOrgRelation) to
    the admin site chosen with Connect-SPOService, and writes one value per relationship: the
    status itself, an [Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus],
    exactly as scripts written for Microsoft's module expect. It compares, switches, casts,
    interpolates, prints and exports as its name: $v -eq 'GoodToProceed', switch ($v) { ... },
    "$v", [string]$v, $v.Value and an Export-Csv column all give GoodToProceed.

    The value also carries extras, as properties that never change how it compares or prints:
    Status (the same value, so Export-Csv and Format-List * show it as a column), Scenario,
    PartnerRole, PartnerCrossTenantHostUrl, Explanation (one line: what the status means and what
    to do next) and TraceCorrelationId (of the answer, for a support case). Format-List and
    Format-Table show them; -Verbose prints the explanation.

    The statuses and what to do:
      NotEstablished           This tenant has not set its side: run Set-SPOCrossTenantRelationship here.
      NotEstablishedByPartner  The partner has not set its mirror relationship: ask its admins to run
                               Set-SPOCrossTenantRelationship with the opposite role and this tenant's
                               host URL (Get-SPOCrossTenantHostUrl).
      Dormant                  This side was created less than seven days ago: wait.
      DormantByPartner         The partner created its side less than seven days ago: wait.
      CouldNotContactPartner   Check the partner URL (Get-SPOCrossTenantHostUrl on the partner) and that
                               the partner tenant exists and has the migration licence.
      GoodToProceed            Both sides agree: migrations may start.

    Relationships can be piped in: the output of Get-SPOCrossTenantRelationship* (or any object
    with Scenario, PartnerRole and PartnerCrossTenantHostUrl properties) binds by property name,
    and each one is verified in turn.

    The arguments are checked before anything is sent, as for Set-SPOCrossTenantRelationship.
    Given on the command line, a refused argument stops the command (a terminating error); for an
    object from the pipeline it is a non-terminating error for that object, and the next object is
    verified. A failure reported by SharePoint, or a request that gets no answer, is always a
    non-terminating error whose message includes the TraceCorrelationId.

    -Verbose shows which method is sent to which URL and the TraceCorrelationId of each answer;
    -Debug adds the engine's status, whether the request was sent, the HTTP status and the raw answer. Neither ever shows the access token.

    .PARAMETER Scenario
    What the trust is for: MnA (mergers and acquisitions), the only scenario SharePoint accepts.
    None is refused. Binds from the Scenario property of piped objects.

    .PARAMETER PartnerRole
    The part the partner tenant plays, as given to Set-SPOCrossTenantRelationship on this tenant:
    Source when content moves from the partner to this tenant, Target when it moves from this
    tenant to the partner. None is refused. Binds from the PartnerRole property of piped objects.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com, as
    its admins get it from Get-SPOCrossTenantHostUrl. Binds from the PartnerCrossTenantHostUrl
    property of piped objects. Press Tab to complete the partner URLs this session has seen for
    the connected tenant.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with Scenario, PartnerRole and PartnerCrossTenantHostUrl properties, such as the
    SPOCrossTenant.Relationship objects of Get-SPOCrossTenantRelationship.

    .OUTPUTS
    Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus
    One status per relationship verified (type names SPOCrossTenant.StatusValue and
    SPOCrossTenant.RelationshipVerification), shown as its name; Format-Table shows Status and
    Explanation, Format-List every extra.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating on the command line, non-terminating per piped object):
    ScenarioNone, ScenarioOutOfRange, PartnerRoleNone, PartnerRoleOutOfRange, PartnerUrlEmpty,
    PartnerUrlNotAbsolute, PartnerUrlNotHttps, PartnerUrlHasUserInfo, PartnerUrlHasPath,
    PartnerUrlHasQueryOrFragment, PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, PartnerUrlHasNoTenantName, TextHasNul,
    TextHasControlCharacter; no connection (terminating): NotConnected; request failures
    (non-terminating): Unauthorized, Forbidden, Throttled, NotFound, Redirected, HttpError,
    ServiceError, ServerError, HtmlResponse, NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls,
    Timeout, ResponseTooLarge, Cancelled.

    Verifying sends a request but changes nothing, so the command has no -WhatIf.

    .EXAMPLE
    Test-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Run on the source tenant (contoso): how the trust with fabrikam, the destination, stands.

    .EXAMPLE
    Verify-SPOCrossTenantRelationship MnA Source https://contoso-my.sharepoint.com

    The original command name with positional arguments, run on the destination tenant (fabrikam).

    .EXAMPLE
    do {
        $check = Verify-SPOCrossTenantRelationship MnA Target https://fabrikam-my.sharepoint.com -ErrorAction Stop
        if ($check -ne 'GoodToProceed') { $check.Explanation; Start-Sleep -Seconds 3600 }
    } until ($check -eq 'GoodToProceed')

    Checks every hour, printing what is still missing, until migrations may start.

    .EXAMPLE
    Get-SPOCrossTenantRelationship | Test-SPOCrossTenantRelationship

    Verifies every relationship this tenant holds.

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantHostUrl

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationshipByPartner

    .LINK
    Get-SPOCrossTenantRelationshipByScenario

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
    [Alias('Verify-SPOCrossTenantRelationship')]
    [OutputType('Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]$Scenario,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole,

        [Parameter(Mandatory, Position = 2, ValueFromPipelineByPropertyName)]
        [string]$PartnerCrossTenantHostUrl
    )

    process { Invoke-SpoTenantMethod $PSCmdlet VerifySPOTenantOrgRelation ([ordered]@{ Scenario = $Scenario; PartnerRole = $PartnerRole; PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl }) }
}
