# One engine call, to the end: the only place that starts, waits on and releases engine work.
#
# The engine answers every call with one record ([SPOCrossTenant.NativeResult], a managed copy of
# spo_result that the binding takes and frees). A call waits up to one slice itself; most requests
# finish within it, so a command usually costs one native call plus the free. Longer ones hand back
# an operation to wait on in further slices: PowerShell can only react to Ctrl+C between
# statements, so the slices keep the console responsive, and a stopped pipeline cancels the
# request (in finally) before the operation is freed, so nothing keeps running in the background.

# How long one native wait may block.
$script:SpoWaitSliceMs = 200
# Command names as the NUL-terminated UTF-8 the engine takes, encoded once per name.
$script:SpoCommandBytes = @{}

function Invoke-SpoNativeCall {
    # Runs server method $Command with $Arguments (text; enums by name) on connection $Connection.
    # Returns the final NativeResult; its progress lines have gone to -Verbose, the device code
    # prompt to the host.
    param([IntPtr]$Connection, [string]$Command, [string[]]$Arguments)
    $name = $script:SpoCommandBytes[$Command]
    if (-not $name) { $name = [System.Text.Encoding]::UTF8.GetBytes($Command + [char]0); $script:SpoCommandBytes[$Command] = $name }
    $operation = [IntPtr]::Zero
    $record = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_call($Connection, $name, $Arguments, [UIntPtr]::new([uint64]$Arguments.Count),
        $script:SpoWaitSliceMs, [ref]$operation, [ref]$record)
    Wait-SpoNativeResult -Operation $operation -Result ([SPOCrossTenant.NativeResult]::Take($record))
}

function Wait-SpoNativeResult {
    # Given the first record of a call and its operation (Zero when it already finished), waits
    # until the final record, saying each progress line, and releases the operation.
    param([IntPtr]$Operation, [SPOCrossTenant.NativeResult]$Result)
    if ($Result.Progress.Length) { Write-SpoProgressLine $Result.Progress }
    if ($Operation -eq [IntPtr]::Zero) { return $Result }
    $finished = $false
    try {
        while ($Result.Pending) {
            $record = [IntPtr]::Zero
            $null = [SPOCrossTenant.Native]::spo_operation_wait($Operation, $script:SpoWaitSliceMs, [ref]$record)
            $Result = [SPOCrossTenant.NativeResult]::Take($record)
            if ($Result.Progress.Length) { Write-SpoProgressLine $Result.Progress }
        }
        $finished = $true
        $Result
    } finally {
        if (-not $finished) { [SPOCrossTenant.Native]::spo_operation_cancel($Operation) }
        [SPOCrossTenant.Native]::spo_operation_free($Operation)
    }
}

function Write-SpoProgressLine {
    # Progress (e.g. "throttled; waiting 7 s before attempt 2 of 5") goes to -Verbose. A device code
    # sign-in instruction goes to the host instead (the information stream, never the pipeline):
    # the admin must act on it, so it shows without -Verbose.
    param([string[]]$Line)
    foreach ($message in $Line) {
        if ($message.StartsWith('DeviceCode: ', [System.StringComparison]::Ordinal)) { Write-Host $message.Substring(12) }
        else { Write-Verbose $message }
    }
}
