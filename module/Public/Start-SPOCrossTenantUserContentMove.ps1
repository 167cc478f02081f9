function Start-SPOCrossTenantUserContentMove {
    <#
    .SYNOPSIS
    Starts moving OneDrive accounts from this tenant to a partner tenant.

    .DESCRIPTION
    Start-SPOCrossTenantUserContentMove schedules the cross-tenant move of one OneDrive account per row. Run it on the
    SOURCE tenant, after the trust is GoodToProceed on both sides (Verify-SPOCrossTenantRelationship),
    Get-SPOCrossTenantCompatibilityStatus is Compatible or Warning, and the target tenant has uploaded
    its identity map (Add-SPOTenantIdentityMap).

    Rows can come from the pipeline, bound by property name, typically from a CSV:
    Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl <target host URL>. All rows are
    read first: a batch of more than 4,000 moves (the service's limit) is refused before anything
    is sent. Then each row is one request, and up to -ThrottleLimit of them (16 unless you say
    otherwise) are in flight at once, under a progress bar: against a service that takes hundreds
    of milliseconds per request, a wave of thousands of rows starts in minutes instead of hours.
    What you see is as if the rows were sent one by one: one output object or one error per row,
    in input order. A row the engine or the service refuses is a non-terminating error that names
    the row, and the batch goes on; -ErrorVariable collects them. With -ErrorAction Stop no row is
    sent after the first failure; the rows already in flight finish (and are journaled), a
    warning names them, and the failed row's error stops the command.

    The service sets the pace: when it throttles (HTTP 429 or 503 with Retry-After), every request
    of the connection waits as long as it asked, fewer are sent at once, and more again once its
    answers are good; from 80% of its budget (RateLimit headers) requests are spread out before it
    has to throttle. A throttled row is retried for as long as the service keeps naming waits,
    within -MaxRetrySeconds of Connect-SPOService: a throttled wave costs time, not rows.
    Get-SPOCrossTenantConnection shows how many requests are in flight and any wait in force.

    Only piped rows overlap: calling the command once per row from a foreach loop sends one
    request at a time, exactly as before. Pipe the rows to get the overlap. Because rows are sent
    ahead of their output, a pipeline stopped early (Ctrl+C, or Select-Object -First after this
    command) may leave up to -ThrottleLimit rows sent, and started, whose output never came: give
    -JournalPath for a wave, so that the journal records each of them and -Resume goes on from it.

    Each started move is written as an SPOCrossTenant.ContentMoveState object (MoveState,
    MoveJobId, SourceSiteUrl, TargetSiteUrl, ...). Follow it with
    Get-SPOCrossTenantUserContentMoveState; stop it, before it is InProgress, with
    Stop-SPOCrossTenantUserContentMove.

    -WhatIf shows each move that would start and sends nothing; -Confirm asks before each one.
    -Verbose shows what is sent where and the TraceCorrelationId of each answer.

    .PARAMETER SourceUserPrincipalName
    The user principal name of the user on the source tenant, for example alex@contoso.com. Their OneDrive moves. Binds from the SourceUserPrincipalName property of piped objects, or from SourceContentKey (the name a move state object and a failure of Get-SPOCrossTenantMigrationStatus give it).

    .PARAMETER TargetUserPrincipalName
    The user principal name the same person has on the target tenant, for example alex@fabrikam.com. It must be in the target tenant's identity map (Add-SPOTenantIdentityMap). Binds from the TargetUserPrincipalName property of piped objects, or from TargetContentKey (the name a move state object and a failure of Get-SPOCrossTenantMigrationStatus give it).

    .PARAMETER TargetCrossTenantHostUrl
    The target tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com/, as
    its admins get it from Get-SPOCrossTenantHostUrl.

    .PARAMETER PreferredMoveBeginDate
    The earliest time, in UTC, at which the move may begin. A date without a time zone is taken as
    UTC; a local date is converted. Without it, the move begins as soon as the service schedules it.
    A blank or null value (an empty CSV cell) means not given. A piped move state object, or a
    failure of Get-SPOCrossTenantMigrationStatus, is a restart on a new schedule: the dates of its
    old schedule are not taken (-Verbose says so); give this parameter on the command line to
    schedule the restarts.

    .PARAMETER PreferredMoveEndDate
    The time, in UTC, by which the move should have begun; it must be after -PreferredMoveBeginDate.
    A move that has not begun by then is cancelled by the service. A blank or null value (an empty
    CSV cell) means not given. A piped move state object carries the end date its move was started
    with, likely past by now: it is a restart on a new schedule, and that date is not taken
    (-Verbose says so); give this parameter on the command line to set one for the restarts.

    .PARAMETER ValidationOnly
    Runs the service's checks for the move (trust, identity map, licence, target) without moving
    anything. A move that passes is written with ValidationOnly set to True; one that fails is an error.

    .PARAMETER Force
    Moves even when the target already exists, which the service otherwise refuses.

    .PARAMETER JournalPath
    A journal file for this batch (JSON lines): each row's request is recorded, and flushed to
    disk, before it is sent and again with its outcome (Started with the MoveJobId, or
    NotStarted), so a batch that dies half-way (Ctrl+C, a reboot, a lost network) leaves an exact
    record. A journal that already records rows is refused without -Resume (JournalExists), so
    running the same command twice cannot start the batch twice. Not written with -WhatIf.

    .PARAMETER Resume
    Continues the batch recorded in -JournalPath: rows already started are skipped (said with
    -Verbose and counted at the end); a row whose request was in flight when the earlier run
    stopped is looked up with the move state query and started only if the service never got
    it (and if that request lands late, the service's refusal of a second active move for the
    key is taken as proof, not shown as an error); every other row is started. Give the same
    input as the first run.

    .PARAMETER ThrottleLimit
    How many requests of the batch may be in flight at once, from 1 (one at a time) to 64; the
    default is 16. At a real tenant's few hundred milliseconds per request, 16 start a 4,000-row
    wave in a few minutes at a rate of tens of requests a second, which a tenant's per-minute
    budget (1,200 to 6,000 resource units by tenant size) allows for a while; when it does not,
    the service throttles and every request of the connection slows down as it asks, so a higher
    value mostly buys more throttling. Lower it when other tools work on the same tenant at the
    same time, or use 1 to send one at a time.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with SourceUserPrincipalName and TargetUserPrincipalName properties (and optionally
    TargetCrossTenantHostUrl, PreferredMoveBeginDate, PreferredMoveEndDate), such as the rows of
    Import-Csv; or with SourceContentKey and TargetContentKey instead, such as the move state
    objects of Get-SPOCrossTenantUserContentMoveState and the Failures of
    Get-SPOCrossTenantMigrationStatus whose Kind is User.

    .OUTPUTS
    SPOCrossTenant.ContentMoveState
    One object per move started (or validated).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): the batch (terminating,
    nothing sent): MoveBatchTooLarge, and for the journal JournalPathMissing, JournalExists,
    JournalFolderNotFound, JournalUnreadable, JournalInvalid, JournalUnwritable; a row whose
    interrupted start could not be looked up on -Resume (non-terminating, not started):
    JournalLookupFailed; a refused row (non-terminating when piped): the ids of the
    engine's checks of user names, site URLs, group aliases, host URLs and dates, and TextHasNul;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse,
    NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Start-SPOCrossTenantUserContentMove -SourceUserPrincipalName alex@contoso.com -TargetUserPrincipalName alex@fabrikam.com -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/

    Starts one move on the source tenant (contoso) toward fabrikam.

    .EXAMPLE
    Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -ErrorVariable refused

    Starts a move per row of a CSV whose columns are SourceUserPrincipalName,TargetUserPrincipalName; the rows that were refused are in $refused.

    .EXAMPLE
    Start-SPOCrossTenantUserContentMove alex@contoso.com alex@fabrikam.com https://fabrikam-my.sharepoint.com/ -PreferredMoveBeginDate (Get-Date).ToUniversalTime().Date.AddDays(1).AddHours(22)

    Schedules the move for 22:00 UTC tomorrow.

    .EXAMPLE
    Import-Csv users.csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -JournalPath ./users.journal.jsonl

    Starts the batch and records each row in users.journal.jsonl. If the run dies half-way, run
    the same line again with -Resume: only the rows not yet started are started, none twice.

    .EXAMPLE
    Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -MoveState Failed | Start-SPOCrossTenantUserContentMove -Force -JournalPath ./restart-onedrives.jsonl

    Starts every failed OneDrive move again, once each: the state objects bind by property name
    (SourceContentKey, TargetContentKey, TargetCrossTenantHostUrl). -Force lets a move that failed
    part-way go into the target it left behind. Get-SPOCrossTenantMigrationStatus says first what
    to fix for each failure that a restart alone does not cure. The service keeps listing a failed
    move after its key has moved again: after a first restart, start again from the Failures of
    Get-SPOCrossTenantMigrationStatus, which hold only the newest move of each key.

    .LINK
    Get-SPOCrossTenantMigrationStatus

    .LINK
    Stop-SPOCrossTenantUserContentMove

    .LINK
    Get-SPOCrossTenantUserContentMoveState

    .LINK
    Add-SPOTenantIdentityMap

    .LINK
    Get-SPOCrossTenantCompatibilityStatus

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('SPOCrossTenant.ContentMoveState')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('SourceContentKey')]
        [string]$SourceUserPrincipalName,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [Alias('TargetContentKey')]
        [string]$TargetUserPrincipalName,

        [Parameter(Mandatory, Position = 2, ValueFromPipelineByPropertyName)]
        [string]$TargetCrossTenantHostUrl,

        [Parameter(Position = 3, ValueFromPipelineByPropertyName)]
        [SPOCrossTenant.OptionalDate()]
        [datetime]$PreferredMoveBeginDate,

        [Parameter(Position = 4, ValueFromPipelineByPropertyName)]
        [SPOCrossTenant.OptionalDate()]
        [datetime]$PreferredMoveEndDate,

        [Parameter()]
        [switch]$ValidationOnly,

        [Parameter()]
        [switch]$Force,

        [Parameter()]
        [string]$JournalPath,

        [Parameter()]
        [switch]$Resume,

        [Parameter()]
        [ValidateRange(1, 64)]
        [int]$ThrottleLimit
    )

    begin { $batch = New-SpoMoveBatch $PSCmdlet StartSPOCrossTenantContentMove 'Starting OneDrive account moves' $script:SpoMoveBatchLimit $JournalPath $Resume.IsPresent $ThrottleLimit }
    process {
        Add-SpoMoveBatchRow $batch ([ordered]@{ ContentType = 'Odb'; SourceUserPrincipalName = $SourceUserPrincipalName; TargetUserPrincipalName = $TargetUserPrincipalName
                TargetCrossTenantHostUrl = $TargetCrossTenantHostUrl; PreferredMoveBeginDate = $PSBoundParameters['PreferredMoveBeginDate']
                PreferredMoveEndDate = $PSBoundParameters['PreferredMoveEndDate']; ValidationOnly = [bool]$ValidationOnly; Force = [bool]$Force }) $_
    }
    end { Invoke-SpoMoveBatch $batch }
}
