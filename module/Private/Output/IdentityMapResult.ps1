# What Add-SPOTenantIdentityMap reports. The engine read, checked, uploaded and read back the file in
# one call and answers {"rows":N,"uploaded":N,"rejected":[{"line":L,"item":"...","reason":"...","correlationId":"..."}],
# "requests":N,"requestBytes":[...],"readBack":[{"part":P,"line":L,"key":"...","found":true}]}. Each
# row the service refused becomes one non-terminating error that names its line in the CSV, so
# -ErrorVariable collects them and the rest of the map stays uploaded. Success writes nothing;
# -Verbose says how the map travelled and which rows were read back. A failure after the service
# answered (the read-back's, a later part's) carries the same summary: its refused rows are written
# here first, then the failure (Complete-SpoTenantCall).

function Write-SpoIdentityMapResult {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $summary = ConvertFrom-Json -InputObject $Result.Value
    $path = $Arguments.IdentityMapPath
    foreach ($row in @($summary.rejected)) {
        $correlation = if ($row.correlationId) { $row.correlationId } else { $Result.CorrelationId }
        $message = "Line $($row.line) of '$path' was refused by the service: $($row.reason) (TraceCorrelationId $correlation)"
        $record = [System.Management.Automation.ErrorRecord]::new([System.InvalidOperationException]::new($message),
            'SPOCrossTenant.IdentityMapRowRejected', [System.Management.Automation.ErrorCategory]::InvalidData, "${path}:$($row.line)")
        $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
        $add = if ($row.item -like 'Group,*') { 'Add-SPOTenantIdentityMappingGroup' } else { 'Add-SPOTenantIdentityMappingUser' }
        $record.ErrorDetails.RecommendedAction = "Correct line $($row.line) ($($row.item)), then add that one entry with $add (the rest of the map stays as it is). " +
            'Uploading the corrected file again also works, but it replaces the whole map.'
        $Cmdlet.WriteError($record)
    }
    $requests = [int]$summary.requests
    $bytes = (@($summary.requestBytes) | ForEach-Object { ([long]$_).ToString('N0', [cultureinfo]::InvariantCulture) }) -join ', '
    $Cmdlet.WriteVerbose("Identity map '$path': $($summary.rows) row(s) in $requests request$(if ($requests -ne 1) { 's' }) ($bytes of at most 2,097,152 bytes), $($summary.uploaded) taken, $(@($summary.rejected).Count) refused.")
    $read = @($summary.readBack | ForEach-Object { "line $($_.line) ($($_.key))" })
    if ($read.Count -and $Result.Succeeded) {
        $Cmdlet.WriteVerbose("Read back $($read -join ', ') from the tenant's identity map: in place.")
    }
}
