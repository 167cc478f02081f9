# What Get- and Remove-SPOTenantIdentityMapping{User,Group} write.
#
# The engine answers the entries as JSON with the property names of Microsoft's classes
# (SPOTenantUserIdentityMapping, SPOTenantGroupIdentityMapping: docs/migration-wire.md). Get writes
# one object per entry, with those properties typed (Guid, the TenantIdentityMapping*Type enums)
# and the answer's TraceCorrelationId, shown as a table of four of them (a default display set, as
# the readiness findings have: no format data to load at import); nothing when there is none, so
# `if (Get-SPOTenantIdentityMappingUser SourceUserKey $upn)` reads as "is mapped". Remove writes
# nothing: -Verbose names what it removed, and removing what is not there is a non-terminating
# ObjectNotFound error that names the field and the value.

# Per kind of entry: its type name, each property with how its JSON value is read (the binding's
# JsonRecordReader: Text stays text, so a group named '2024-05-01T10:00:00' is not turned into a
# date as ConvertFrom-Json would), the enum property and its type, and the four properties the
# default table shows (Format-List * shows them all).
$script:SpoMappingShapes = @{
    User  = @{ TypeName = 'SPOCrossTenant.TenantUserIdentityMapping'
        Fields = [ordered]@{ SourceTenantCompanyId = 'Guid'; SourceUserKey = 'Text'; TargetUserPuid = 'Text'; TargetUserUpn = 'Text'; TargetUserEmail = 'Text'; UserType = 'Text' }
        Enum = 'UserType'; EnumType = 'Microsoft.SharePoint.Client.Administration.TenantIdentityMappingUserType'
        Display = [System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
                [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]@('SourceUserKey', 'TargetUserUpn', 'TargetUserEmail', 'UserType')))) }
    Group = @{ TypeName = 'SPOCrossTenant.TenantGroupIdentityMapping'
        Fields = [ordered]@{ SourceTenantCompanyId = 'Guid'; SourceGroupObjectId = 'Guid'; TargetGroupObjectId = 'Guid'; TargetGroupName = 'Text'; GroupType = 'Text' }
        Enum = 'GroupType'; EnumType = 'Microsoft.SharePoint.Client.Administration.TenantIdentityMappingGroupType'
        Display = [System.Management.Automation.PSMemberSet]::new('PSStandardMembers', [System.Management.Automation.PSMemberInfo[]]@(
                [System.Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]@('TargetGroupName', 'GroupType', 'SourceGroupObjectId', 'TargetGroupObjectId')))) }
}

function ConvertFrom-SpoIdentityMappingJson {
    # The engine's JSON array of entries -> one typed object per entry. $Kind: User or Group.
    param([string]$Json, [ValidateSet('User', 'Group')][string]$Kind, [string]$CorrelationId)
    $shape = $script:SpoMappingShapes[$Kind]
    foreach ($mapping in [SPOCrossTenant.JsonRecordReader]::Read($Json, $shape.Fields, $shape.TypeName, $CorrelationId)) {
        $mapping[$shape.Enum] = [System.Management.Automation.LanguagePrimitives]::ConvertTo($mapping[$shape.Enum], [type]$shape.EnumType)
        $object = [pscustomobject]$mapping
        $object.PSObject.Members.Add($shape.Display)
        $object
    }
}

function ConvertTo-SpoUserMappingList {
    # Output of Get-SPOTenantIdentityMappingUser (and of the readiness command's look-ups).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    ConvertFrom-SpoIdentityMappingJson -Json $Result.Value -Kind User -CorrelationId $Result.CorrelationId
}

function ConvertTo-SpoGroupMappingList {
    # Output of Get-SPOTenantIdentityMappingGroup.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    ConvertFrom-SpoIdentityMappingJson -Json $Result.Value -Kind Group -CorrelationId $Result.CorrelationId
}

function Write-SpoUserMappingRemoval {
    # Output of Remove-SPOTenantIdentityMappingUser: the engine's value is the entries it removed.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    Write-SpoIdentityMappingRemoval -Cmdlet $Cmdlet -Result $Result -Arguments $Arguments -Kind User
}

function Write-SpoGroupMappingRemoval {
    # Output of Remove-SPOTenantIdentityMappingGroup.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    Write-SpoIdentityMappingRemoval -Cmdlet $Cmdlet -Result $Result -Arguments $Arguments -Kind Group
}

function Write-SpoIdentityMappingRemoval {
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [string]$Kind)
    $removed = @(ConvertFrom-SpoIdentityMappingJson -Json $Result.Value -Kind $Kind -CorrelationId $Result.CorrelationId)
    $field, $value = [string]$Arguments.Field, [string]$Arguments.Value
    $noun = $Kind.ToLowerInvariant()
    if ($removed.Count) {
        $keys = if ($Kind -eq 'User') { $removed.SourceUserKey } else { $removed.SourceGroupObjectId }
        $Cmdlet.WriteVerbose("Removed $($removed.Count) $noun entr$(if ($removed.Count -eq 1) { 'y' } else { 'ies' }) whose $field is '$value' from the identity map: $($keys -join ', ') (TraceCorrelationId $($Result.CorrelationId)).")
        return
    }
    $message = "The identity map has no $noun entry whose $field is '$value'; nothing was removed."
    $record = [System.Management.Automation.ErrorRecord]::new([System.Management.Automation.ItemNotFoundException]::new($message),
        'SPOCrossTenant.IdentityMappingNotFound', [System.Management.Automation.ErrorCategory]::ObjectNotFound, $value)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
    $record.ErrorDetails.RecommendedAction = "Look for the entry with Get-SPOTenantIdentityMapping$Kind -Field $field -Value '$value', or by another field; entries match on the whole value, ignoring case."
    $Cmdlet.WriteError($record)
}
