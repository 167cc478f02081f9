# What import does, in order: load the compiled binding (bin/SPOCrossTenant.dll), find the native
# engine and bind it (which checks its ABI version), and load the enums unless Microsoft's module
# already declared them. Called once by the footer of the script module, after every function is
# defined. Nothing here writes a file or runs a compiler (in the source tree SourceBinding.ps1
# compiles the binding in memory instead; the package never does).
#
# Written as one straight run on purpose: in a fresh process PowerShell compiles each function as a
# whole on first use, so import time grows with the amount of code run through. Only .NET calls, no
# cmdlets: the first use of a cmdlet such as Join-Path would auto-load its module and cost more
# than everything else here.

function Initialize-SpoModule {
    # $Root: the module's folder (the package root, or module/ in the source tree). $EnumNames:
    # the enums the package's enum assembly declares (written into the footer by the build).
    param([string]$Root, [string[]]$EnumNames)
    $domain = [System.AppDomain]::CurrentDomain

    # 1. The binding, once per process (Import-Module -Force reuses it).
    $binding = $domain.GetData('SPOCrossTenant.Binding')
    if (-not $binding) {
        $file = "$Root/bin/SPOCrossTenant.dll"
        if ([System.IO.File]::Exists($file)) { $binding = [System.Reflection.Assembly]::LoadFrom($file) }
        elseif ($script:SpoSourceMode) { $binding = Add-SpoSourceBinding -Root $Root }
        else { Stop-SpoImport BindingNotFound $file }
        $domain.SetData('SPOCrossTenant.Binding', $binding)
    }
    $native = $binding.GetType('SPOCrossTenant.Native')

    # 2. The engine: found by platform, loaded by absolute path, and bound only when it speaks our
    #    ABI version (Bind asks before binding; a library of another version may lack exports).
    $path = Find-SpoNativeLibrary -Root $Root
    try { $reported = $native::Bind($path) }
    catch {
        $inner = if ($_.Exception.InnerException) { $_.Exception.InnerException } else { $_.Exception }
        if ($inner -is [System.InvalidOperationException]) { Stop-SpoImport AlreadyBound $path $inner }
        Stop-SpoImport LibraryLoadFailed $path $inner
    }
    if ($reported -ne $native::AbiVersion) { Stop-SpoImport AbiVersionMismatch $path $reported }
    Write-SpoImportVerbose "SPOCrossTenant: native library '$path' ($(Get-SpoRuntimeIdentifier), ABI version $reported)."

    # 3. The enums, once per process. If Microsoft's module has loaded them, they are reused, never
    #    declared twice. (One -like over all assembly names at once; the loop then visits SharePoint
    #    assemblies only. Much faster than asking PowerShell for types that do not exist.)
    if (-not $domain.GetData('SPOCrossTenant.Enums')) {
        if ($script:SpoSourceMode) { $EnumNames = Get-SpoSourceEnumNames }
        $theirs = 0
        foreach ($assemblyName in @($domain.GetAssemblies().FullName) -like 'Microsoft.*SharePoint*') {
            $assembly = [System.Reflection.Assembly]::Load($assemblyName)
            foreach ($fullName in $EnumNames) { if ($assembly.GetType($fullName, $false)) { $theirs++ } }
        }
        if ($theirs) {
            Write-SpoImportVerbose "SPOCrossTenant: using the enums Microsoft's SharePoint module loaded."
            $enums = 'Microsoft'
        } elseif ($script:SpoSourceMode) {
            $enums = Add-SpoSourceEnums
        } else {
            $file = "$Root/bin/SPOCrossTenant.Enums.dll"
            if (-not [System.IO.File]::Exists($file)) { Stop-SpoImport BindingNotFound $file }
            $enums = [System.Reflection.Assembly]::LoadFrom($file)
        }
        $domain.SetData('SPOCrossTenant.Enums', $enums)
    }

    $script:SpoNative = $native
    $script:SpoNativePath = $path
    $script:SpoAbiVersion = $native::AbiVersion
}

function Write-SpoImportVerbose {
    # Write-Verbose from a script module never shows, even under Import-Module -Verbose: the module's
    # scope does not see the caller's preference. So the message goes through the Import-Module
    # command that runs this import, whose own -Verbose and $VerbosePreference then decide, as for
    # its own messages. The footer finds that command ($script:SpoImportCommand) by reflection at the
    # top level of the script module: inside any function, the current command is that function.
    param([string]$Message)
    if ($script:SpoImportCommand -is [Microsoft.PowerShell.Commands.ImportModuleCommand]) { $script:SpoImportCommand.WriteVerbose($Message) }
    else { Write-Verbose $Message }
}
