# The session's one connection to a tenant admin site (module scope, like Connect-SPOService).
# It holds the library's connection handle, never the token: the library keeps the token and wipes it on free.

$script:SpoConnection = $null

function Get-SpoConnection {
    # The current connection, or $null.
    $script:SpoConnection
}

function Set-SpoConnection {
    # Makes $Handle the session's connection, closing any previous one first.
    param([IntPtr]$Handle, [int]$TimeoutSeconds, [string]$ClientTag)
    Close-SpoConnection
    $adminUrl = [string](Read-SpoNativeText spo_connection_admin_url $Handle)
    $script:SpoConnection = [pscustomobject]@{
        Handle          = $Handle
        AdminUrl        = $adminUrl
        ProcessQueryUrl = $adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'
        TimeoutSeconds  = $TimeoutSeconds
        ClientTag       = $ClientTag
    }
}

function Close-SpoConnection {
    # Frees the library connection (which wipes the token) and forgets it; safe to call twice.
    $connection = $script:SpoConnection
    $script:SpoConnection = $null
    if ($connection -and $connection.Handle -ne [IntPtr]::Zero) {
        $script:SpoNative::spo_connection_free($connection.Handle)
    }
}
