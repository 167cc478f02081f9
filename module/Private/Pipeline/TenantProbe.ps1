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


# Several probes in flight at once, for the readiness command's rows (-ThrottleLimit): the engine
# runs each request as an operation of its own (spo_call with no wait), so up to $ThrottleLimit
# requests overlap their time on the network without threads or runspaces. The oldest request is
# waited for first and the results come back in the order of $Requests. Each request is one
# engine call like any other (same argument text, same retry policy for throttling, same
# ErrorRecords and output functions); a stopped pipeline cancels and frees every operation in
# flight. Measured with bench/Measure-Readiness.ps1: at 50 ms per request, a row spends ~96% of
# its time waiting on the network.

function Invoke-SpoTenantProbeWindow {
    # $Requests: @{ Method; Arguments; ... } each. Writes @{ Request; Probe = @{ Output; Error } }
    # (as Invoke-SpoTenantProbe returns) per request, in request order, as each finishes.
    # $Cmdlet is the command's (for the output functions' -Verbose lines).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.Generic.List[hashtable]]$Requests, [int]$ThrottleLimit, [bool]$Verbose)
    $connection = $script:SpoConnection
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $flight = [System.Collections.Generic.Queue[hashtable]]::new()
    $next = 0
    try {
        while ($next -lt $Requests.Count -or $flight.Count) {
            while ($next -lt $Requests.Count -and $flight.Count -lt [Math]::Max(1, $ThrottleLimit)) {
                $flight.Enqueue((Start-SpoProbeOperation -Request $Requests[$next] -Connection $connection -Verbose $Verbose))
                $next++
            }
            $head = $flight.Peek()
            while ($head.Result.Pending) {
                $record = [IntPtr]::Zero
                $null = [SPOCrossTenant.Native]::spo_operation_wait($head.Operation, $script:SpoWaitSliceMs, [ref]$record)
                $head.Result = [SPOCrossTenant.NativeResult]::Take($record)
                if ($head.Result.Progress.Length) { Write-SpoProgressLine $head.Result.Progress }
            }
            $null = $flight.Dequeue()
            if ($head.Operation -ne [IntPtr]::Zero) { [SPOCrossTenant.Native]::spo_operation_free($head.Operation); $head.Operation = [IntPtr]::Zero }
            @{ Request = $head.Request; Probe = (Complete-SpoProbeOperation -Cmdlet $Cmdlet -Flight $head -Connection $connection) }
        }
    } finally {
        foreach ($item in $flight) {
            if ($item.Operation -ne [IntPtr]::Zero) {
                [SPOCrossTenant.Native]::spo_operation_cancel($item.Operation)
                [SPOCrossTenant.Native]::spo_operation_free($item.Operation)
            }
        }
    }
}

function Start-SpoProbeOperation {
    # Sends one request without waiting: @{ Request; Operation; Result; Refused }.
    param([hashtable]$Request, [psobject]$Connection, [bool]$Verbose)
    $arguments = $Request.Arguments
    $text = [string[]]::new($arguments.Count)
    $index = 0
    foreach ($entry in $arguments.GetEnumerator()) {
        $value = $entry.Value
        $value = if ($value -is [string]) { $value } elseif ($value -is [System.Enum]) { $value.ToString() } else { ConvertTo-SpoArgumentText $value }
        if ($value.IndexOf([char]0) -ge 0) {
            return @{ Request = $Request; Operation = [IntPtr]::Zero; Result = $null
                Refused = New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName $entry.Key -TargetObject $entry.Value -Message "The $($entry.Key) contains a NUL character, which cannot be sent." }
        }
        $text[$index++] = $value
    }
    $method = $Request.Method
    if ($Verbose) { Write-Verbose "Sending $(Format-SpoMethodCall $method $arguments) to $($Connection.ProcessQueryUrl)." }
    $name = $script:SpoCommandBytes[$method]
    if (-not $name) { $name = [System.Text.Encoding]::UTF8.GetBytes($method + [char]0); $script:SpoCommandBytes[$method] = $name }
    $operation = [IntPtr]::Zero
    $pointer = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_call($Connection.Handle, $name, $text, [UIntPtr]::new([uint64]$text.Length), 0, [ref]$operation, [ref]$pointer)
    $result = [SPOCrossTenant.NativeResult]::Take($pointer)
    if ($result.Progress.Length) { Write-SpoProgressLine $result.Progress }
    @{ Request = $Request; Operation = $operation; Result = $result; Refused = $null }
}

function Complete-SpoProbeOperation {
    # The finished request as @{ Output; Error }, through the method's output function or an ErrorRecord.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [hashtable]$Flight, [psobject]$Connection)
    if ($Flight.Refused) { return @{ Output = @(); Error = $Flight.Refused } }
    $result = $Flight.Result
    $request = $Flight.Request
    if ($result.Succeeded) {
        $spec = $script:SpoTenantMethods[$request.Method]
        $output = if ($spec.Output) { @(& $spec.Output $Cmdlet $result $request.Arguments $Connection) } else { @() }
        return @{ Output = $output; Error = $null }
    }
    $target = $Connection.AdminUrl
    foreach ($key in $request.Arguments.Keys) { if ($key -like 'Source*' -or $key -eq 'OldSiteUrl') { $target = $request.Arguments[$key]; break } }
    @{ Output = @(); Error = New-SpoErrorRecord -Result $result -Arguments $request.Arguments -TargetObject $target -AdminUrl $Connection.AdminUrl }
}
