# What Add-SPOTenantIdentityMap reports. The engine read, checked, uploaded and read back the file in
# one call and answers {"rows":N,"uploaded":N,"rejected":[{"line":L,"item":"...","reason":"..."}],
# "requests":N,"requestBytes":[...],"readBack":[{"part":P,"line":L,"key":"...","found":true}]}. Each
# row the service refused becomes one non-terminating error that names its line in the CSV, so
# -ErrorVariable collects them and the rest of the map stays uploaded. Success writes nothing;
# -Verbose says how the map travelled and which rows were read back.

function Write-SpoIdentityMapResult {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $summary = ConvertFrom-Json -InputObject $Result.Value
    $path = $Arguments.IdentityMapPath
    foreach ($row in @($summary.rejected)) {
        $message = "Line $($row.line) of '$path' was refused by the service: $($row.reason) (TraceCorrelationId $($Result.CorrelationId))"
        $record = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($message),
            'SPOCrossTenant.IdentityMapRowRejected', [System.Management.Automation.ErrorCategory]::InvalidData, "${path}:$($row.line)")
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
        $record.ErrorDetails.RecommendedAction = "Correct line $($row.line) ($($row.item)) and run Add-SPOTenantIdentityMap again: rows already taken are updated, not duplicated."
        $Cmdlet.WriteError($record)
    }
    $requests = [int]$summary.requests
    $bytes = (@($summary.requestBytes) | ForEach-Object { ([long]$_).ToString('N0', [cultureinfo]::InvariantCulture) }) -join ', '
    $Cmdlet.WriteVerbose("Identity map '$path': $($summary.rows) row(s) in $requests request$(if ($requests -ne 1) { 's' }) ($bytes of at most 2,097,152 bytes), $($summary.uploaded) taken, $(@($summary.rejected).Count) refused.")
    $read = @($summary.readBack | ForEach-Object { "line $($_.line) ($($_.key))" })
    if ($read.Count) {
        $Cmdlet.WriteVerbose("Read back $($read -join ', ') from the tenant's identity map: in place.")
    }
}
