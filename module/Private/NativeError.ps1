# Reading an spo_error handle into a plain object, and releasing the handle.

function Read-SpoNativeError {
    # $Status is the status the failing call returned; it stands in for the kind when the library
    # gave no error handle (e.g. a NULL argument, which carries no details).
    param([IntPtr]$Handle, [uint32]$Status)
    $info = [ordered]@{
        Kind = Get-SpoStatusName $Status; Id = Get-SpoStatusName $Status; HttpStatus = 0
        Message = "The SPOCrossTenant library failed with status $(Get-SpoStatusName $Status) and gave no details."
        ServerMessage = ''; ServerErrorCode = ''; ServerErrorTypeName = ''; CorrelationId = ''; Parameter = ''
    }
    if ($Handle -eq [IntPtr]::Zero) { return [pscustomobject]$info }
    try {
        $info.Kind = Get-SpoStatusName $script:SpoNative::spo_error_kind($Handle)
        $info.HttpStatus = [int]$script:SpoNative::spo_error_http_status($Handle)
        foreach ($field in $script:SpoErrorField.GetEnumerator()) {
            $text = Read-SpoNativeText spo_error_text $Handle $field.Value
            if ($null -ne $text -and ($text -ne '' -or $field.Key -notin 'Message', 'Id')) { $info[$field.Key] = $text }
        }
    } finally {
        $script:SpoNative::spo_error_free($Handle)
    }
    [pscustomobject]$info
}
