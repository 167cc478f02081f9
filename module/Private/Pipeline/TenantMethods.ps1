# What the pipeline needs to know about each server method a command calls: whether it changes the
# tenant (then it asks ShouldProcess first, so -WhatIf and -Confirm work) and which function turns
# its value into the command's output (none: the command writes nothing on success). Rest marks a
# SharePoint REST function rather than a CSOM method, for -Verbose to say where the request goes.
# Terminating lists the error ids that fail the whole command rather than one request: they are
# thrown (ThrowTerminatingError), after the output of what the command had done first.
# The arguments themselves, their rules and the wire format are the engine's business.

$script:SpoTenantMethods = @{
    NewSPOTenantOrgRelation           = @{ Changes = $true; Output = $null }
    RemoveSPOTenantOrgRelation        = @{ Changes = $true; Output = $null }
    VerifySPOTenantOrgRelation        = @{ Changes = $false; Output = 'ConvertTo-SpoVerificationStatus' }
    GetSPOTenantOrgRelationAll        = @{ Changes = $false; Output = 'ConvertTo-SpoRelationList' }
    GetSPOTenantOrgRelationByPartner  = @{ Changes = $false; Output = 'ConvertTo-SpoRelationList' }
    GetSPOTenantOrgRelationByScenario = @{ Changes = $false; Output = 'ConvertTo-SpoRelationList' }
    GetMySiteHostUrl                  = @{ Changes = $false; Output = 'ConvertTo-SpoHostUrl' }
    XTenantMoveCompatibilityCheck     = @{ Changes = $false; Output = 'ConvertTo-SpoCompatibilityStatus'; Rest = $true }
    AddOrUpdateTenantIdentityMap      = @{ Changes = $true; Output = 'Write-SpoIdentityMapResult'; Terminating = @('IdentityMapNotInPlace', 'IdentityMapPartsLost') }
    AddOrUpdateTenantSingleUserIdentityMappingItem  = @{ Changes = $true; Output = $null }
    AddOrUpdateTenantSingleGroupIdentityMappingItem = @{ Changes = $true; Output = $null }
    GetTenantUserIdentityMappingItem     = @{ Changes = $false; Output = 'ConvertTo-SpoUserMappingList' }
    GetTenantGroupIdentityMappingItem    = @{ Changes = $false; Output = 'ConvertTo-SpoGroupMappingList' }
    RemoveTenantUserIdentityMappingItem  = @{ Changes = $true; Output = 'Write-SpoUserMappingRemoval' }
    RemoveTenantGroupIdentityMappingItem = @{ Changes = $true; Output = 'Write-SpoGroupMappingRemoval' }
    StartSPOCrossTenantContentMove    = @{ Changes = $true; Output = 'ConvertTo-SpoMoveStateList' }
    StopSPOCrossTenantContentMove     = @{ Changes = $true; Output = 'ConvertTo-SpoMoveStateList' }
    GetSPOCrossTenantContentMoveState = @{ Changes = $false; Output = 'ConvertTo-SpoMoveStateList' }
    GetSPOCrossTenantLongFilePathsForSiteRename = @{ Changes = $false; Output = 'ConvertTo-SpoLongFilePathList' }
}
