function Add-SPOTenantIdentityMap {
    <#
    .SYNOPSIS
    Uploads the identity map that tells the target tenant who is who after a cross-tenant migration.

    .DESCRIPTION
    Add-SPOTenantIdentityMap reads a CSV file that maps each user and group of the source tenant to
    its counterpart on this tenant, checks every row, and uploads it. Run it on the TARGET tenant,
    before moves start on the source tenant: a user or group that is not in the map cannot be moved.

    The file has six columns and no header row, one user or group per line:
      User,<source tenant id>,<source UPN>,<target UPN>,<target e-mail>,<UserType>
      Group,<source tenant id>,<source group object id>,<target group object id>,<group name>,<GroupType>
    UserType is RegularUser, AdminUser or GuestUser; GroupType is RegularGroup, AdminGroup or
    O365Group. The file may be saved by Excel as UTF-8 (with or without a byte order mark) or
    UTF-16, with Windows or Unix line ends, and fields may be quoted.

    An upload REPLACES the tenant's whole identity map (Microsoft's guide: "Uploading any new
    identity map will overwrite the current one"), so the file must hold every user and group of
    the migration, not only new ones. To add or correct single entries without uploading again,
    use Add-SPOTenantIdentityMappingUser and Add-SPOTenantIdentityMappingGroup; to look at
    entries, Get-SPOTenantIdentityMappingUser and Get-SPOTenantIdentityMappingGroup.

    Every row is checked before anything is sent. When any row is wrong, the command fails with one
    error that lists each bad row by its line number with what is wrong and how to fix it, and
    nothing is uploaded. A file that another program (such as Excel) holds open gives a clear
    message: close it there and run the command again.

    The map goes to the service in ONE request. SharePoint Online takes requests of at most
    2,097,152 bytes, which holds roughly 12,000 rows. A map too large for one request is refused
    before anything is sent, with its size and the limit: an upload sent in several requests may
    keep only its last part, because each request may replace the map. Split the migration into
    waves whose maps fit, and upload each wave's map before starting its moves. Or, on purpose,
    use -AllowMultipleRequests: the map then goes in parts that each fit, and afterwards the
    command reads back the first and last row of every part; if the service kept only the last
    part, it fails with an error naming the parts that are gone.

    After every upload the command reads back the first and last row it sent (through the same
    look-up as Get-SPOTenantIdentityMappingUser) to confirm the map is in place; -Verbose says
    so. A row not found is looked up again after 1 and 2 seconds, in case the service applies
    the map a moment after it answers (-Verbose says when it waits). If a row is still missing,
    the command fails with a terminating error (IdentityMapNotInPlace, or IdentityMapPartsLost
    for a map sent in parts): the upload as a whole did not do its job.

    Rows the service refuses are each a non-terminating error naming the line (use -ErrorVariable
    to collect them); the other rows are taken. They are written first, also when the read-back
    or a later request fails afterwards. Success writes nothing; -Verbose says how many rows were
    taken, in how many requests of what size.

    .PARAMETER IdentityMapPath
    The path of the CSV file, relative to the current location or absolute.

    .PARAMETER AllowMultipleRequests
    Lets a map too large for one request go in several. Use it only when you know the service
    keeps every part: each part is read back afterwards, and the command fails (a terminating
    error, IdentityMapPartsLost) naming the parts that are gone. Without it such a map is refused and nothing is sent. A map that fits goes in
    one request either way.

    .INPUTS
    None. You cannot pipe objects to Add-SPOTenantIdentityMap.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): the file (terminating, nothing
    uploaded): IdentityMapPathInvalid, IdentityMapFileNotFound, IdentityMapFileLocked,
    IdentityMapFileUnreadable, IdentityMapFileTooLarge, IdentityMapEncodingUnsupported,
    IdentityMapEmpty, IdentityMapInvalid, IdentityMapOverRequestLimit, IdentityMapRowTooLong,
    TextHasNul; a row the service refused (non-terminating): IdentityMapRowRejected; rows not in
    the tenant's map when read back (terminating, after the refused rows): IdentityMapNotInPlace,
    IdentityMapPartsLost; no connection (terminating): NotConnected; request failures
    (non-terminating): Unauthorized, Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, HtmlResponse,
    ServerError, NonJsonResponse, MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    -WhatIf shows what would be uploaded and sends nothing.

    .EXAMPLE
    Add-SPOTenantIdentityMap -IdentityMapPath ./identity-map.csv

    Run on the target tenant (fabrikam): checks and uploads the map.

    .EXAMPLE
    Add-SPOTenantIdentityMap ./identity-map.csv -ErrorVariable refused; $refused.Count

    Uploads the map and counts the rows the service refused.

    .EXAMPLE
    Add-SPOTenantIdentityMap ./identity-map.csv -Verbose

    Uploads the map and shows how many rows went in how many bytes, and the rows read back.

    .EXAMPLE
    Add-SPOTenantIdentityMap ./all-50000-users.csv -AllowMultipleRequests

    Sends a map larger than one request in parts, then fails naming any part the service did not keep.

    .LINK
    Add-SPOTenantIdentityMappingUser

    .LINK
    Get-SPOTenantIdentityMappingUser

    .LINK
    Start-SPOCrossTenantUserContentMove

    .LINK
    Start-SPOCrossTenantGroupContentMove

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$IdentityMapPath,

        [Parameter()]
        [switch]$AllowMultipleRequests
    )

    # A PowerShell path (relative, or on a PSDrive) becomes the file system path the engine reads.
    Invoke-SpoTenantMethod $PSCmdlet AddOrUpdateTenantIdentityMap ([ordered]@{
            IdentityMapPath = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($IdentityMapPath)
            AllowMultipleRequests = [bool]$AllowMultipleRequests })
}
