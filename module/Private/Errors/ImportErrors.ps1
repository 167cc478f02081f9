# Import failures of the native engine as error records. The binding (P/Invoke declarations, NativeResult,
# ServerException) and the import logic (find bin/<rid>/, bind, check the ABI version, load the
# enums) are the compiled assembly bin/SPOCrossTenant.dll, built by scripts/build-module.ps1 from
# module/Binding/; the footer of the script module calls [SPOCrossTenant.ModuleLoader]::Initialize.
# Function definitions only: the generated script module may place this file anywhere before its footer.

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
