# Source-tree only (module/SPOCrossTenant.psm1, e.g. scripts/demo.sh): compiles the binding and the
# enums in memory, because the source tree has no bin/ folder. The package never runs this: its
# assemblies are compiled by scripts/build-module.ps1 and only loaded at import. In memory means no
# file is written; it costs about a second per process.

. "$PSScriptRoot/EnumSource.ps1"

function Add-SpoSourceBinding {
    # Compiles module/Binding/*.cs (the same sources as bin/SPOCrossTenant.dll); returns the assembly.
    param([string]$Root)
    $sources = foreach ($name in 'Native.cs', 'NativeResult.cs', 'ServerException.cs') { "$Root/Binding/$name" }
    (Add-Type -Path $sources -PassThru -ErrorAction Stop)[0].Assembly
}

function Get-SpoSourceDescribe {
    # The library's spo_describe JSON (the library is bound by then).
    if (-not $script:SpoSourceDescribe) {
        $pointer = [IntPtr]::Zero
        $null = [SPOCrossTenant.Native]::spo_describe([ref]$pointer)
        $result = [SPOCrossTenant.NativeResult]::Take($pointer)
        if (-not $result -or -not $result.Succeeded) { throw "spo_describe failed: $($result.Message)" }
        $script:SpoSourceDescribe = $result.Value
    }
    $script:SpoSourceDescribe
}

function Get-SpoSourceEnumNames {
    @((ConvertFrom-Json (Get-SpoSourceDescribe) -AsHashtable).enums.Keys)
}

function Add-SpoSourceEnums {
    # Compiles the enums the library describes; returns the assembly.
    (Add-Type -TypeDefinition (ConvertTo-SpoEnumSource -Describe (Get-SpoSourceDescribe)) -PassThru -ErrorAction Stop)[0].Assembly
}
