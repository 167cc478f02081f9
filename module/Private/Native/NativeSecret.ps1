# Secrets (access token, password, certificate password) and sign-in settings cross to the engine
# as unmanaged UTF-8 that is wiped right after the call. No managed byte[] copy is made, and a
# SecureString is never turned into a managed string.

function ConvertTo-SpoNativeSecret {
    # Returns @{ Pointer; Length }: a CoTaskMem pointer to NUL-terminated UTF-8 (release it with
    # Clear-SpoNativeSecret) and its length in bytes without the NUL; Pointer is [IntPtr]::Zero
    # when the secret contains a NUL character.
    param([object]$Secret)
    if ($Secret -is [string]) {
        if ($Secret.IndexOf([char]0) -ge 0) { return @{ Pointer = [IntPtr]::Zero; Length = 0 } }
        return @{ Pointer = [System.Runtime.InteropServices.Marshal]::StringToCoTaskMemUTF8($Secret); Length = [System.Text.Encoding]::UTF8.GetByteCount($Secret) }
    }
    $utf16 = [System.Runtime.InteropServices.Marshal]::SecureStringToCoTaskMemUnicode($Secret)
    try {
        ConvertTo-SpoUtf8FromUtf16 -Utf16 $utf16 -Length $Secret.Length
    } finally {
        [System.Runtime.InteropServices.Marshal]::ZeroFreeCoTaskMemUnicode($utf16)
    }
}

function ConvertTo-SpoUtf8FromUtf16 {
    # Re-encodes unmanaged UTF-16 as unmanaged UTF-8 one code unit at a time; at most 3 bytes per
    # unit (a surrogate pair is 2 units and 4 bytes). Lone surrogates become U+FFFD, as .NET does.
    # Returns @{ Pointer; Length } as ConvertTo-SpoNativeSecret does.
    param([IntPtr]$Utf16, [int]$Length)
    $marshal = [System.Runtime.InteropServices.Marshal]
    $buffer = $marshal::AllocCoTaskMem($Length * 3 + 1)
    $at = 0
    for ($i = 0; $i -lt $Length; $i++) {
        $unit = [int]$marshal::ReadInt16($Utf16, 2 * $i) -band 0xFFFF
        if ($unit -eq 0) { $marshal::WriteByte($buffer, $at, 0); $marshal::ZeroFreeCoTaskMemUTF8($buffer); return @{ Pointer = [IntPtr]::Zero; Length = 0 } }
        $next = if ($i + 1 -lt $Length) { [int]$marshal::ReadInt16($Utf16, 2 * $i + 2) -band 0xFFFF } else { 0 }
        if ($unit -lt 0x80) {
            $bytes = @($unit)
        } elseif ($unit -lt 0x800) {
            $bytes = @((0xC0 -bor ($unit -shr 6)), (0x80 -bor ($unit -band 0x3F)))
        } elseif ($unit -ge 0xD800 -and $unit -le 0xDBFF -and $next -ge 0xDC00 -and $next -le 0xDFFF) {
            $point = 0x10000 + (($unit - 0xD800) -shl 10) + ($next - 0xDC00)
            $bytes = @((0xF0 -bor ($point -shr 18)), (0x80 -bor (($point -shr 12) -band 0x3F)),
                (0x80 -bor (($point -shr 6) -band 0x3F)), (0x80 -bor ($point -band 0x3F)))
            $i++
        } else {
            if ($unit -ge 0xD800 -and $unit -le 0xDFFF) { $unit = 0xFFFD }
            $bytes = @((0xE0 -bor ($unit -shr 12)), (0x80 -bor (($unit -shr 6) -band 0x3F)), (0x80 -bor ($unit -band 0x3F)))
        }
        foreach ($byte in $bytes) { $marshal::WriteByte($buffer, $at++, [byte]$byte) }
    }
    $marshal::WriteByte($buffer, $at, 0)
    @{ Pointer = $buffer; Length = $at }
}

function Clear-SpoNativeSecret {
    # Overwrites the UTF-8 bytes up to the NUL, then frees; Zero is a no-op.
    param([IntPtr]$Pointer)
    if ($Pointer -ne [IntPtr]::Zero) { [System.Runtime.InteropServices.Marshal]::ZeroFreeCoTaskMemUTF8($Pointer) }
}
