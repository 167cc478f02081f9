function Get-SPOCrossTenantMigrationStatus {
    <#
    .SYNOPSIS
    Gets the status of every cross-tenant move with a partner: counts, pace, failures and the fix of each.

    .DESCRIPTION
    Get-SPOCrossTenantMigrationStatus answers "how is the wave going, what failed, and what do I do
    about it" in one object. Run it on the source tenant (or on the target, for the moves in). It
    asks the service once per kind of move (OneDrive accounts, sites, groups: three state queries,
    sent together) and writes one SPOCrossTenant.MigrationStatus object:

      Total, Failed, InProgress, Scheduled, Stopped, Success
                           the counts per state, over every kind; Failed includes NotSupported,
                           and Scheduled is every move not running yet (NotStarted, Scheduled,
                           ReadyToTrigger, Queued, Rescheduled; a state the module does not know
                           is counted there too, and a warning names it);
      ByKind               the same counts per kind: ByKind.User, ByKind.Site, ByKind.Group;
      Moves                the move state objects, as Get-SPOCrossTenant*ContentMoveState writes
                           them (a key moved more than once counts once, as its newest move);
      Failures             one SPOCrossTenant.MoveFailure per failed move: Kind, SourceContentKey,
                           TargetContentKey, ErrorCode, ErrorMessage, TraceCorrelationId and Fix,
                           the exact next step decided from the service's error code: for a
                           missing identity-map entry the CSV line and the Add-SPOTenantIdentityMap
                           command to run on the target, for an unlicensed user the licence to
                           assign, for a target that already exists what to remove, and then the
                           Start- command that starts that one move again (not for a move the
                           service does not support: starting it again would not help);
      CompletedPerHour     moves completed (Success or Failed) per hour since the first move was
                           created, unrounded (the view and the report show one decimal);
      EstimatedCompletion  when the moves left would be done at that pace (UTC): once every move
                           is final, the last completion; $null while nothing has completed;
      GeneratedAt          when the status was read (UTC).

    Its default view fits one screen: the counts per kind and state, the pace, then the failures
    (Kind, key and error code; $status.Failures shows each fix). A failure carries the property
    names the Start- command of its kind binds, so the failures of one kind pipe into it to start
    again, on a new schedule (see the examples).

    An identity-map fix needs the source tenant's ID. Run on the source tenant, it is this
    tenant's. Run on the target (the moves in), it is read from this tenant's identity map, in
    the entry of a user who moved in (one request, only when such a fix needs it); when there is
    none, the fix says where to find the ID.

    With -ReportPath it also writes a report people can look at: one HTML file that needs nothing
    else (no external script, style, font or image) with the counts, a chart of the states per
    kind and a chart of the moves completed over time (both drawn by the module as SVG), the
    failures with their fixes, and every move in a table that sorts by any column and filters by
    state, failures first; and beside it a CSV (the same name, .csv) with one row per move: Kind,
    SourceContentKey, TargetContentKey, MoveState, MovePhase, PercentComplete, ErrorMessage, Fix.
    The page groups the failures by error code (what to do, the exact steps for the first move,
    then the moves, folded away beyond five); the CSV has every move's own fix. Numbers and dates
    are written the same in every culture. When a file cannot be written (Excel keeps a CSV it
    has open), the status is still written, then a non-terminating ReportWriteFailed error.
    Wait-SPOCrossTenantContentMove -ReportPath keeps such a report up to date while a wave runs.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com/.

    .PARAMETER MoveDirection
    MoveOut: only the moves out of this tenant; MoveIn: only those into it; All (or none): both.

    .PARAMETER ReportPath
    Where to write the HTML report: a file name ending in .html or .htm, for example ./wave.html;
    the CSV goes beside it (./wave.csv). The folder must exist; the files are replaced, each in
    one rename.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantMigrationStatus.

    .OUTPUTS
    SPOCrossTenant.MigrationStatus
    One object, whatever the number of moves (with none, its counts are 0).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): after the status, a report
    file that could not be written (non-terminating): ReportWriteFailed. The rest are terminating,
    and nothing is written when one of the three queries fails: NotConnected (run
    Connect-SPOService first), ReportFolderNotFound and ReportPathInvalid (-ReportPath: a folder,
    or not .html/.htm; checked before anything is sent), the engine's checks of the partner URL
    (PartnerUrl...), and request failures: Unauthorized, Forbidden, Throttled, NotFound,
    Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantMigrationStatus https://fabrikam-my.sharepoint.com/ -ReportPath ./wave.html

    Shows the counts and failures of every move with fabrikam, and writes wave.html and wave.csv.

    .EXAMPLE
    $status = Get-SPOCrossTenantMigrationStatus https://fabrikam-my.sharepoint.com/ MoveOut; $status.Failures | Format-List Kind, SourceContentKey, ErrorCode, Fix

    Lists each failed move out of this tenant with the exact step that fixes it.

    .EXAMPLE
    (Get-SPOCrossTenantMigrationStatus https://fabrikam-my.sharepoint.com/).Failures | Where-Object { $_.Kind -eq 'User' -and $_.ErrorCode -eq 'MnAMoveFailed' } | Start-SPOCrossTenantUserContentMove -Force

    Starts again every OneDrive move that failed for the service's own reasons (the failures bind
    by property name: SourceContentKey, TargetContentKey, TargetCrossTenantHostUrl).

    .EXAMPLE
    $status = Get-SPOCrossTenantMigrationStatus https://fabrikam-my.sharepoint.com/; "$($status.Success) of $($status.Total) done, $($status.Failed) failed; done by $($status.EstimatedCompletion) UTC"

    One line for a daily mail.

    .LINK
    Wait-SPOCrossTenantContentMove

    .LINK
    Get-SPOCrossTenantUserContentMoveState

    .LINK
    Start-SPOCrossTenantUserContentMove

    .LINK
    Test-SPOCrossTenantMigrationReadiness

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.MigrationStatus')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$PartnerCrossTenantHostUrl,

        [Parameter(Position = 1)]
        [Microsoft.Online.SharePoint.PowerShell.MoveDirection]$MoveDirection,

        [Parameter()]
        [string]$ReportPath
    )

    Get-SpoMigrationStatus $PSCmdlet $PartnerCrossTenantHostUrl $PSBoundParameters['MoveDirection'] $ReportPath
}
