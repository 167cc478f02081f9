# What Add-SPOTenantIdentityMap reports. The engine read, checked and uploaded the file in one call
# and answers {"rows":N,"uploaded":N,"rejected":[{"line":L,"item":"...","reason":"..."}]}. Each row
# the service refused becomes one non-terminating error that names its line in the CSV, so
# -ErrorVariable collects them and the rest of the map stays uploaded. Success writes nothing.

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
    $Cmdlet.WriteVerbose("Identity map '$path': $($summary.rows) row(s), $($summary.uploaded) taken, $(@($summary.rejected).Count) refused.")
}
