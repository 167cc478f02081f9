# Start- and Stop-SPOCrossTenant*ContentMove take their rows from the pipeline (typically
# Import-Csv) and send them as one batch: the rows are collected first, so a batch over the
# service's limit is refused before anything is sent; then each row is one request through the
# one pipeline (Invoke-SpoTenantMethod: ShouldProcess, throttling through the engine's retry
# policy, a non-terminating error that names the row), under a progress bar.

# The service takes at most this many moves in one batch (Microsoft's migration guide).
$script:SpoMoveBatchLimit = 4000

function New-SpoMoveBatch {
    # $Method is the server method each row calls; $Activity the progress bar's title; $Limit the
    # most rows the batch may hold (0: no limit).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [string]$Activity, [int]$Limit)
    @{ Cmdlet = $Cmdlet; Method = $Method; Activity = $Activity; Limit = $Limit
        Rows = [System.Collections.Generic.List[System.Collections.Specialized.OrderedDictionary]]::new() }
}

function Add-SpoMoveBatchRow {
    param([hashtable]$Batch, [System.Collections.Specialized.OrderedDictionary]$Arguments)
    $Batch.Rows.Add($Arguments)
}

function Invoke-SpoMoveBatch {
    param([hashtable]$Batch)
    $cmdlet = $Batch.Cmdlet
    $count = $Batch.Rows.Count
    if ($Batch.Limit -and $count -gt $Batch.Limit) {
        $record = New-SpoArgumentErrorRecord -Id MoveBatchTooLarge -ParameterName InputObject -TargetObject $count -Message (
            "This batch holds $count moves, but the service accepts at most $($Batch.Limit) in one batch. Nothing was sent. " +
            "Split the input into batches of at most $($Batch.Limit) rows, e.g. Import-Csv users.csv | Select-Object -First $($Batch.Limit), then -Skip $($Batch.Limit) -First $($Batch.Limit).")
        $cmdlet.ThrowTerminatingError($record)
    }
    $piped = $cmdlet.MyInvocation.ExpectingInput
    try {
        for ($index = 0; $index -lt $count; $index++) {
            $row = $Batch.Rows[$index]
            if ($count -gt 1) {
                $key = $row[1]   # the source key: the value after the content type
                Write-Progress -Activity $Batch.Activity -Status "$($index + 1) of ${count}: $key" -PercentComplete ([int](100 * $index / $count))
            }
            Invoke-SpoTenantMethod $cmdlet $Batch.Method $row $(if ($piped) { $index + 1 } else { 0 })
        }
    } finally {
        if ($count -gt 1) { Write-Progress -Activity $Batch.Activity -Completed }
    }
}
