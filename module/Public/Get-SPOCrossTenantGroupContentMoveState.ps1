function Get-SPOCrossTenantGroupContentMoveState {
    <#
    .SYNOPSIS
    Gets the state of cross-tenant Microsoft 365 group site moves.

    .DESCRIPTION
    Get-SPOCrossTenantGroupContentMoveState reports the moves of Microsoft 365 group sites between this tenant and a partner tenant:
    on the source tenant the moves out, on the target tenant the moves in. Choose the moves in one
    of three ways:
      MoveReport (default)   every move with this partner, narrowed by -MoveState, -MoveDirection,
                             -MoveStartTime/-MoveEndTime (UTC) and at most -Limit of them;
      by source              the move of one Microsoft 365 group site (-SourceGroupAlias);
      SiteMoveId             the move with that job id (the MoveJobId of a state object).

    Each move is written as an SPOCrossTenant.ContentMoveState object: MoveState (a string such as
    NotStarted, Scheduled, ReadyToTrigger, InProgress, Success, Failed or Stopped, which compares
    and prints as its name), MovePhase while InProgress (Validation, Backup, Restore, Cleanup),
    PercentComplete, SourceSiteUrl, TargetSiteUrl, MoveJobId, SourceDataLocation,
    DestinationDataLocation, ErrorMessage, the dates in UTC (TimeStamp is the last change) and
    TraceCorrelationId. When no move matches, nothing at all is written.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com/.

    .PARAMETER PartnerRole
    The partner's role, as given to Set-SPOCrossTenantRelationship on this tenant: Target on the
    source tenant, Source on the target tenant. Without it, either.

    .PARAMETER SourceGroupAlias
    The alias (mail nickname) of the Microsoft 365 group on the source tenant, for example Finance. Its group site moves.

    .PARAMETER SiteMoveId
    The job id of one move (MoveJobId).

    .PARAMETER Limit
    The most moves to write (the oldest first); 0 or none: all.

    .PARAMETER MoveStartTime
    Only moves created at or after this time (UTC).

    .PARAMETER MoveEndTime
    Only moves created at or before this time (UTC).

    .PARAMETER MoveState
    Only moves in this state (All: any).

    .PARAMETER MoveDirection
    Only moves out of this tenant (MoveOut) or into it (MoveIn); All: both.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantGroupContentMoveState.

    .OUTPUTS
    SPOCrossTenant.ContentMoveState
    One object per move; nothing when none matches.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value (terminating):
    the ids of the engine's checks of the URL, the key and the times, and TextHasNul;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse,
    NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantGroupContentMoveState -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/

    Lists every Microsoft 365 group site move between this tenant and fabrikam.

    .EXAMPLE
    Get-SPOCrossTenantGroupContentMoveState -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -SourceGroupAlias Finance

    The state of one move.

    .EXAMPLE
    Get-SPOCrossTenantGroupContentMoveState -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -MoveState Failed | Export-Csv failed-moves.csv -NoTypeInformation

    Writes the failed moves, with their error messages, to a CSV report.

    .LINK
    Start-SPOCrossTenantGroupContentMove

    .LINK
    Stop-SPOCrossTenantGroupContentMove

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(DefaultParameterSetName = 'MoveReport')]
    [OutputType('SPOCrossTenant.ContentMoveState')]
    param(
        [Parameter(Mandatory)]
        [string]$PartnerCrossTenantHostUrl,

        [Parameter()]
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole,

        [Parameter(Mandatory, ParameterSetName = 'SourceGroupAlias')]
        [string]$SourceGroupAlias,

        [Parameter(Mandatory, ParameterSetName = 'SiteMoveId')]
        [guid]$SiteMoveId,

        [Parameter(ParameterSetName = 'MoveReport')]
        [uint32]$Limit,

        [Parameter(ParameterSetName = 'MoveReport')]
        [datetime]$MoveStartTime,

        [Parameter(ParameterSetName = 'MoveReport')]
        [datetime]$MoveEndTime,

        [Parameter(ParameterSetName = 'MoveReport')]
        [Microsoft.Online.SharePoint.PowerShell.MoveState]$MoveState,

        [Parameter(ParameterSetName = 'MoveReport')]
        [Microsoft.Online.SharePoint.PowerShell.MoveDirection]$MoveDirection
    )

    Invoke-SpoTenantMethod $PSCmdlet GetSPOCrossTenantContentMoveState ([ordered]@{ ContentType = 'Group'
            PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl; SourceGroupAlias = $PSBoundParameters['SourceGroupAlias']
            SiteMoveId = $PSBoundParameters['SiteMoveId']; MoveState = $PSBoundParameters['MoveState']; MoveDirection = $PSBoundParameters['MoveDirection']
            Limit = $PSBoundParameters['Limit']; MoveStartTime = $PSBoundParameters['MoveStartTime']; MoveEndTime = $PSBoundParameters['MoveEndTime']
            PartnerRole = $PSBoundParameters['PartnerRole'] })
}
