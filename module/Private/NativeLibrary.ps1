# The native engine's C ABI as .NET sees it, and the helpers for binding it. The binding itself
# happens at import, in Initialize.ps1.
#
# The binding is declared with System.Reflection.Emit (DefinePInvokeMethod) instead of Add-Type,
# because compiling C# at every import costs about a second while emitting the same P/Invoke
# signatures costs a few milliseconds (see bench/Measure-Module.ps1, section c).

# The ABI version this script was written against; the library must report exactly this.
$script:SpoAbiVersion = 2

# Every export of ABI v1: return type, then parameter types in C order. NUL-terminated UTF-8 inputs
# are byte[] (pinned for the call), opaque pointers are IntPtr, out-parameters are IntPtr by
# reference, enums and sizes are unsigned integers. Sign-in setting values are the exception among
# inputs: they travel as IntPtr to unmanaged UTF-8 so that secrets never get a managed copy.
function Get-SpoNativeSignatures {
    # Built on first use rather than at import: with the type cache warm, an import never needs it.
    if ($script:SpoNativeSignatures) { return $script:SpoNativeSignatures }
    $u32 = [uint32]; $ptr = [IntPtr]; $text = [byte[]]; $out = [IntPtr].MakeByRefType()
    $script:SpoNativeSignatures = [ordered]@{
        spo_abi_version                     = $u32, @()
        spo_library_version                 = $u32, @($out)
        spo_string_free                     = [void], @($ptr)
        spo_sign_in_new                     = $u32, @($text, $out, $out)
        spo_sign_in_set                     = $u32, @($ptr, $u32, $ptr, $out)
        spo_sign_in_set_bytes               = $u32, @($ptr, $u32, $text, [UIntPtr], $out)
        spo_sign_in_begin                   = $u32, @($ptr, $out, $out)
        spo_sign_in_free                    = [void], @($ptr)
        spo_connection_info                 = $u32, @($ptr, $out)
        spo_connection_admin_url            = $u32, @($ptr, $out)
        spo_connection_free                 = [void], @($ptr)
        spo_relation_set_begin              = $u32, @($ptr, $u32, $u32, $text, $out, $out)
        spo_relation_verify_begin           = $u32, @($ptr, $u32, $u32, $text, $out, $out)
        spo_relation_remove_begin           = $u32, @($ptr, $u32, $u32, $text, $out, $out)
        spo_relation_list_begin             = $u32, @($ptr, $out, $out)
        spo_relation_list_by_partner_begin  = $u32, @($ptr, $text, $out, $out)
        spo_relation_list_by_scenario_begin = $u32, @($ptr, $u32, $u32, $out, $out)
        spo_host_url_begin                  = $u32, @($ptr, $out, $out)
        spo_operation_wait                  = $u32, @($ptr, $u32)
        spo_operation_cancel                = [void], @($ptr)
        spo_operation_value                 = $u32, @($ptr, $out)
        spo_operation_correlation_id        = $u32, @($ptr, $out)
        spo_operation_error                 = $u32, @($ptr, $out)
        spo_operation_next_message          = $u32, @($ptr, $out)
        spo_operation_connection            = $u32, @($ptr, $out)
        spo_operation_free                  = [void], @($ptr)
        spo_error_kind                      = $u32, @($ptr)
        spo_error_http_status               = [uint16], @($ptr)
        spo_error_text                      = $u32, @($ptr, $u32, $out)
        spo_error_free                      = [void], @($ptr)
    }
    $script:SpoNativeSignatures
}

function Get-SpoRuntimeIdentifier {
    # The .NET runtime identifier naming the packaged folder under bin/, e.g. linux-x64 or osx-arm64.
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $arch = [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    "$os-$arch"
}

function Get-SpoNativeFileName {
    # Cargo names a cdylib differently on each platform.
    if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }
}

