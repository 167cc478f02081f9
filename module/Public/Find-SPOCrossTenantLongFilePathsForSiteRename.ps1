function Find-SPOCrossTenantLongFilePathsForSiteRename {
    <#
    .SYNOPSIS
    Finds the files whose paths would become too long if a site moved or were renamed to a new URL.

    .DESCRIPTION
    Find-SPOCrossTenantLongFilePathsForSiteRename asks the service which files of the site at
    -OldSiteUrl would end up with a full URL longer than 400 characters, SharePoint's limit, if the
    site had the URL -NewSiteUrl, as it does when a cross-tenant site move gives it a longer name.
    Run it before such a move, and shorten those folders or file names first.

    It writes each such file's new full URL as a string, and nothing at all when there is none, so
    @(Find-SPOCrossTenantLongFilePathsForSiteRename ...).Count tells how many need attention.

    .PARAMETER OldSiteUrl
    The site's current full URL, for example https://contoso.sharepoint.com/sites/Finance.

    .PARAMETER NewSiteUrl
    The URL the site would have, for example https://fabrikam.sharepoint.com/sites/ContosoFinanceDepartment.

    .INPUTS
    None. You cannot pipe objects to Find-SPOCrossTenantLongFilePathsForSiteRename.

    .OUTPUTS
    System.String
    One full URL per file whose path would be too long.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused URL (terminating):
    the ids of the engine's site URL checks, and TextHasNul; no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled,
    NotFound, HttpError, ServiceError, ServerError, NonJsonResponse, MalformedResponse, Network,
    Tls, Timeout, Cancelled.

    .EXAMPLE
    Find-SPOCrossTenantLongFilePathsForSiteRename -OldSiteUrl https://contoso.sharepoint.com/sites/Finance -NewSiteUrl https://fabrikam.sharepoint.com/sites/ContosoFinanceDepartment

    Lists the files to shorten before moving the site under its new, longer name.

    .EXAMPLE
    Find-SPOCrossTenantLongFilePathsForSiteRename https://contoso.sharepoint.com/sites/Finance https://fabrikam.sharepoint.com/sites/Fin | Set-Content too-long.txt

    Writes them to a file, one per line.

    .LINK
    Start-SPOCrossTenantSiteContentMove

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$OldSiteUrl,

        [Parameter(Mandatory, Position = 1)]
        [string]$NewSiteUrl
    )

    Invoke-SpoTenantMethod $PSCmdlet GetSPOCrossTenantLongFilePathsForSiteRename ([ordered]@{ OldSiteUrl = $OldSiteUrl; NewSiteUrl = $NewSiteUrl })
}
