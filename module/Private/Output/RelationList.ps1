# The one reader of the relation list that GetSPOTenantOrgRelationAll, ...ByPartner and
# ...ByScenario return (Get-SPOCrossTenantRelationship*).
#
# The service's serialized format is unpublished (protocol.md section 1). What this file
# understands is the format of the local emulator (emulator/README.md, "Relation list format"):
# a JSON array of objects such as
#   [{"Scenario":"MnA","PartnerRole":"Target","PartnerCrossTenantHostUrl":"https://fabrikam-my.sharepoint.com/","CreatedTime":"2025-01-31T09:30:00Z"}]
# A single object instead of an array is taken as a list of one. Field names match in any case;
# enums may be names or numbers; fields beyond the four known ones are kept as extra properties.
# When the real service turns out to send something else, this file is the only one to change;
# until then anything it does not understand is handed back to the command, which warns and writes
# the raw string, so the admin never loses what the server said.
#
# Parsed with System.Text.Json rather than ConvertFrom-Json: no other module gets loaded, and date
# strings are not silently turned into dates in the local time zone.

# The type name of the objects written, used by the format view (SPOCrossTenant.format.ps1xml).
$script:SpoRelationTypeName = 'SPOCrossTenant.Relationship'

# The known fields: property name on the output object -> enum type name ($null: not an enum).
$script:SpoRelationKnownFields = [ordered]@{
    Scenario                  = 'Microsoft.SharePoint.Client.Administration.OrgRelationScenario'
    PartnerRole               = 'Microsoft.SharePoint.Client.Administration.OrgRelationRole'
    PartnerCrossTenantHostUrl = $null
    CreatedTime               = $null
}

function ConvertFrom-SpoRelationPayload {
    # Returns @{ Understood = $true; Relations = <SPOCrossTenant.Relationship objects> }, or
    # @{ Understood = $false; Reason = <what was not understood, for the warning> }.
    # An empty or blank payload is an empty list (the engine gives "" for a null answer).
    param([AllowNull()][AllowEmptyString()][string]$Payload)
    if ([string]::IsNullOrWhiteSpace($Payload)) { return @{ Understood = $true; Relations = @() } }
    try {
        $document = [System.Text.Json.JsonDocument]::Parse($Payload)
    } catch {
        $why = if ($_.Exception.InnerException) { $_.Exception.InnerException.Message } else { $_.Exception.Message }
        return @{ Understood = $false; Reason = "it is not JSON: $why" }
    }
    try {
        $root = $document.RootElement
        $rootKind = $root.ValueKind.ToString()
        if ($rootKind -ne 'Array' -and $rootKind -ne 'Object') {
            return @{ Understood = $false; Reason = "it is a JSON $($rootKind.ToLowerInvariant()), not a list of relations" }
        }
        # @() around the whole if: a one-element array coming out of an if-expression would be
        # unrolled into a bare JsonElement, whose own indexer then fails.
        $entries = @(if ($rootKind -eq 'Array') { $root.EnumerateArray() } else { $root })
        $relations = [System.Collections.Generic.List[object]]::new()
        for ($index = 0; $index -lt $entries.Count; $index++) {
            $converted = ConvertFrom-SpoRelationEntry -Entry $entries[$index] -Number ($index + 1)
            if ($converted -is [string]) { return @{ Understood = $false; Reason = $converted } }
            $relations.Add($converted)
        }
        @{ Understood = $true; Relations = $relations.ToArray() }
    } finally {
        $document.Dispose()
    }
}