function Stop-SpoImport {
    # Fails the import with an error that says what to do. Kept out of Initialize.ps1 so that the
    # messages are only compiled when something went wrong.
    param([string]$Reason, [string]$Path, [object]$Detail)
    $rebuild = "Use the library built from the same checkout as the module ('cargo build --release')."
    $fileName = Get-SpoNativeFileName
    $id, $message = switch ($Reason) {
        'OverrideNotFound' {
            'LibraryNotFound', ("SPO_CROSSTENANT_LIBRARY is set to '$Path', but no file is there. " +
                "Point it at a built $fileName, or remove the variable to use the library that ships with the module.")
        }
        'LibraryNotFound' {
            $rid = Get-SpoRuntimeIdentifier
            $checkout = [System.IO.Path]::GetDirectoryName($Path)
            'LibraryNotFound', ("The SPOCrossTenant native library for this platform ($rid) was not found. Looked for " +
                "'$Path/bin/$rid/$fileName' and for target/release and target/debug under '$checkout'. " +
                "In a source checkout, run 'cargo build --release' in '$checkout'; or set SPO_CROSSTENANT_LIBRARY " +
                "to the full path of $fileName.")
        }
        'LibraryLoadFailed' {
            $inner = if ($Detail.InnerException) { $Detail.InnerException } else { $Detail }
            if ($inner -is [System.EntryPointNotFoundException]) {
                'AbiVersionMismatch', "'$Path' does not export spo_abi_version, so it is not an SPOCrossTenant library of ABI version $script:SpoAbiVersion. $rebuild"
            } else {
                'LibraryLoadFailed', ("The SPOCrossTenant native library '$Path' could not be loaded: $($inner.Message) " +
                    "It may have been built for another platform than $(Get-SpoRuntimeIdentifier).")
            }
        }
        'AbiVersionMismatch' {
            'AbiVersionMismatch', "The SPOCrossTenant native library '$Path' speaks ABI version $Detail, but this module needs ABI version $script:SpoAbiVersion. $rebuild"
        }
    }
    throw (New-SpoLoadErrorRecord -Id $id -Target $Path -Message $message)
}

function New-SpoLoadErrorRecord {
    # Import failures are terminating: the module cannot work without its engine.
    param([string]$Id, [string]$Message, [object]$Target)
    [System.Management.Automation.ErrorRecord]::new(
        [System.IO.FileLoadException]::new($Message), "SPOCrossTenant.$Id",
        [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $Target)
}

function New-SpoNativeType {
    # Emits into $Module a static class named $Name whose methods are P/Invoke stubs into the
    # library at $Path (an absolute path, so no library search is involved).
    param([System.Reflection.Emit.ModuleBuilder]$Module, [string]$Path, [string]$Name)
    $type = $Module.DefineType($Name, 'Public, Abstract, Sealed, Class')
    # The path is also recorded as a constant, so that a type loaded from the cache can be checked.
    $type.DefineField('LibraryPath', [string], 'Public, Static, Literal').SetConstant($Path)
    foreach ($entry in (Get-SpoNativeSignatures).GetEnumerator()) {
        $method = $type.DefinePInvokeMethod($entry.Key, $Path, $entry.Key, 'Public, Static, PinvokeImpl, HideBySig',
            'Standard', $entry.Value[0], [type[]]$entry.Value[1], 'Cdecl', 'Ansi')
        # PreserveSig: the C function's return value is the method's return value (no HRESULT rewriting).
        $method.SetImplementationFlags('PreserveSig')
    }
    $type.CreateType()
}

function Assert-SpoNativeExports {
    # Fails with the list of missing functions rather than on first use of each. Run once per
    # process by the first Connect-SPOService, not at import, where every millisecond counts.
    if ($script:SpoNativeExportsChecked) { return }
    $library = [System.Runtime.InteropServices.NativeLibrary]::Load($script:SpoNativePath)
    $address = [IntPtr]::Zero
    $missing = @(foreach ($name in (Get-SpoNativeSignatures).Keys) {
        if (-not [System.Runtime.InteropServices.NativeLibrary]::TryGetExport($library, $name, [ref]$address)) { $name } })
    if ($missing) {
        throw (New-SpoLoadErrorRecord -Id 'LibraryExportMissing' -Target $script:SpoNativePath -Message (
            "The SPOCrossTenant native library '$($script:SpoNativePath)' lacks these functions: $($missing -join ', '). " +
            "Rebuild it from the same checkout as the module ('cargo build --release')."))
    }
    $script:SpoNativeExportsChecked = $true
}
