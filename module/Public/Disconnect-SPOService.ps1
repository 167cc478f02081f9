function Disconnect-SPOService {
    <#
    .SYNOPSIS
    Ends this session's connection to a SharePoint Online admin site.

    .DESCRIPTION
    Disconnect-SPOService releases the connection made by Connect-SPOService; the native engine
    wipes the access token from memory. Later commands fail with SPOCrossTenant.NotConnected until
    you connect again.

    Disconnecting when there is no connection does nothing (it writes a verbose message), so
    cleanup blocks can call it unconditionally. Removing the module disconnects as well.

    .INPUTS
    None. You cannot pipe objects to Disconnect-SPOService.

    .OUTPUTS
    None.

    .EXAMPLE
    Disconnect-SPOService

    Releases the connection and the access token it holds.

    .EXAMPLE
    try { Set-SPOCrossTenantRelationship MnA Target https://fabrikam-my.sharepoint.com } finally { Disconnect-SPOService }

    Makes sure the token is released even when the command fails.

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param()

    Disconnect-SpoTenant $PSCmdlet
}
