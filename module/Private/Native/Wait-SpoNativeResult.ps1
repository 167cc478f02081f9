# Waiting for engine work that outlives its first call, and saying its progress.
#
# The engine answers every call with one record ([SPOCrossTenant.NativeResult], a managed copy of
# spo_result that the binding takes and frees). A call waits up to one slice itself; most requests
# finish within it, so a command usually costs one native call plus the free. Longer ones hand back
# an operation to wait on in further slices: PowerShell can only react to Ctrl+C between
# statements, so the slices keep the console responsive, and a stopped pipeline cancels the
# request (in finally) before the operation is freed, so nothing keeps running in the background.

# How long one native wait may block.
$script:SpoWaitSliceMs = 200

function Wait-SpoNativeResult {
    # Given the first record of a call and its operation (Zero when it already finished), waits
    # until the final record, saying each progress line, and releases the operation.
    param([IntPtr]$Operation, [SPOCrossTenant.NativeResult]$Result)
    if ($Result.Progress.Length) { Write-SpoProgressLine $Result.Progress }
    if ($Operation -eq [IntPtr]::Zero) { return $Result }
    $finished = $false
    $script:SpoProgressShown = $false
    try {
        $Result = Wait-SpoOperation -Operation $Operation -Result $Result
        $finished = $true
        $Result
    } finally {
        if (-not $finished) { [SPOCrossTenant.Native]::spo_operation_cancel($Operation) }
        [SPOCrossTenant.Native]::spo_operation_free($Operation)
        if ($script:SpoProgressShown) { Write-Progress -Activity $script:SpoProgressActivity -Completed }
    }
}

function Wait-SpoOperation {
    # The one wait loop: waits on $Operation in slices while $Result is pending, saying each
    # progress line, and returns the final record. It neither cancels nor frees the operation: its
    # callers do (Wait-SpoNativeResult for one call, Invoke-SpoTenantProbeWindow for several).
    param([IntPtr]$Operation, [SPOCrossTenant.NativeResult]$Result)
    while ($Result.Pending) {
        $record = [IntPtr]::Zero
        $null = [SPOCrossTenant.Native]::spo_operation_wait($Operation, $script:SpoWaitSliceMs, [ref]$record)
        $Result = [SPOCrossTenant.NativeResult]::Take($record)
        if ($Result.Progress.Length) { Write-SpoProgressLine $Result.Progress }
    }
    $Result
}

# The title of the progress bar of long engine work (an identity map upload).
$script:SpoProgressActivity = 'SPOCrossTenant'

function Write-SpoProgressLine {
    # Progress notes (e.g. "throttled; waiting 7 s before attempt 2 of 5") go to -Verbose. A device
    # code sign-in instruction goes to the host instead (the information stream, never the
    # pipeline): the admin must act on it, so it shows without -Verbose. "Progress: <percent> <text>"
    # moves the progress bar.
    param([string[]]$Line)
    foreach ($message in $Line) {
        if ($message.StartsWith('DeviceCode: ', [System.StringComparison]::Ordinal)) { Write-Host $message.Substring(12) }
        elseif ($message -match '^Progress: (\d{1,3}) (.*)$') {
            $script:SpoProgressShown = $true
            Write-Progress -Activity $script:SpoProgressActivity -Status $Matches[2] -PercentComplete ([Math]::Min(100, [int]$Matches[1]))
        } else { Write-Verbose $message }
    }
}
