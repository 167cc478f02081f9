# The session's one connection to a tenant admin site (module scope, like Connect-SPOService).
# It holds the library's connection handle, never the token: the library keeps the token and wipes it on free.

$script:SpoConnection = $null

function Get-SpoConnection {
    # The current connection, or $null.
    $script:SpoConnection
}

function Set-SpoConnection {
    # Makes $Handle the session's connection, closing any previous one first.
    param([IntPtr]$Handle, [string]$AdminUrl, [int]$TimeoutSeconds, [string]$ClientTag)
    Close-SpoConnection
    $script:SpoConnection = New-SpoConnectionObject -Handle $Handle -AdminUrl $AdminUrl -TimeoutSeconds $TimeoutSeconds -ClientTag $ClientTag
}

function New-SpoConnectionObject {
    # A connection as the module keeps it: the session's (Set-SpoConnection) or the readiness
    # command's target side (Open-SpoSideConnection). $Handle is the library's connection handle.
    param([IntPtr]$Handle, [string]$AdminUrl, [int]$TimeoutSeconds, [string]$ClientTag)
    [SPOCrossTenant.TenantConnection]::new($Handle, $AdminUrl, $TimeoutSeconds, $ClientTag)
}

function Close-SpoConnection {
    # Frees the library connection (which wipes the token) and forgets it; safe to call twice.
    $connection = $script:SpoConnection
    $script:SpoConnection = $null
    if ($connection) { $connection.Close() }
}

function Disconnect-SpoTenant {
    # Disconnect-SPOService's work: closing when there is no connection only says so.
    param([System.Management.Automation.PSCmdlet]$Cmdlet)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    $connection = Get-SpoConnection
    if (-not $connection) {
        Write-Verbose 'There was no connection to close.'
        return
    }
    Close-SpoConnection
    Write-Verbose "Disconnected from $($connection.AdminUrl)."
}

function Get-SpoConnectionInfo {
    # Get-SPOCrossTenantConnection's work: the connection as the engine describes it (never a
    # token); with no connection, a non-terminating NotConnected error.
    param([System.Management.Automation.PSCmdlet]$Cmdlet)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    $connection = Get-SpoConnection
    $json = if ($connection) { Read-SpoConnectionInfo $connection.Handle }
    if ($null -eq $json) {
        $Cmdlet.WriteError((New-SpoNotConnectedErrorRecord))
        return
    }
    ConvertFrom-SpoConnectionInfo -Json $json -Connection $connection
}
