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
    O365Group (None is accepted too). The file may be saved by Excel as UTF-8 (with or without a
    byte order mark) or UTF-16, with Windows or Unix line ends, and fields may be quoted.

    Every row is checked before anything is sent. When any row is wrong, the command fails with one
    error that lists each bad row by its line number with what is wrong and how to fix it, and
    nothing is uploaded. A file that another program (such as Excel) holds open gives a clear
    message: close it there and run the command again.

    Large maps are uploaded in chunks under a progress bar. Rows the service refuses are each a
    non-terminating error naming the line (use -ErrorVariable to collect them); the other rows stay
    uploaded. Running the command again adds new rows and updates existing ones. Success writes
    nothing; -Verbose says how many rows were taken.

    .PARAMETER IdentityMapPath
    The path of the CSV file, relative to the current location or absolute.

    .INPUTS
    None. You cannot pipe objects to Add-SPOTenantIdentityMap.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): the file (terminating, nothing
    uploaded): IdentityMapFileNotFound, IdentityMapFileLocked, IdentityMapFileUnreadable,
    IdentityMapInvalid, TextHasNul; a row the service refused (non-terminating):
    IdentityMapRowRejected; no connection (terminating): NotConnected; request failures
    (non-terminating): Unauthorized, Forbidden, Throttled, NotFound, HttpError, ServiceError,
    ServerError, NonJsonResponse, MalformedResponse, Network, Tls, Timeout, Cancelled.

    -WhatIf shows what would be uploaded and sends nothing.

    .EXAMPLE
    Add-SPOTenantIdentityMap -IdentityMapPath ./identity-map.csv

    Run on the target tenant (fabrikam): checks and uploads the map.

    .EXAMPLE
    Add-SPOTenantIdentityMap ./identity-map.csv -ErrorVariable refused; $refused.Count

    Uploads the map and counts the rows the service refused.

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
        [string]$IdentityMapPath
    )

    # A PowerShell path (relative, or on a PSDrive) becomes the file system path the engine reads.
    Invoke-SpoTenantMethod $PSCmdlet AddOrUpdateTenantIdentityMap ([ordered]@{
            IdentityMapPath = $PSCmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($IdentityMapPath) })
}
