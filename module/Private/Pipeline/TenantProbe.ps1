# Requests whose answer AND failure the module reads itself instead of writing them: the
# readiness checks (a refused validation start is a finding, not an error), the journal's look-up
# of a move whose start was interrupted (Resume), and Wait-SPOCrossTenantContentMove's polls.
#
# Each is one engine call like those of Invoke-SpoTenantMethod, with the same parts: the same
# argument text, NUL check and target (ConvertTo-SpoCallArguments), the same -Verbose line
# (Get-SpoCallDestination), the same wait loop (Wait-SpoOperation), the engine's retry policy for
# throttling, the method's output function (TenantMethods.ps1) and New-SpoErrorRecord. The
# difference is where the result goes: the ErrorRecord is handed back, never written, so a
# finding does not also land in $Error or in the caller's -ErrorVariable.
#
# $Connection lets a request go to another connection than the session's (the readiness
# command's target side); the session's connection is neither used for it nor replaced.

function Invoke-SpoTenantProbe {
    # One request: @{ Output = the command's output objects; Error = the ErrorRecord or $null }.
    # $Connection: another connection to use (the readiness command's target side); none: the session's.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection, [bool]$Verbose)
    $requests = [System.Collections.Generic.List[hashtable]]::new()
    $requests.Add(@{ Method = $Method; Arguments = $Arguments })
    $answer = Invoke-SpoTenantProbeWindow -Cmdlet $Cmdlet -Requests $requests -ThrottleLimit 1 -Connection $Connection -Verbose $Verbose
    $answer.Probe
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
# requests per connection overlap their time on the network without threads or runspaces. A
# request may name its own connection (the readiness command reads the target's identity map while
# it validates on the source): each tenant paces its own requests, so each connection gets its own
# $ThrottleLimit. The oldest request is waited for first and the results come back in the order of
# $Requests. Each request is one engine call like any other (same argument text, same retry policy
# for throttling, same ErrorRecords and output functions); a stopped pipeline cancels and frees
# every operation in flight. Measured with bench/Measure-Readiness.ps1: at 50 ms per request, a row
# spends ~96% of its time waiting on the network.

function Invoke-SpoTenantProbeWindow {
    # $Requests: @{ Method; Arguments; Connection (optional: where it goes, else $Connection); ... }
    # each. Writes @{ Request; Probe = @{ Output; Error } } (as Invoke-SpoTenantProbe returns) per
    # request, in request order, as each finishes. $Cmdlet is the command's (for the output
    # functions' -Verbose lines).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [System.Collections.Generic.List[hashtable]]$Requests, [int]$ThrottleLimit, [psobject]$Connection, [bool]$Verbose)
    $connection = if ($Connection) { $Connection } else { $script:SpoConnection }
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $flight = [System.Collections.Generic.Queue[hashtable]]::new()
    $inFlight = @{}   # connection handle -> requests of it in flight
    $limit = [Math]::Max(1, $ThrottleLimit)
    $next = 0
    try {
        while ($next -lt $Requests.Count -or $flight.Count) {
            # In request order: the next one waits while its connection is full.
            while ($next -lt $Requests.Count) {
                $to = if ($Requests[$next].Connection) { $Requests[$next].Connection } else { $connection }
                if ([int]$inFlight[$to.Handle] -ge $limit) { break }
                $flight.Enqueue((Start-SpoProbeOperation -Request $Requests[$next] -Connection $to -Verbose $Verbose))
                $inFlight[$to.Handle] = 1 + [int]$inFlight[$to.Handle]
                $next++
            }
            $head = $flight.Peek()
            if ($head.Result.Pending) { $head.Result = Wait-SpoOperation -Operation $head.Operation -Result $head.Result }
            $null = $flight.Dequeue()
            $inFlight[$head.Connection.Handle]--
            if ($head.Operation -ne [IntPtr]::Zero) { [SPOCrossTenant.Native]::spo_operation_free($head.Operation); $head.Operation = [IntPtr]::Zero }
            @{ Request = $head.Request; Probe = (Complete-SpoProbeOperation -Cmdlet $Cmdlet -Flight $head -Connection $head.Connection) }
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
    # Sends one request over $Connection without waiting: @{ Request; Connection; Operation; Result; Refused; Target }.
    param([hashtable]$Request, [psobject]$Connection, [bool]$Verbose)
    $arguments = $Request.Arguments
    $parts = ConvertTo-SpoCallArguments $arguments $Connection.AdminUrl
    if ($parts.Refused) { return @{ Request = $Request; Connection = $Connection; Operation = [IntPtr]::Zero; Result = $null; Refused = $parts.Refused; Target = $parts.Target } }
    $text = $parts.Text
    $method = $Request.Method
    if ($Verbose) { Write-Verbose "Sending $(Format-SpoMethodCall $method $arguments) to $(Get-SpoCallDestination $method $Connection)." }
    $operation = [IntPtr]::Zero
    $pointer = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_call($Connection.Handle, [SPOCrossTenant.Native]::CommandBytes($method), $text, [UIntPtr]::new([uint64]$text.Length), 0, [ref]$operation, [ref]$pointer)
    $result = [SPOCrossTenant.NativeResult]::Take($pointer)
    if ($result.Progress.Length) { Write-SpoProgressLine $result.Progress }
    @{ Request = $Request; Connection = $Connection; Operation = $operation; Result = $result; Refused = $null; Target = $parts.Target }
}

function Complete-SpoProbeOperation {
    # The finished request as @{ Output; Error }, through the method's output function or an ErrorRecord.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [hashtable]$Flight, [psobject]$Connection)
    if ($Flight.Refused) { return @{ Output = @(); Error = $Flight.Refused } }
    $result = $Flight.Result
    $request = $Flight.Request
    if ($result.Succeeded) {
        $spec = $script:SpoTenantMethods[$request.Method]
        $output = @(if ($spec.Output) { & $spec.Output $Cmdlet $result $request.Arguments $Connection })
        return @{ Output = $output; Error = $null }
    }
    @{ Output = @(); Error = New-SpoErrorRecord -Result $result -Arguments $request.Arguments -TargetObject $Flight.Target -AdminUrl $Connection.AdminUrl }
}
