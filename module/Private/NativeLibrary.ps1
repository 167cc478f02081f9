# Where the native engine is, and the errors import gives when it cannot be used. The binding
# itself (P/Invoke declarations, NativeResult, ServerException) is the compiled assembly
# bin/SPOCrossTenant.dll, built by scripts/build-module.ps1 from module/Binding/; Initialize.ps1
# loads it and binds the library. Function definitions only: the generated script module may place
# this file anywhere before its footer.

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

function Find-SpoNativeLibrary {
    # The full path of the library to bind. Order: the SPO_CROSSTENANT_LIBRARY override (which wins
    # when set); in a package (a bin/ folder next to the manifest) bin/<rid>/ and nothing else; in the
    # source tree (module/, no bin/) the checkout's target/release or target/debug, the newer of the two.
    # [Environment] rather than $env:, whose first use is slow.
    param([string]$Root)
    $fileName = Get-SpoNativeFileName
    $path = [System.Environment]::GetEnvironmentVariable('SPO_CROSSTENANT_LIBRARY')
    if ($path) {
        if (-not [System.IO.Path]::IsPathRooted($path)) {
            # A relative override is taken from the current PowerShell location when that is a folder.
            $base = if ($PWD.Provider.Name -eq 'FileSystem') { $PWD.ProviderPath } else { [System.IO.Directory]::GetCurrentDirectory() }
            $path = [System.IO.Path]::GetFullPath($path, $base)
        }
        if (-not [System.IO.File]::Exists($path)) { Stop-SpoImport OverrideNotFound $path }
        return $path
    }
    if ([System.IO.Directory]::Exists("$Root/bin")) {
        $path = "$Root/bin/$(Get-SpoRuntimeIdentifier)/$fileName"
        if (-not [System.IO.File]::Exists($path)) { Stop-SpoImport LibraryNotFound $path }
        return $path
    }
    $path = $null
    foreach ($profileName in 'release', 'debug') {
        $candidate = [System.IO.Path]::GetDirectoryName($Root) + "/target/$profileName/$fileName"
        if ([System.IO.File]::Exists($candidate) -and (-not $path -or
                [System.IO.File]::GetLastWriteTimeUtc($candidate) -gt [System.IO.File]::GetLastWriteTimeUtc($path))) { $path = $candidate }
    }
    if (-not $path) { Stop-SpoImport SourceLibraryNotFound ([System.IO.Path]::GetDirectoryName($Root)) }
    $path
}

function Stop-SpoImport {
    # Fails the import with an error that says what to do. Only compiled when something went wrong.
    param([string]$Reason, [string]$Path, [object]$Detail)
    $rid = Get-SpoRuntimeIdentifier
    $fileName = Get-SpoNativeFileName
    $build = "To build it from source: in a checkout of SPOCrossTenant on $rid, run './scripts/build-module.sh' " +
        "(it runs 'cargo build --release' and writes the module with bin/$rid/$fileName to dist/), then import that module."
    $id, $message = switch ($Reason) {
        'OverrideNotFound' {
            'LibraryNotFound', ("SPO_CROSSTENANT_LIBRARY is set to '$Path', but no file is there. " +
                "Point it at a built $fileName ($rid), or remove the variable to use the library that ships with the module.")
        }
        'LibraryNotFound' {
            'LibraryNotFound', ("The SPOCrossTenant native library for this platform ($rid) is not in the module: expected '$Path'. " +
                "Install a package of the module built for $rid, or set SPO_CROSSTENANT_LIBRARY to the full path of a $fileName built for it. $build")
        }
        'SourceLibraryNotFound' {
            'LibraryNotFound', ("The SPOCrossTenant native library for this platform ($rid) was not found: this is the module's source folder, " +
                "which uses '$Path/target/release/$fileName' or '$Path/target/debug/$fileName'. Run 'cargo build --release' in '$Path', " +
                "or './scripts/build-module.sh' there for an installable module; or set SPO_CROSSTENANT_LIBRARY to the full path of $fileName.")
        }
        'BindingNotFound' {
            'BindingNotFound', ("The module's compiled binding '$Path' is missing: this copy of SPOCrossTenant is incomplete. " +
                "Reinstall the module (Install-PSResource SPOCrossTenant -Reinstall). $build")
        }
        'AlreadyBound' {
            'LibraryAlreadyLoaded', "$($Detail.Message) (Another import of SPOCrossTenant in this session bound it.)"
        }
        'LibraryLoadFailed' {
            $inner = if ($Detail.InnerException) { $Detail.InnerException } else { $Detail }
            if ($inner -is [System.EntryPointNotFoundException]) {
                $abi = [SPOCrossTenant.Native]::AbiVersion
                'AbiVersionMismatch', ("'$Path' is not an SPOCrossTenant native library of ABI version ${abi}: it does not export spo_abi_version. " +
                    "Expected the library for $rid that ships with the module. $build")
            } else {
                'LibraryLoadFailed', ("The SPOCrossTenant native library '$Path' could not be loaded: $($inner.Message) " +
                    "It may have been built for another platform than $rid. $build")
            }
        }
        'AbiVersionMismatch' {
            $abi = [SPOCrossTenant.Native]::AbiVersion
            'AbiVersionMismatch', ("The SPOCrossTenant native library '$Path' speaks ABI version $Detail, but this module needs ABI version $abi ($rid). " +
                "Use the library built from the same version as the module. $build")
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
