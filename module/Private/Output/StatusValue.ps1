# The "status value": what a command that answers with one status writes (Verify-/Test-
# SPOCrossTenantRelationship, Get-SPOCrossTenantCompatibilityStatus).
#
# Scripts written for Microsoft's module treat that output as the status itself: `-eq
# 'GoodToProceed'`, `switch`, `"$v"`, `[string]$v`, `.Value`, `Out-String -match`, a CSV column.
# So the object IS the enum value (a PSObject around it: comparisons, casts, interpolation and
# ToString all reach the enum), and our extras ride along as note properties:
# - Status: the same enum value again, so Export-Csv and Format-List * show the name as a column;
# - Value: hidden, from SPOCrossTenant.types.ps1xml (ClientResult<T>.Value in CSOM scripts); hidden
#   so that ConvertTo-Json does not write a second "value" key next to the one it writes for the enum;
# - whatever the command adds (Explanation, TraceCorrelationId, partner, role).
# Type names: SPOCrossTenant.StatusValue first, so its views (SPOCrossTenant.format.ps1xml) decide
# the default display (the bare name, as the enum prints) and Format-Table (Status, Explanation);
# then the command's own type name, whose list view Format-List finds.

function New-SpoStatusValue {
    # $Status is the enum value; $TypeName the command's output type; $Property the extras, in order.
    param([System.Enum]$Status, [string]$TypeName, [System.Collections.Specialized.OrderedDictionary]$Property)
    $value = [psobject]::new($Status)
    $value.PSTypeNames.Insert(0, $TypeName)
    $value.PSTypeNames.Insert(0, 'SPOCrossTenant.StatusValue')
    $members = $value.PSObject.Properties
    $members.Add([psnoteproperty]::new('Status', $Status))
    foreach ($entry in $Property.GetEnumerator()) { $members.Add([psnoteproperty]::new($entry.Key, $entry.Value)) }
    $value
}
