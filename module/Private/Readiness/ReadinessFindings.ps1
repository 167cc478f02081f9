# The finding objects of Test-SPOCrossTenantMigrationReadiness and the rows they are about.
#
# A finding is one SPOCrossTenant.ReadinessFinding: Check (what was checked), Target (the tenant
# or the row), Result ('Pass', 'Warning' or 'Fail': a [string], so it compares, sorts, prints and
# exports as its name), Reason (plain words) and Fix (the exact command or CSV change that
# resolves it; empty for a Pass), plus Row, Kind, SourceKey and TraceCorrelationId for filtering
# and support cases. The default display is a table of Check, Target, Result and Reason.

$script:SpoReadinessTypeName = 'SPOCrossTenant.ReadinessFinding'
$script:SpoReadinessDisplay = [System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
        [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]@('Check', 'Target', 'Result', 'Reason'))))

function New-SpoReadinessFinding {
    param([string]$Check, [string]$Target, [ValidateSet('Pass', 'Warning', 'Fail')][string]$Result, [string]$Reason, [string]$Fix = '',
        [object]$Row = $null, [string]$Kind = 'Tenant', [string]$SourceKey = '', [string]$TraceCorrelationId = '')
    $finding = [pscustomobject]@{
        PSTypeName = $script:SpoReadinessTypeName
        Check = $Check; Target = $Target; Result = $Result; Reason = $Reason; Fix = $Fix
        Row = $Row; Kind = $Kind; SourceKey = $SourceKey; TraceCorrelationId = $TraceCorrelationId
    }
    $finding.PSObject.Members.Add($script:SpoReadinessDisplay)
    $finding
}

function ConvertTo-SpoReadinessRow {
    # One input object (a CSV row, or any object with the move commands' property names) ->
    # @{ Row; Kind; Source; Target; Partner; Problem } where Kind is User, Site or Group (from the
    # properties that have a value) and Problem, when set, says what is wrong and how to fix it.
    param([object]$InputObject, [int]$Row, [string]$Partner)
    $entry = @{ Row = $Row; Kind = $null; Source = ''; Target = ''; Partner = $Partner; Problem = $null }
    if ($null -eq $InputObject) {
        $entry.Problem = @{ Reason = "Row $Row is empty."; Fix = "Delete row $Row from the CSV." }
        return $entry
    }
    $properties = $InputObject.PSObject.Properties
    $kinds = foreach ($name in $script:SpoMoveKinds.Keys) {
        $kind = $script:SpoMoveKinds[$name]
        $source = [string]$properties[$kind.SourceParameter].Value
        $target = [string]$properties[$kind.TargetParameter].Value
        if ($source.Trim() -or $target.Trim()) { @{ Name = $name; Source = $source.Trim(); Target = $target.Trim() } }
    }
    $kinds = @($kinds)
    if ($kinds.Count -eq 0) {
        $columns = ($script:SpoMoveKinds.Values | ForEach-Object { "$($_.SourceParameter)/$($_.TargetParameter)" }) -join ', '
        $entry.Problem = @{ Reason = "Row $Row names nothing to move: it has no value in any of the columns $columns."
            Fix = "Fill one pair of columns in row $Row (for a OneDrive: SourceUserPrincipalName and TargetUserPrincipalName), or delete the row." }
        return $entry
    }
    if ($kinds.Count -gt 1) {
        $entry.Problem = @{ Reason = "Row $Row mixes kinds of move ($(($kinds.Name) -join ' and ')): each row moves one OneDrive account, one site or one group."
            Fix = "Split row $Row so that each row fills one pair of columns only." }
        return $entry
    }
    $found = $kinds[0]
    $kind = $script:SpoMoveKinds[$found.Name]
    $entry.Kind = $found.Name; $entry.Source = $found.Source; $entry.Target = $found.Target
    foreach ($side in @(@{ Name = $kind.SourceParameter; Value = $found.Source }, @{ Name = $kind.TargetParameter; Value = $found.Target })) {
        if (-not $side.Value) {
            $entry.Problem = @{ Reason = "Row $Row has no $($side.Name)."; Fix = "Fill the $($side.Name) column of row $Row." }
            return $entry
        }
    }
    $rowPartner = [string]$properties['TargetCrossTenantHostUrl'].Value
    if ($rowPartner.Trim() -and (Get-SpoNormalizedUrl $rowPartner.Trim()) -ne (Get-SpoNormalizedUrl $Partner)) {
        $entry.Problem = @{ Reason = "Row $Row moves to $($rowPartner.Trim()), not to the partner being checked ($Partner)."
            Fix = "Set TargetCrossTenantHostUrl of row $Row to $Partner, or check that row against its own partner." }
    }
    $entry
}

function Get-SpoReadinessRowTarget {
    # How a finding names a row: 'row 3 (alex@contoso.com -> dana@fabrikam.com)'.
    param([hashtable]$Entry)
    if ($Entry.Source -or $Entry.Target) { "row $($Entry.Row) ($($Entry.Source) -> $($Entry.Target))" } else { "row $($Entry.Row)" }
}
