# Output of Find-SPOCrossTenantLongFilePathsForSiteRename: one [string] per file whose full URL
# would be longer than the service allows after the rename; nothing when there is none.

function ConvertTo-SpoLongFilePathList {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $paths = @(ConvertFrom-Json -InputObject $Result.Value)
    $Cmdlet.WriteVerbose("$($paths.Count) path(s) would be too long after renaming $($Arguments.OldSiteUrl) to $($Arguments.NewSiteUrl).")
    foreach ($path in $paths) { [string]$path }
}
