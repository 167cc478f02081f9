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
    $result = $null
    try {
        $refused = Set-SpoSignInSetting -SignIn $signIn.Handle -Setting AccessToken -Value $AccessToken
        if ($refused) { return @{ Error = $refused.Message } }
        $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
        $null = [SPOCrossTenant.Native]::spo_sign_in_begin($signIn.Handle, $script:SpoWaitSliceMs, [ref]$operation, [ref]$record)
        $result = Wait-SpoNativeResult -Operation $operation -Result ([SPOCrossTenant.NativeResult]::Take($record))
    } finally {
        [SPOCrossTenant.Native]::spo_sign_in_free($signIn.Handle)
    }
    if (-not $result.Succeeded) { return @{ Error = $result.Message } }
    $info = ConvertFrom-Json -InputObject $result.Value
    $adminUrl = [string]$info.adminUrl
    @{ Connection = [pscustomobject]@{
            Handle          = $result.Connection
            AdminUrl        = $adminUrl
            ProcessQueryUrl = $adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'
            TimeoutSeconds  = 0
            ClientTag       = $null
        } }
}

function Close-SpoSideConnection {
    # Frees a connection from Open-SpoSideConnection (the engine wipes its token); $null is fine.
    param([psobject]$Connection)
    if ($Connection -and $Connection.Handle -ne [IntPtr]::Zero) {
        [SPOCrossTenant.Native]::spo_connection_free($Connection.Handle)
        $Connection.Handle = [IntPtr]::Zero
    }
}