function ConvertFrom-SpoRelationEntry {
    # One JSON object -> one SPOCrossTenant.Relationship, or a [string] saying what is wrong with it.
    param([System.Text.Json.JsonElement]$Entry, [int]$Number)
    if ($Entry.ValueKind.ToString() -ne 'Object') { return "entry $Number is a JSON $($Entry.ValueKind.ToString().ToLowerInvariant()), not an object" }
    # [ordered] keys compare case-insensitively in PowerShell, so the first of two names that
    # differ only in case wins.
    $fields = [ordered]@{}
    foreach ($property in $Entry.EnumerateObject()) {
        if ($property.Name -and -not $fields.Contains($property.Name)) { $fields[$property.Name] = $property.Value }
    }
    $relation = [ordered]@{ PSTypeName = $script:SpoRelationTypeName }
    foreach ($name in $script:SpoRelationKnownFields.Keys) {
        $enumType = $script:SpoRelationKnownFields[$name]
        $present = $fields.Contains($name)
        $value = if ($present) { $fields[$name] }
        $kind = if ($present) { $value.ValueKind.ToString() } else { 'Undefined' }
        if ($name -eq 'CreatedTime') {
            # Optional: $null when absent or null.
            $relation.CreatedTime = $null
            if ($kind -eq 'Undefined' -or $kind -eq 'Null') { continue }
            $time = [datetime]::MinValue
            if ($kind -ne 'String' -or -not [datetime]::TryParse($value.GetString(), [System.Globalization.CultureInfo]::InvariantCulture,
                    [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal', [ref]$time)) {
                return "entry $Number has a CreatedTime that is not a date: $($value.GetRawText())"
            }
            $relation.CreatedTime = $time
            continue
        }
        if ($kind -eq 'Undefined' -or $kind -eq 'Null') { return "entry $Number has no $name" }
        if (-not $enumType) {
            $text = if ($kind -eq 'String') { $value.GetString() }
            if (-not $text) { return "entry $Number has a $name that is not a URL: $($value.GetRawText())" }
            $relation[$name] = $text
            continue
        }
        $enumValue = ConvertFrom-SpoRelationEnum -TypeName $enumType -Element $value
        if ($null -eq $enumValue) { return "entry $Number has a $name that is not a known $($enumType.Split('.')[-1]) value: $($value.GetRawText())" }
        $relation[$name] = $enumValue
    }
    # Whatever else the server sent is kept, so nothing it says is lost.
    foreach ($name in $fields.Keys) {
        if ($relation.Contains($name)) { continue }
        $relation[$name] = ConvertFrom-SpoJsonValue $fields[$name]
    }
    [pscustomobject]$relation
}

function ConvertFrom-SpoRelationEnum {
    # An enum value from its name (any case) or its wire number, or $null when it is neither. The
    # enum types carry the engine's names and numbers, so nothing is restated here.
    param([string]$TypeName, [System.Text.Json.JsonElement]$Element)
    $type = $TypeName -as [type]
    switch ($Element.ValueKind.ToString()) {
        'String' {
            $text = $Element.GetString()
            # Compared name by name rather than with Enum.Parse, which would also take "1" or "MnA, None".
            foreach ($name in [System.Enum]::GetNames($type)) {
                if ([string]::Equals($name, $text, [System.StringComparison]::OrdinalIgnoreCase)) { return [System.Enum]::Parse($type, $name) }
            }
        }
        'Number' {
            $number = 0
            if ($Element.TryGetInt32([ref]$number) -and [System.Enum]::IsDefined($type, $number)) { return [System.Enum]::ToObject($type, $number) }
        }
    }
    $null
}

function ConvertFrom-SpoJsonValue {
    # A JSON value as a plain .NET value: string, Int64 or Double, Boolean, $null; objects and
    # arrays stay JSON text.
    param([System.Text.Json.JsonElement]$Element)
    switch ($Element.ValueKind.ToString()) {
        'String' { return $Element.GetString() }
        'Number' {
            $whole = 0L
            if ($Element.TryGetInt64([ref]$whole)) { return $whole }
            return $Element.GetDouble()
        }
        'True' { return $true }
        'False' { return $false }
        'Null' { return $null }
        default { return $Element.GetRawText() }
    }
}

function ConvertTo-SpoRelationList {
    # The output of Get-SPOCrossTenantRelationship*: one object per relationship, nothing for none.
    # An answer this file does not understand is written as the raw string, with a warning, so
    # nothing the server said is lost.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    $correlation = if ($Result.CorrelationId) { $Result.CorrelationId } else { '(none)' }
    $parsed = ConvertFrom-SpoRelationPayload $Result.Value
    if (-not $parsed.Understood) {
        $Cmdlet.WriteWarning("The relationship list from $($Connection.AdminUrl) is in a format this module does not understand ($($parsed.Reason)). It is written out as the raw string the server sent; TraceCorrelationId $correlation.")
        return [string]$Result.Value
    }
    $Cmdlet.WriteVerbose("$($parsed.Relations.Count) relationship(s) in the answer.")
    Add-SpoKnownRelations -Connection $Connection -Relation $parsed.Relations
    $parsed.Relations
}
