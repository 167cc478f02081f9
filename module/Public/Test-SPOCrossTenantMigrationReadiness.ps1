function Test-SPOCrossTenantMigrationReadiness {
    <#
    .SYNOPSIS
    Finds, before any move starts, which cross-tenant moves would fail and what to do about each.

    .DESCRIPTION
    Test-SPOCrossTenantMigrationReadiness runs on the SOURCE tenant (after Connect-SPOService) and
    checks everything the service checks when a move starts, without starting anything:

      SourceTrust      the trust with the partner, as this tenant sees it (GoodToProceed or not);
      Compatibility    Get-SPOCrossTenantCompatibilityStatus for the partner;
      TargetConnection, TargetHostUrl, TargetTrust
                       with -TargetAdminUrl and -TargetAccessToken: the partner URL is the target
                       tenant's, and the trust as the target tenant sees it;
      Row              each row's shape: one kind of move per row, both keys filled, no repeated
                       source, the values the move commands accept;
      BatchSize        at most 4,000 moves of one kind in the batch;
      IdentityMap      with the target connection, per OneDrive row, the target tenant's identity
                       map read as Get-SPOTenantIdentityMappingUser reads it: an entry for the
                       source user, for this source tenant, mapped to the row's target;
      Validation, IdentityMap, Licence, TargetConflict, Source, ExistingMove
                       per row, a validation-only start (the service checks trust, the source,
                       the licence, the target tenant's identity map, active moves and the target,
                       and keeps nothing); a refused row becomes a finding of the check that
                       refused it;
      LongPaths        per site row, the files whose paths would exceed 400 characters under
                       the new URL.

    Rows come from the pipeline or from the CSV at -Path, with the property names of the move
    commands: SourceUserPrincipalName/TargetUserPrincipalName (OneDrive accounts),
    SourceSiteUrl/TargetSiteUrl (sites) or SourceGroupAlias/TargetGroupAlias (groups). The kind
    of each row is read from which of these it fills, so one CSV may mix kinds.

    The command writes one SPOCrossTenant.ReadinessFinding object per finding, as soon as it is
    known: Check, Target (the tenant or "row N (source -> target)"), Result (Pass, Warning or
    Fail, a string that compares and sorts by name), Reason (plain words) and Fix (the exact
    command or CSV change that resolves it: the Add-SPOTenantIdentityMappingUser command that adds
    or corrects a user's identity map entry on the target, the Set-SPOCrossTenantRelationship
    command and the tenant to run it on, the row and column to change, ...), plus Row, Kind,
    SourceKey and TraceCorrelationId. A summary follows on the host (the information stream,
    never mixed into the objects). A progress bar shows the rows.

    The target-side checks need a way to reach the target tenant: -TargetAdminUrl with
    -TargetAccessToken. The command signs in with them on a second connection of its own and
    closes it when it ends; the session's connection (Connect-SPOService) is neither used for the
    target nor replaced, so the commands that follow still act on the source tenant.

    Up to -ThrottleLimit row checks are in flight at once; throttled requests are retried as the
    service asks, within the limits set with Connect-SPOService. Nothing is changed on either
    tenant: validation-only starts keep nothing.

    .PARAMETER PartnerCrossTenantHostUrl
    The target tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com/, as
    its admins get it with Get-SPOCrossTenantHostUrl.

    .PARAMETER InputObject
    A row to check: any object with the move commands' property names, such as a row of
    Import-Csv. Usually piped.

    .PARAMETER Path
    The path of a CSV of moves, with the column names the Start-SPOCrossTenant*ContentMove
    commands bind (see the description). Its rows are checked after any piped rows.

    .PARAMETER TargetAdminUrl
    The admin site of the target tenant, for example https://fabrikam-admin.sharepoint.com, for
    the target-side checks. Needs -TargetAccessToken.

    .PARAMETER TargetAccessToken
    An access token for -TargetAdminUrl, as a String or a SecureString (for example
    (Get-AzAccessToken -ResourceUrl https://fabrikam-admin.sharepoint.com -AsSecureString).Token).
    It is handed to the engine for the second connection only, never written anywhere, and wiped
    when the command ends.

    .PARAMETER ReportPath
    Where to write an HTML report of the findings (a file name ending in .html or .htm): one self-contained
    file (no external resources) with the counts per result and a table you can sort by clicking a column heading.
    A CSV of the same findings is written beside it (the same name with .csv).

    .PARAMETER ThrottleLimit
    How many row checks may be in flight at once on each tenant (default 4, at most 16): with
    -TargetAdminUrl, the identity map reads on the target run alongside the checks on the
    source. Each row costs a request or two, and a real tenant answers in tens to hundreds of
    milliseconds: overlapping them shortens a large check several times over
    (bench/Measure-Readiness.ps1 measures it). Throttled requests are still retried as the
    service asks; use 1 to send one at a time to each tenant.

    .INPUTS
    System.Management.Automation.PSObject
    Rows with the move commands' property names, such as the rows of Import-Csv.

    .OUTPUTS
    SPOCrossTenant.ReadinessFinding
    One object per finding.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>), all terminating and raised
    before anything is sent: NotConnected (run Connect-SPOService for the source tenant first),
    ReadinessFileNotFound (-Path), ReportFolderNotFound and ReportPathInvalid (-ReportPath), TargetAccessTokenMissing,
    TargetAdminUrlMissing, and the engine's checks of the partner URL (PartnerUrl...). Failures
    of the service, of the target sign-in and of single rows are findings, not errors.

    Finding checks and their results: SourceTrust, TargetTrust (Pass, Warning while dormant,
    Fail), Compatibility (Pass, Warning, Fail), Connection, TargetConnection, TargetHostUrl,
    Row, BatchSize, Validation (Pass, or Warning when the service could not be asked),
    IdentityMap (Pass when read on the target, Warning when the target's map could not be read,
    Fail), Licence, TargetConflict, Source (Fail), ExistingMove (Warning), LongPaths (Pass, Fail).

    .EXAMPLE
    Import-Csv users.csv | Test-SPOCrossTenantMigrationReadiness https://fabrikam-my.sharepoint.com/ | Where-Object Result -NE 'Pass' | Format-List Check, Target, Reason, Fix

    Checks the OneDrive moves of a CSV and shows only what needs attention, each with its fix.

    .EXAMPLE
    Test-SPOCrossTenantMigrationReadiness -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ -Path moves.csv -TargetAdminUrl https://fabrikam-admin.sharepoint.com -TargetAccessToken $fabrikamToken -ReportPath ./readiness.html

    Checks a CSV that mixes users, sites and groups from both sides (the target's trust and host
    URL through a second connection) and writes readiness.html and readiness.csv.

    .EXAMPLE
    $findings = Test-SPOCrossTenantMigrationReadiness https://fabrikam-my.sharepoint.com/ -Path sites.csv; if (-not ($findings | Where-Object Result -EQ 'Fail')) { Import-Csv sites.csv | Start-SPOCrossTenantSiteContentMove -TargetCrossTenantHostUrl https://fabrikam-my.sharepoint.com/ }

    Starts the site moves only when nothing fails.

    .LINK
    Start-SPOCrossTenantUserContentMove

    .LINK
    Add-SPOTenantIdentityMappingUser

    .LINK
    Add-SPOTenantIdentityMap

    .LINK
    Get-SPOCrossTenantCompatibilityStatus

    .LINK
    Find-SPOCrossTenantLongFilePathsForSiteRename

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.ReadinessFinding')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$PartnerCrossTenantHostUrl,

        [Parameter(ValueFromPipeline)]
        [psobject]$InputObject,

        [Parameter()]
        [string]$Path,

        [Parameter()]
        [string]$TargetAdminUrl,

        [Parameter()]
        [ValidateScript({ $_ -is [string] -or $_ -is [securestring] }, ErrorMessage = 'The access token must be a String or a SecureString.')]
        [object]$TargetAccessToken,

        [Parameter()]
        [string]$ReportPath,

        [Parameter()]
        [ValidateRange(1, 16)]
        [int]$ThrottleLimit = 4
    )

    begin { $rows = [System.Collections.Generic.List[object]]::new() }
    process { if ($PSBoundParameters.ContainsKey('InputObject')) { $rows.Add($InputObject) } }
    end { Invoke-SpoMigrationReadiness $PSCmdlet $PartnerCrossTenantHostUrl $rows $Path $TargetAdminUrl $TargetAccessToken $ReportPath $ThrottleLimit }
}
