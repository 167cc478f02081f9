# Asking the tenant for Test-SPOCrossTenantMigrationReadiness, whose findings are made from the
# answers AND the failures: a refused validation start is a finding, not an error on screen.
#
# Every request still goes through the one pipeline (Invoke-SpoTenantMethod: connection, argument
# text, -Verbose, the native call, the engine's retry policy for throttling, ErrorRecords). The
# probe runs it under a small advanced function of its own, so that the output and the
# ErrorRecord of one request come back to the readiness check instead of going to the admin's
# screen.
#
# The target-side checks run on a second connection that the readiness command opens itself
# (engine sign-in builder, access token) and closes when it ends: the session's connection, the
# one Connect-SPOService made, is never replaced. While a target request runs, the pipeline's
# connection variable points at the target connection and is put back in a finally block.

function Invoke-SpoReadinessRequest {
    # One request through the pipeline; writes its output, and its failure as a non-terminating
    # error or a terminating one (refused input), which Invoke-SpoReadinessProbe collects.
    [CmdletBinding()]
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments)
    Invoke-SpoTenantMethod $PSCmdlet $Method $Arguments
}

function Invoke-SpoReadinessProbe {
    # @{ Output = the command's output objects; Error = the ErrorRecord or $null }.
    # $Connection: another connection to use for this request (the target's); none: the session's.
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection, [bool]$Verbose)
    $saved = $script:SpoConnection
    if ($Connection) { $script:SpoConnection = $Connection }
    $failure = $null
    try {
        $output = @(Invoke-SpoReadinessRequest -Method $Method -Arguments $Arguments -ErrorAction SilentlyContinue -ErrorVariable failure -Verbose:$Verbose)
    } catch {
        $output = @()
        $failure = @($_)
    } finally {
        $script:SpoConnection = $saved
    }
    @{ Output = $output; Error = if ($failure) { @($failure)[0] } }
}

function Get-SpoMnAStatusName {
    # The MnA status name a server message ends with, e.g. 'MnAIdentityMappingNotFound', or $null.
    param([System.Management.Automation.ErrorRecord]$ErrorRecord)
    $exception = $ErrorRecord.Exception
    $text = if ($exception -is [SPOCrossTenant.ServerException] -and $exception.ServerMessage) { $exception.ServerMessage } else { $exception.Message }
    if ($text -match '\((MnA[A-Za-z]+)\)') { $Matches[1] }
}

function Get-SpoProbeMessage {
    # The plain message of a failed probe: the server's text when there is one.
    param([System.Management.Automation.ErrorRecord]$ErrorRecord)
    $exception = $ErrorRecord.Exception
    if ($exception -is [SPOCrossTenant.ServerException] -and $exception.ServerMessage) { return $exception.ServerMessage }
    $exception.Message
}

function Get-SpoProbeCorrelationId {
    param([System.Management.Automation.ErrorRecord]$ErrorRecord)
    if ($ErrorRecord -and $ErrorRecord.Exception -is [SPOCrossTenant.ServerException]) { $ErrorRecord.Exception.CorrelationId }
}

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
