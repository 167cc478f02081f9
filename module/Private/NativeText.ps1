# Text across the boundary: the library takes NUL-terminated UTF-8 and hands out library-owned
# UTF-8 strings that only spo_string_free may release.

function Test-SpoTextHasNul {
    # An embedded NUL would silently cut the text short on the C side, so callers reject it first.
    param([string]$Text)
    $Text.IndexOf([char]0) -ge 0
}

function ConvertTo-SpoUtf8 {
    # UTF-8 bytes plus the terminating NUL; $null stays $null and reaches C as a NULL pointer
    # (the parameter is untyped because PowerShell would turn $null into '' for [string]).
    param($Text)
    if ($null -eq $Text) { return $null }
    , [System.Text.Encoding]::UTF8.GetBytes([string]$Text + [char]0)
}

function Read-SpoNativeText {
    # Calls an export of the form f(handle, [field,] char **out) and returns the text it wrote, or
    # $null when the call did not succeed; the library's buffer is freed in every case.
    # Example: Read-SpoNativeText spo_error_text $errorHandle 1. A plain function calling the
    # export directly (not through reflection), because it runs several times per command.
    param([string]$Function, [IntPtr]$Handle, $Field)
    $pointer = [IntPtr]::Zero
    $status = if ($null -eq $Field) { $script:SpoNative::$Function($Handle, [ref]$pointer) }
    else { $script:SpoNative::$Function($Handle, [uint32]$Field, [ref]$pointer) }
    try {
        if ($status -eq 0) { [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($pointer) }
    } finally {
        $script:SpoNative::spo_string_free($pointer)
    }
}
