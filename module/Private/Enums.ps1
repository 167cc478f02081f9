# The public enums of the cross-tenant cmdlets, in the namespace Microsoft's module uses, so that
# scripts written for it (e.g. [Microsoft.SharePoint.Client.Administration.OrgRelationRole]::Target)
# run unchanged.
#
# This table is the only place where the numbers live: the enums are declared from it at import
# (see Initialize.ps1: once per process, and a type already loaded by Microsoft's module is
# reused), and the values sent to the native library are looked up in it by name. Looking up by name keeps us right
# even when Microsoft's assembly declared the enum first and we reuse its type.
$script:SpoEnumNumbers = [ordered]@{
    'Microsoft.SharePoint.Client.Administration.OrgRelationScenario'           = [ordered]@{ None = 0; MnA = 1 }
    'Microsoft.SharePoint.Client.Administration.OrgRelationRole'               = [ordered]@{ None = 0; Source = 1; Target = 2 }
    'Microsoft.SharePoint.Client.Administration.OrgRelationVerificationStatus' = [ordered]@{
        NotEstablished = 0; NotEstablishedByPartner = 1; Dormant = 2; DormantByPartner = 3; GoodToProceed = 4; CouldNotContactPartner = 5
    }
}

function New-SpoEnumTypes {
    # Emits the named enums into $Module from the table above; returns name -> type.
    param([System.Reflection.Emit.ModuleBuilder]$Module, [string[]]$Name)
    $types = @{}
    foreach ($fullName in $Name) {
        $enum = $Module.DefineEnum($fullName, 'Public', [int])
        foreach ($entry in $script:SpoEnumNumbers[$fullName].GetEnumerator()) { $null = $enum.DefineLiteral($entry.Key, [int]$entry.Value) }
        $types[$fullName] = $enum.CreateType()
    }
    $types
}

function ConvertTo-SpoNativeNumber {
    # The numbers the native library expects for one or more enum values, found by each value's
    # name (one call for all of a command's enums, as this runs on every call).
    # A name we do not know (another module's newer enum) becomes a number the library rejects as
    # out of range, rather than silently turning into 0 (None).
    param([System.Enum[]]$Value)
    foreach ($item in $Value) {
        $number = $script:SpoEnumNumbers[$item.GetType().FullName][$item.ToString()]
        if ($null -eq $number) { [uint32]::MaxValue } else { [uint32]$number }
    }
}

function ConvertFrom-SpoNativeNumber {
    # The enum value for a number the native library returned (e.g. a verification status).
    param([string]$TypeName, [int]$Number)
    $numbers = $script:SpoEnumNumbers[$TypeName]
    foreach ($name in $numbers.Keys) {
        if ($numbers[$name] -eq $Number) { return [System.Enum]::Parse(($TypeName -as [type]), $name) }
    }
    throw [System.ArgumentOutOfRangeException]::new('Number', $Number, "$Number is not a known value of $TypeName.")
}
