# The native engine as the module sees it. The binding (P/Invoke declarations, NativeResult,
# ServerException) and the import logic (find bin/<rid>/, bind, check the ABI version, load the
# enums) are the compiled assembly bin/SPOCrossTenant.dll, built by scripts/build-module.ps1 from
# module/Binding/; the footer of the script module calls [SPOCrossTenant.ModuleLoader]::Initialize.
# Function definitions only: the generated script module may place this file anywhere before its footer.

function Get-SpoRuntimeIdentifier {
    # The .NET runtime identifier naming the packaged folder under bin/, e.g. linux-x64 or osx-arm64.
    [SPOCrossTenant.ModuleLoader]::RuntimeIdentifier
}

function Get-SpoNativeFileName {
    # Cargo names a cdylib differently on each platform.
    [SPOCrossTenant.ModuleLoader]::NativeFileName
}

function ConvertTo-SpoImportError {
    # The terminating error for a failed import, from what ModuleLoader threw: its ErrorId names the
    # problem (LibraryNotFound, LibraryLoadFailed, AbiVersionMismatch, ...) and its message says what to do.
    param([System.Management.Automation.ErrorRecord]$ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($exception -is [System.Management.Automation.MethodInvocationException] -and $exception.InnerException) { $exception = $exception.InnerException }
    if ($exception -is [SPOCrossTenant.ModuleLoadException]) {
        return New-SpoLoadErrorRecord -Id $exception.ErrorId -Target $exception.Target -Message $exception.Message
    }
    New-SpoLoadErrorRecord -Id 'ImportFailed' -Target $null -Message "SPOCrossTenant could not be imported: $($exception.Message)"
}

function New-SpoLoadErrorRecord {
    # Import failures are terminating: the module cannot work without its engine.
    param([string]$Id, [string]$Message, [object]$Target)
    [System.Management.Automation.ErrorRecord]::new(
        [System.IO.FileLoadException]::new($Message), "SPOCrossTenant.$Id",
        [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $Target)
}

function Assert-SpoNativeExports {
    # Fails with the list of missing functions rather than on first use of each. Run once per
    # process by the first Connect-SPOService, not at import, where every millisecond counts.
    if ($script:SpoNativeExportsChecked) { return }
    $missing = [SPOCrossTenant.Native]::MissingExports()
    if ($missing) {
        throw (New-SpoLoadErrorRecord -Id 'LibraryExportMissing' -Target $script:SpoNativePath -Message (
            "The SPOCrossTenant native library '$($script:SpoNativePath)' lacks these functions: $($missing -join ', '). " +
            "Use the library built from the same version as the module ('./scripts/build-module.sh')."))
    }
    $script:SpoNativeExportsChecked = $true
}
