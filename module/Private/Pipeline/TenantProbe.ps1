# A request whose answer AND failure the module reads itself instead of showing them: the
# readiness checks (a refused validation start is a finding, not an error on screen), and the
# journal's look-up of a move whose start was interrupted (Resume).
#
# Every request still goes through the one pipeline (Invoke-SpoTenantMethod: connection, argument
# text, -Verbose, the native call, the engine's retry policy for throttling, ErrorRecords). The
# probe runs it under a small advanced function of its own, so that the output and the
# ErrorRecord of one request come back to the caller instead of going to the admin's screen.
#
# $Connection lets a request go to another connection than the session's (the readiness
# command's target-side connection): the pipeline's connection variable points at it for that
# one request and is put back in a finally block, so the session's connection is never replaced.

function Invoke-SpoProbeRequest {
    # One request through the pipeline; writes its output, and its failure as a non-terminating
    # error or a terminating one (refused input), which Invoke-SpoTenantProbe collects.
    [CmdletBinding()]
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments)
    Invoke-SpoTenantMethod $PSCmdlet $Method $Arguments
}

function Invoke-SpoTenantProbe {
    # @{ Output = the command's output objects; Error = the ErrorRecord or $null }.
    # $Connection: another connection to use for this request (the target's); none: the session's.
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection, [bool]$Verbose)
    $saved = $script:SpoConnection
    if ($Connection) { $script:SpoConnection = $Connection }
    $failure = $null
    try {
        $output = @(Invoke-SpoProbeRequest -Method $Method -Arguments $Arguments -ErrorAction SilentlyContinue -ErrorVariable failure -Verbose:$Verbose)
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

