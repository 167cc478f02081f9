function Wait-SPOCrossTenantContentMove {
    <#
    .SYNOPSIS
    Waits until cross-tenant moves reach a final state, and writes their final states.

    .DESCRIPTION
    Wait-SPOCrossTenantContentMove follows a batch of OneDrive account, site and group moves until
    each one is Success, Failed or Stopped, or until -Timeout seconds have passed. Pipe it the
    state objects that Start-SPOCrossTenant*ContentMove or Get-SPOCrossTenant*ContentMoveState
    write, the rows of the CSV the moves were started from, or source keys (a UPN is a OneDrive
    account, an https URL a site, anything else a group alias).

    It reads the states with one query per kind of move per poll, however many moves there are,
    starting every -PollIntervalSeconds and backing off (up to a minute) while nothing changes;
    throttled queries are retried as the service asks, within the limits set with
    Connect-SPOService. A progress view shows how many moves are in each state and the move that
    has been under way the longest.

    When all moves are final, it writes the final state objects (SPOCrossTenant.ContentMoveState,
    in the order they came in), ready for Export-Csv. At the timeout it writes a non-terminating
    MoveWaitTimeout error for each move still going, then the latest state of every move, so a
    report is complete either way. The moves themselves go on.

    With -ReportPath it keeps the report of Get-SPOCrossTenantMigrationStatus for the moves it
    waits for up to date (the counts, the two charts, the failures with their fixes, every move;
    and the CSV beside it): it writes it after a poll that changed something the report shows (a
    state, a phase, a percentage), not after one that did not; for a wave of more than 1,000
    moves at most every 30 seconds, because building the page of thousands of moves takes
    seconds; and always once the wait is over. While moves are still going, the page reloads
    itself, so a long wave can be watched in a browser tab; once the wait is over (every move
    final, the timeout, Ctrl+C or an error) it is written without the reload, and stays put.
    -Verbose says after each poll whether the report was written, and when it last was. A report
    that cannot be written (Excel keeps a CSV it has open) does not stop the wait: a warning says
    so, once per distinct failure, and it is written again at the next poll.

    .PARAMETER InputObject
    A move to wait for: a state object, a CSV row with the move commands' column names, or a
    source key. Usually piped.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, to read only the moves with that partner. Without
    it, moves with any partner are read (and matched by MoveJobId, or by source key).

    .PARAMETER Timeout
    The most seconds to wait; -1 (the default) waits until every move is final.

    .PARAMETER PollIntervalSeconds
    The first wait between two polls, in seconds (default 5); it grows by half each poll that
    sees no change, up to 60 seconds (or this value, when larger), and comes back when a state
    changes.

    .PARAMETER ReportPath
    Where to keep the HTML report: a file name ending in .html or .htm, for example ./wave.html;
    the CSV goes beside it (./wave.csv). The folder must exist; the files are replaced each time,
    in one rename, so a browser never shows half a page.

    .INPUTS
    System.Management.Automation.PSObject
    SPOCrossTenant.ContentMoveState objects, CSV rows with the move commands' column names, or
    source keys as strings.

    .OUTPUTS
    SPOCrossTenant.ContentMoveState
    The final (or, at the timeout, the latest) state of each move.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): no connection
    (terminating): NotConnected, ReportFolderNotFound and ReportPathInvalid (-ReportPath, checked before anything is sent); per move (non-terminating): MoveWaitTimeout (still going at the
    timeout), MoveNotFound (a key with no move), MoveInputInvalid (an object that names no move);
    five state queries failing in a row (terminating): the query's own error id, e.g.
    Unauthorized, Throttled, Network, Timeout.

    .EXAMPLE
    Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ | Wait-SPOCrossTenantContentMove | Export-Csv moved.csv -NoTypeInformation

    Starts the moves of a CSV, waits for all of them, and writes their final states to moved.csv.

    .EXAMPLE
    Get-SPOCrossTenantSiteContentMoveState -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -MoveState InProgress | Wait-SPOCrossTenantContentMove -Timeout 3600 -ErrorVariable late

    Waits at most an hour for the site moves under way; the moves still going then are in $late.

    .EXAMPLE
    'alex@contoso.com', 'https://contoso.sharepoint.com/sites/Finance' | Wait-SPOCrossTenantContentMove -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -PollIntervalSeconds 30

    Waits for the newest move of a OneDrive account and of a site, polling every 30 seconds or less often.

    .EXAMPLE
    Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ | Wait-SPOCrossTenantContentMove -PollIntervalSeconds 60 -ReportPath ./wave.html

    Starts the moves and keeps wave.html up to date until all are final: open it in a browser,
    it reloads itself while the wait goes on.

    .LINK
    Get-SPOCrossTenantMigrationStatus

    .LINK
    Start-SPOCrossTenantUserContentMove

    .LINK
    Get-SPOCrossTenantUserContentMoveState

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.ContentMoveState')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline)]
        [psobject]$InputObject,

        [Parameter()]
        [string]$PartnerCrossTenantHostUrl,

        [Parameter()]
        [ValidateRange(-1, [int]::MaxValue)]
        [int]$Timeout = -1,

        [Parameter()]
        [ValidateRange(0.1, 3600)]
        [double]$PollIntervalSeconds = 5,

        [Parameter()]
        [string]$ReportPath
    )

    begin { $moves = [System.Collections.Generic.List[object]]::new() }
    process { $moves.Add($InputObject) }
    end { Wait-SpoContentMoves $PSCmdlet $moves $PartnerCrossTenantHostUrl $Timeout $PollIntervalSeconds $ReportPath }
}
