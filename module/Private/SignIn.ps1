# Signing in through the engine's settings builder: spo_sign_in_new (checks the admin URL),
# spo_sign_in_set for each setting, then spo_sign_in_begin, which runs as an operation whose
# result holds the new connection. The builder wipes its secrets when freed.

function New-SpoSignIn {
    # Returns @{ Handle } on success or @{ ErrorInfo } when the admin URL is refused.
    param([string]$AdminUrl)
    $handle = [IntPtr]::Zero; $errorHandle = [IntPtr]::Zero
    $status = $script:SpoNative::spo_sign_in_new((ConvertTo-SpoUtf8 $AdminUrl), [ref]$handle, [ref]$errorHandle)
    if ($status -ne $script:SpoStatus.Ok) { return @{ ErrorInfo = Read-SpoNativeError -Handle $errorHandle -Status $status } }
    @{ Handle = $handle }
}

function Set-SpoSignInSetting {
    # Sets one setting from a String or a SecureString; returns $null, or the error info when the
    # engine refuses it. The value crosses as unmanaged UTF-8 that is wiped right after the call.
    param([IntPtr]$SignIn, [string]$Setting, [object]$Value)
    $pointer = ConvertTo-SpoNativeSecret -Secret $Value
    if ($pointer -eq [IntPtr]::Zero) {
        return [pscustomobject]@{ Kind = 'InvalidArgument'; Id = 'TextHasNul'; Parameter = $Setting; HttpStatus = 0
            Message = "The $Setting contains a NUL character, which cannot be sent."; CorrelationId = ''
            ServerMessage = ''; ServerErrorCode = ''; ServerErrorTypeName = '' }
    }
    $errorHandle = [IntPtr]::Zero
    try {
        $status = $script:SpoNative::spo_sign_in_set($SignIn, [uint32]$script:SpoSetting[$Setting], $pointer, [ref]$errorHandle)
    } finally {
        Clear-SpoNativeSecret -Pointer $pointer
    }
    if ($status -ne $script:SpoStatus.Ok) { Read-SpoNativeError -Handle $errorHandle -Status $status }
}
