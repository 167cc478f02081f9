# A per-user cache of the types this module declares (enums, exception, P/Invoke binding), saved
# as a small DLL the first time and loaded from disk on later imports.
#
# Why: declaring types with Reflection.Emit costs a fresh PowerShell process tens of milliseconds
# at every import, loading a saved assembly costs a few. It is still no compiler: the DLL is
# written by System.Reflection.Emit.PersistedAssemblyBuilder (.NET 9 and later, so PowerShell 7.5
# and later); on older runtimes saving fails, and any failure to read or write the cache falls
# back to declaring the types in memory.
#
# The file name depends on everything the DLL depends on: the ABI version, the last-write times of
# the files that define the types, and the last-write time of the library the binding points at.
# The library's full path is also stored in the DLL and compared after loading, so two libraries
# that happen to share a timestamp only cost a slower import. Any change makes a new file; old
# ones are harmless. The cache lives where the user's other per-user application data lives,
# which only that user (and administrators) can write.

function Get-SpoTypeCachePath {
    # The cache file for the library at $LibraryPath, or $null when there is no per-user data folder.
    # Kept to a handful of calls: in a fresh process each distinct .NET call costs milliseconds.
    param([string]$LibraryPath)
    $root = [System.Environment]::GetFolderPath('LocalApplicationData', 'DoNotVerify')
    if (-not $root) { return $null }
    $stamp = 0
    foreach ($file in "$PSScriptRoot/NativeLibrary.ps1", "$PSScriptRoot/Enums.ps1", "$PSScriptRoot/ServerException.ps1",
        "$PSScriptRoot/TypeCache.ps1", $LibraryPath) {
        $stamp = $stamp -bxor [System.IO.File]::GetLastWriteTimeUtc($file).Ticks
    }
    "$root/SPOCrossTenant/TypeCache/SPOCrossTenant.Types.abi$script:SpoAbiVersion.$('{0:x}' -f $stamp).dll"
}

function Save-SpoTypeCache {
    # Declares every type into a new assembly and saves it at $CachePath. Written to a temporary
    # name first and then moved, so that another process never loads a half-written file.
    param([string]$CachePath, [string]$LibraryPath)
    $name = [System.Reflection.AssemblyName]::new([System.IO.Path]::GetFileNameWithoutExtension($CachePath))
    $builder = [System.Reflection.Emit.PersistedAssemblyBuilder]::new($name, [object].Assembly)
    $module = $builder.DefineDynamicModule($name.Name)
    $null = New-SpoEnumTypes -Module $module -Name @($script:SpoEnumNumbers.Keys)
    $null = New-SpoServerExceptionType -Module $module
    $null = New-SpoNativeType -Module $module -Path $LibraryPath -Name "SPOCrossTenant.Native.Abi$script:SpoAbiVersion"
    $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($CachePath))
    $temporary = "$CachePath.$PID.tmp"
    try {
        $builder.Save($temporary)
        [System.IO.File]::Move($temporary, $CachePath, $true)
    } finally {
        if ([System.IO.File]::Exists($temporary)) { [System.IO.File]::Delete($temporary) }
    }
}

function Import-SpoTypeCache {
    # Returns name -> type for every declared type (the native binding under 'Native'), loaded from
    # the cache file (saved first if missing), or $null when the cache cannot be used.
    param([string]$LibraryPath)
    try {
        $cachePath = Get-SpoTypeCachePath -LibraryPath $LibraryPath
        if (-not $cachePath) { return $null }
        if (-not [System.IO.File]::Exists($cachePath)) { Save-SpoTypeCache -CachePath $cachePath -LibraryPath $LibraryPath }
        $assembly = [System.Reflection.Assembly]::LoadFile($cachePath)
        $types = @{ Native = $assembly.GetType("SPOCrossTenant.Native.Abi$script:SpoAbiVersion") }
        if ($types.Native.GetField('LibraryPath').GetRawConstantValue() -ne $LibraryPath) { return $null }
        foreach ($fullName in @($script:SpoEnumNumbers.Keys) + 'SPOCrossTenant.ServerException') { $types[$fullName] = $assembly.GetType($fullName) }
        $types
    } catch {
        # A read-only profile, a full disk, an antivirus lock: declare the types in memory instead.
        Write-Verbose "SPOCrossTenant: type cache not used ($($_.Exception.Message))."
        $null
    }
}
