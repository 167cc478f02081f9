# The output of Get-SPOCrossTenantHostUrl: exactly one [string], the URL as the server sent it
# (SharePoint ends it with '/'; scripts TrimEnd it or bind it to [string] parameters).

function ConvertTo-SpoHostUrl {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    # Remembered so that verification advice can name this tenant's URL to the partner.
    Set-SpoKnownHostUrl -Connection $Connection -Url $Result.Value
    [string]$Result.Value
}
