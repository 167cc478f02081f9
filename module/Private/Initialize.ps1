# What happens at import, in order: find the native engine, declare the public types and the
# binding (from the per-user type cache when possible, see TypeCache.ps1), and check the engine's
# ABI version. Dot-sourced by the root module after the other Private files, whose tables and
# helpers it uses.
#
# Written as one straight run, with every failure handed to Stop-SpoImport, on purpose: in a fresh
# process PowerShell compiles each function, and each script block, as a whole on first use, so
# import time grows with the amount of code run through, including branches never taken
# (see bench/Measure-Module.ps1).
# Only .NET calls, no cmdlets: the first use of a cmdlet such as Join-Path or Test-Path would
# auto-load its module and cost more than everything else here.

& {
    # 1. Where the engine is. Order: the SPO_CROSSTENANT_LIBRARY override (which wins when set),
    #    the packaged bin/<rid>/, then a source checkout's target/release and target/debug (the
    #    newer when both exist). [Environment] rather than $env:, whose first use is slow.
    $moduleRoot = [System.IO.Path]::GetDirectoryName($PSScriptRoot)
    $fileName = Get-SpoNativeFileName
    $path = [System.Environment]::GetEnvironmentVariable('SPO_CROSSTENANT_LIBRARY')
    if ($path) {
        if (-not [System.IO.Path]::IsPathRooted($path)) {
            # A relative override is taken from the current PowerShell location when that is a folder.
            $base = if ($PWD.Provider.Name -eq 'FileSystem') { $PWD.ProviderPath } else { [System.IO.Directory]::GetCurrentDirectory() }
            $path = [System.IO.Path]::GetFullPath($path, $base)
        }
        if (-not [System.IO.File]::Exists($path)) { Stop-SpoImport OverrideNotFound $path }
    } else {
        # The platform name is worked out only when there is a bin folder to look in.
        if ([System.IO.Directory]::Exists("$moduleRoot/bin")) {
            $packaged = "$moduleRoot/bin/$(Get-SpoRuntimeIdentifier)/$fileName"
            if ([System.IO.File]::Exists($packaged)) { $path = $packaged }
        }
        if (-not $path) {
            foreach ($profileName in 'release', 'debug') {
                $candidate = [System.IO.Path]::GetDirectoryName($moduleRoot) + "/target/$profileName/$fileName"
                if ([System.IO.File]::Exists($candidate) -and (-not $path -or
                        [System.IO.File]::GetLastWriteTimeUtc($candidate) -gt [System.IO.File]::GetLastWriteTimeUtc($path))) { $path = $candidate }
            }
        }
        if (-not $path) { Stop-SpoImport LibraryNotFound $moduleRoot }
    }
    $script:SpoNativePath = $path

    # 2. Types already declared in this process (an earlier import) are in AppDomain data, so that
    #    Import-Module -Force reuses them instead of declaring them again; the binding is kept per
    #    library path.
    $typesKey = 'SPOCrossTenant.Types|v1'
    $bindingKey = "SPOCrossTenant.Native|abi=$script:SpoAbiVersion|$path"
    $types = [System.AppDomain]::CurrentDomain.GetData($typesKey)
    $native = [System.AppDomain]::CurrentDomain.GetData($bindingKey)
    if (-not $types) {
        # First import in this process. If Microsoft's module has loaded the enums, they are reused,
        # never declared twice. (One -like over all assembly names at once; the loop then visits
        # SharePoint assemblies only. Much faster than asking PowerShell for types that do not exist.)
        $types = @{}
        foreach ($assemblyName in @([System.AppDomain]::CurrentDomain.GetAssemblies().FullName) -like 'Microsoft.*SharePoint*') {
            $assembly = [System.Reflection.Assembly]::Load($assemblyName)
            foreach ($fullName in $script:SpoEnumNumbers.Keys) {
                $existing = $assembly.GetType($fullName, $false)
                if ($existing) { $types[$fullName] = $existing }
            }
        }
        # Nothing declared yet anywhere: everything can come from the type cache at once.
        if (-not $types.Count) {
            $cached = Import-SpoTypeCache -LibraryPath $path
            if ($cached) { $native = $cached.Native; $cached.Remove('Native'); $types = $cached }
        }
    }

    # 3. Whatever is still missing is declared in memory, in one assembly (no compiler involved).
    $missingEnums = @(foreach ($fullName in $script:SpoEnumNumbers.Keys) { if (-not $types[$fullName]) { $fullName } })
    if ($missingEnums -or -not $types['SPOCrossTenant.ServerException'] -or -not $native) {
        $assemblyName = [System.Reflection.AssemblyName]::new('SPOCrossTenant.Dynamic')
        $typeModule = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly($assemblyName, 'Run').DefineDynamicModule($assemblyName.Name)
        if ($missingEnums) { $types += New-SpoEnumTypes -Module $typeModule -Name $missingEnums }
        if (-not $types['SPOCrossTenant.ServerException']) { $types['SPOCrossTenant.ServerException'] = New-SpoServerExceptionType -Module $typeModule }
        if (-not $native) {
            # The type name carries a hash of the path: one process may bind libraries at two paths.
            $native = New-SpoNativeType -Module $typeModule -Path $path -Name "SPOCrossTenant.Native.Abi$script:SpoAbiVersion.L$($path.GetHashCode() -band 0x7FFFFFFF)"
        }
    }
    [System.AppDomain]::CurrentDomain.SetData($typesKey, $types)
    $script:SpoServerExceptionType = $types['SPOCrossTenant.ServerException']

    # 4. Ask the library for its ABI version before anything else, the first time this path is
    #    bound in this process: a library of another version may lack exports, and "wrong version"
    #    tells the admin what to do. The first call is also what loads the file, so load failures
    #    surface here too.
    if (-not [System.AppDomain]::CurrentDomain.GetData($bindingKey)) {
        try { $reported = $native::spo_abi_version() } catch { Stop-SpoImport LibraryLoadFailed $path $_.Exception }
        if ($reported -ne $script:SpoAbiVersion) { Stop-SpoImport AbiVersionMismatch $path $reported }
        [System.AppDomain]::CurrentDomain.SetData($bindingKey, $native)
    }
    $script:SpoNative = $native
}
