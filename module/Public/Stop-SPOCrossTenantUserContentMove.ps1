function Stop-SPOCrossTenantUserContentMove {
    <#
    .SYNOPSIS
    Stops a cross-tenant OneDrive account move that has not begun yet.

    .DESCRIPTION
    Stop-SPOCrossTenantUserContentMove cancels the move of a OneDrive account started with
    Start-SPOCrossTenantUserContentMove. Run it on the SOURCE tenant. The service stops a
    move only while it has not begun: a move that is InProgress, or already ended in Success,
    cannot be stopped, and the command then fails with the service's message.

    Rows can come from the pipeline by property name (for example the same CSV the moves were
    started from); each is one request, up to -ThrottleLimit of them in flight at once (16 unless
    you say otherwise; the service sets the pace as for the Start- commands), under a progress
    bar. Each row's output or error comes in input order, and a row that fails is a
    non-terminating error that names it. The stopped move is written as an
    SPOCrossTenant.ContentMoveState object whose MoveState is Stopped.

    -WhatIf shows what would be stopped and sends nothing; -Confirm asks before each one.

    .PARAMETER SourceUserPrincipalName
    The user principal name of the user on the source tenant, for example alex@contoso.com. Their OneDrive moves. Binds from the SourceUserPrincipalName property of piped objects, or from SourceContentKey (a move state object's).

    .PARAMETER ThrottleLimit
    How many requests of the batch may be in flight at once, from 1 (one at a time) to 64; the
    default is 16. At a real tenant's few hundred milliseconds per request, 16 stop a 4,000-row
    wave in a few minutes at a rate of tens of requests a second, which a tenant's per-minute
    budget (1,200 to 6,000 resource units by tenant size) allows for a while; when it does not,
    the service throttles and every request of the connection slows down as it asks, so a higher
    value mostly buys more throttling. Lower it when other tools work on the same tenant at the
    same time, or use 1 to send one at a time.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with a SourceUserPrincipalName property, or a SourceContentKey property, such as the move state
    objects of Get-SPOCrossTenantUserContentMoveState.

    .OUTPUTS
    SPOCrossTenant.ContentMoveState
    The move as it stands after the stop.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value: the ids of
    the engine's checks, and TextHasNul; the service's refusals (a move that is InProgress or done,
    or no such move) are ServerError;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse,
    NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Stop-SPOCrossTenantUserContentMove -SourceUserPrincipalName alex@contoso.com

    Stops the scheduled move of alex@contoso.com.

    .EXAMPLE
    Import-Csv users.csv | Stop-SPOCrossTenantUserContentMove -WhatIf

    Shows which moves of the CSV would be stopped.

    .LINK
    Start-SPOCrossTenantUserContentMove

    .LINK
    Get-SPOCrossTenantUserContentMoveState

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType('SPOCrossTenant.ContentMoveState')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('SourceContentKey')]
        [string]$SourceUserPrincipalName,

        [Parameter()]
        [ValidateRange(1, 64)]
        [int]$ThrottleLimit
    )

    begin { $batch = New-SpoMoveBatch $PSCmdlet StopSPOCrossTenantContentMove 'Stopping OneDrive account moves' 0 '' $false $ThrottleLimit }
    process { Add-SpoMoveBatchRow $batch ([ordered]@{ ContentType = 'Odb'; SourceUserPrincipalName = $SourceUserPrincipalName }) }
    end { Invoke-SpoMoveBatch $batch }
}
