# Turns the engine's own description of its enums (the "enums" object of spo_describe's JSON) into
# C# source. Used by scripts/build-module.ps1 to compile bin/SPOCrossTenant.Enums.dll, and by the
# source-tree loader (SourceBinding.ps1), so the module never restates an enum's names or numbers.

function ConvertTo-SpoEnumSource {
    # $Describe: the JSON text spo_describe returned. Returns the C# text (deterministic: types
    # sorted by full name, members by number).
    # $Namespace: 'Microsoft' for the enums in Microsoft's namespaces (Microsoft.*), which the module
    # loads only when Microsoft's module has not; 'Own' for the rest (e.g. SPOCrossTenant.*); 'All'.
    param([Parameter(Mandatory)][string]$Describe, [ValidateSet('All', 'Microsoft', 'Own')][string]$Namespace = 'All')
    $facts = ConvertFrom-Json -InputObject $Describe -AsHashtable
    if (-not $facts.enums -or $facts.enums.Count -eq 0) { throw "spo_describe returned no enums: $Describe" }
    $identifier = '^[A-Za-z_][A-Za-z0-9_]*$'
    $builder = [System.Text.StringBuilder]::new()
    $null = $builder.AppendLine("// Generated from spo_describe of the SPOCrossTenant native library $($facts.libraryVersion) (ABI $($facts.abiVersion)). Do not edit.")
    foreach ($fullName in @($facts.enums.Keys | Sort-Object -CaseSensitive)) {
        if ($Namespace -eq 'Microsoft' -and $fullName -notlike 'Microsoft.*') { continue }
        if ($Namespace -eq 'Own' -and $fullName -like 'Microsoft.*') { continue }
        $parts = $fullName -split '\.'
        if ($parts.Count -lt 2 -or @($parts | Where-Object { $_ -notmatch $identifier }).Count) { throw "spo_describe: '$fullName' is not a valid enum name." }
        $members = $facts.enums[$fullName]
        $null = $builder.AppendLine("namespace $($parts[0..($parts.Count - 2)] -join '.')").AppendLine('{')
        $null = $builder.AppendLine("    public enum $($parts[-1]) : int").AppendLine('    {')
        foreach ($member in @($members.GetEnumerator() | Sort-Object { [long]$_.Value }, Key)) {
            if ($member.Key -notmatch $identifier) { throw "spo_describe: '$($member.Key)' of $fullName is not a valid name." }
            $null = $builder.AppendLine("        $($member.Key) = $([int]$member.Value),")
        }
        $null = $builder.AppendLine('    }').AppendLine('}')
    }
    $builder.ToString()
}
