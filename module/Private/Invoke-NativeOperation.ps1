# Running one library operation to the end: begin, wait, read the result, release.
#
# This runs once per command and its cost is most of what the module adds to a request, so it is
# one plain function (no [Parameter] attributes, which would make PowerShell bind it like a
# cmdlet) with the native calls written inline: each extra PowerShell function call costs about
# as much as all the native calls together.

# How long one native wait may block. PowerShell can only react to Ctrl+C between statements, so
# waiting in short slices keeps the console responsive while a request is in flight.
$script:SpoWaitSliceMs = 200

function Invoke-SpoNativeOperation {
    # $Begin is the name of a *_begin export; $Arguments are its inputs without the two trailing
    # out-parameters (operation, error); [string] arguments are passed as NUL-terminated UTF-8.
    # Returns a hashtable (cheaper to build than an object) with Succeeded, Value, CorrelationId, ErrorInfo (see Read-SpoNativeError),
    # Started (whether the operation was started) and ElapsedMs; with $TakeConnection (a sign-in)
    # also Connection: the new connection handle, which is then the caller's to free.
    # If the pipeline is stopped (Ctrl+C) while waiting, the request is cancelled before the
    # operation is freed, so nothing keeps running in the background.
    param([string]$Begin, [object[]]$Arguments, [bool]$TakeConnection)
    $native = $script:SpoNative
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $callArguments = [object[]]::new($Arguments.Count + 2)
    for ($i = 0; $i -lt $Arguments.Count; $i++) {
        # Assigned inside each branch: a byte[] coming out of an if-expression would be unrolled.
        if ($Arguments[$i] -is [string]) { $callArguments[$i] = [System.Text.Encoding]::UTF8.GetBytes($Arguments[$i] + [char]0) }
        else { $callArguments[$i] = $Arguments[$i] }
    }
    $callArguments[-2] = [IntPtr]::Zero
    $callArguments[-1] = [IntPtr]::Zero
    $status = $native.GetMethod($Begin).Invoke($null, $callArguments)
    if ($status -ne 0) {
        return @{ Succeeded = $false; Started = $false; Value = $null; CorrelationId = ''; Connection = [IntPtr]::Zero
            ErrorInfo = Read-SpoNativeError -Handle $callArguments[-1] -Status $status; ElapsedMs = $clock.Elapsed.TotalMilliseconds }
    }
    $operation = [IntPtr]$callArguments[-2]
    $finished = $false
    $pointer = [IntPtr]::Zero
    try {
        do {
            $status = $native::spo_operation_wait($operation, $script:SpoWaitSliceMs)
            # Progress (e.g. "throttled; waiting 7 s before attempt 2 of 5") goes to -Verbose. A device
            # code sign-in instruction goes to the host instead (the information stream, never the
            # pipeline): the admin must act on it, so it shows without -Verbose.
            while ($native::spo_operation_next_message($operation, [ref]$pointer) -eq 0) {
                try {
                    $message = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer)
                    if ($message.StartsWith('DeviceCode: ', [System.StringComparison]::Ordinal)) { Write-Host $message.Substring(12) }
                    else { Write-Verbose $message }
                } finally { $native::spo_string_free($pointer); $pointer = [IntPtr]::Zero }
            }
        } while ($status -eq 1) # SPO_STATUS_PENDING
        $finished = $true
        $result = @{ Succeeded = $status -eq 0; Started = $true; Value = $null; CorrelationId = ''
            ErrorInfo = $null; Connection = [IntPtr]::Zero; ElapsedMs = 0 }
        if ($native::spo_operation_correlation_id($operation, [ref]$pointer) -eq 0) {
            try { $result.CorrelationId = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer) }
            finally { $native::spo_string_free($pointer); $pointer = [IntPtr]::Zero }
        }
        if ($result.Succeeded) {
            if ($native::spo_operation_value($operation, [ref]$pointer) -eq 0) {
                try { $result.Value = [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer) }
                finally { $native::spo_string_free($pointer); $pointer = [IntPtr]::Zero }
            }
            if ($TakeConnection) {
                $connection = [IntPtr]::Zero
                $null = $native::spo_operation_connection($operation, [ref]$connection)
                $result.Connection = $connection
            }
        } else {
            $result.ErrorInfo = Read-SpoOperationError $operation $status $result.CorrelationId
        }
        $result.ElapsedMs = $clock.Elapsed.TotalMilliseconds
        $result
    } finally {
        if (-not $finished) { $native::spo_operation_cancel($operation) }
        $native::spo_operation_free($operation)
    }
}

function Read-SpoOperationError {
    # The failure of a finished operation, with the answer's correlation id when the error has none.
    param([IntPtr]$Operation, [uint32]$Status, [string]$CorrelationId)
    $handle = [IntPtr]::Zero
    if ($script:SpoNative::spo_operation_error($Operation, [ref]$handle) -ne $script:SpoStatus.Ok) { $handle = [IntPtr]::Zero }
    $info = Read-SpoNativeError -Handle $handle -Status $Status
    if (-not $info.CorrelationId) { $info.CorrelationId = $CorrelationId }
    $info
}
