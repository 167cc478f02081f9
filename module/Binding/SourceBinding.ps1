# Source-tree only (module/SPOCrossTenant.psm1, e.g. scripts/demo.sh): compiles the binding and the
# enums in memory, because the source tree has no bin/ folder. The package never runs this: its
# assemblies are compiled by scripts/build-module.ps1 and only loaded at import. In memory means no
# file is written; it costs about a second per process.

. "$PSScriptRoot/EnumSource.ps1"

function Add-SpoSourceBinding {
    # Compiles the sources of bin/SPOCrossTenant.dll (module/Binding/*.cs), once per process.
    param([string]$Root)
    if ([System.AppDomain]::CurrentDomain.GetData('SPOCrossTenant.SourceBinding')) { return }
    $project = [xml][System.IO.File]::ReadAllText("$Root/Binding/SPOCrossTenant.Binding.csproj")
    $sources = foreach ($name in $project.Project.ItemGroup.Compile.Include -split ';') { "$Root/Binding/$name" }
    $assembly = (Add-Type -Path $sources -CompilerOptions '/unsafe' -PassThru -ErrorAction Stop)[0].Assembly
    [System.AppDomain]::CurrentDomain.SetData('SPOCrossTenant.SourceBinding', $assembly)
}

function Add-SpoSourceEnums {
    # Compiles the enums the bound library describes (spo_describe), unless they exist already.
    if ([SPOCrossTenant.ModuleLoader]::EnumsLoaded) { return }
    $pointer = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_describe([ref]$pointer)
    $result = [SPOCrossTenant.NativeResult]::Take($pointer)
    if (-not $result -or -not $result.Succeeded) { throw "spo_describe failed: $($result.Message)" }
    $names = [string[]]@((ConvertFrom-Json $result.Value -AsHashtable).enums.Keys)
    $namespace = if ([SPOCrossTenant.ModuleLoader]::MicrosoftEnumsLoaded($names)) { 'Own' } else { 'All' }
    $null = Add-Type -TypeDefinition (ConvertTo-SpoEnumSource -Describe $result.Value -Namespace $namespace) -ErrorAction Stop
    [SPOCrossTenant.ModuleLoader]::EnumsLoaded = $true
}
