# The readiness command's target-side connection: opened by the command itself through the
# engine's sign-in builder (an access token), used for a few requests (Invoke-SpoTenantProbe
# -Connection), and closed when the command ends. The session's connection, the one
# Connect-SPOService made, is never replaced.

function Open-SpoSideConnection {
    # Signs in to another tenant's admin site with an access token through the engine's sign-in
    # builder, for the readiness command's target-side checks. Returns @{ Connection } (close it
    # with Close-SpoSideConnection) or @{ Error = message }. The token reaches the engine through
    # wiped unmanaged memory (Set-SpoSignInSetting) and is not kept here.
    param([string]$AdminUrl, [object]$AccessToken)
    $signIn = New-SpoSignIn -AdminUrl $AdminUrl
    if ($signIn.ErrorInfo) { return @{ Error = $signIn.ErrorInfo.Message } }
    try {
        $refused = Set-SpoSignInSetting -SignIn $signIn.Handle -Setting AccessToken -Value $AccessToken
        if ($refused) { return @{ Error = $refused.Message } }
        $result = Invoke-SpoSignIn -SignIn $signIn
    } finally {
        # The builder of a refused or interrupted sign-in (Invoke-SpoSignIn frees the one it ran).
        Close-SpoSignIn $signIn
    }
    if (-not $result.Succeeded) { return @{ Error = $result.Message } }
    $info = ConvertFrom-Json -InputObject $result.Value
    @{ Connection = New-SpoConnectionObject -Handle $result.Connection -AdminUrl ([string]$info.adminUrl) -TimeoutSeconds 0 -ClientTag $null }
}

function Close-SpoSideConnection {
    # Frees a connection from Open-SpoSideConnection (the engine wipes its token); $null is fine.
    param([SPOCrossTenant.TenantConnection]$Connection)
    if ($Connection) { $Connection.Close() }
}
