# The files of a -ReportPath (Get-SPOCrossTenantMigrationStatus, Wait-SPOCrossTenantContentMove,
# Test-SPOCrossTenantMigrationReadiness): an HTML page and a CSV beside it with the same name.
#
# The path is checked before anything is sent or written. Each file is written in one rename
# ([SPOCrossTenant.ReportFile]::Save: a temporary file beside it replaces it; a reader never sees
# half a file). A write that fails comes back as a sentence that names the file: the callers
# decide whether that is an error (the status command) or a warning (a wait writes again at the
# next poll).

function Resolve-SpoReportPath {
    # @{ Html; Csv } full paths for -ReportPath: an .html (or .htm) file in a folder that exists;
    # the CSV is the same name with .csv. $Example is a file name for the messages, e.g. wave.html.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$ReportPath, [string]$Example)
    $html = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ReportPath) } catch { $null }
    $folder = if ($html) { [System.IO.Path]::GetDirectoryName($html) }
    if (-not $html -or -not [System.IO.Directory]::Exists($folder)) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id ReportFolderNotFound -ParameterName ReportPath -TargetObject $ReportPath `
                    -Message "The folder of the report '$ReportPath' does not exist. Give a path in an existing folder, e.g. ./$Example."))
    }
    $why = if ([System.IO.Directory]::Exists($html)) { "'$ReportPath' is a folder: name the page to write in it, e.g. $([System.IO.Path]::Combine($ReportPath, $Example))" }
    elseif ([System.IO.Path]::GetExtension($html) -notin '.html', '.htm') {
        "The report is an HTML page, with a CSV of the same name beside it: give a file name that ends in .html or .htm, e.g. ./$Example (the CSV is then ./$([System.IO.Path]::ChangeExtension($Example, '.csv')))"
    }
    if ($why) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id ReportPathInvalid -ParameterName ReportPath -TargetObject $ReportPath -Message "$why. Nothing was written."))
    }
    @{ Html = $html; Csv = [System.IO.Path]::ChangeExtension($html, '.csv') }
}

function Save-SpoReportCsv {
    # The $Columns of $Rows as a CSV file (UTF-8 with a byte order mark, as Excel expects), in one
    # rename; returns nothing when it was written, else why not.
    param([string]$Path, [object[]]$Rows, [string[]]$Columns)
    $lines = @($Rows | Select-Object $Columns | ConvertTo-Csv -NoTypeInformation)
    $text = if ($lines.Count) { [string]::Join([System.Environment]::NewLine, $lines) + [System.Environment]::NewLine } else { '' }
    [SPOCrossTenant.ReportFile]::Save($Path, $text, $true)
}
