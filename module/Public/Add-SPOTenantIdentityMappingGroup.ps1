function Add-SPOTenantIdentityMappingGroup {
    <#
    .SYNOPSIS
    Adds one group to the target tenant's identity map, or corrects the group's entry.

    .DESCRIPTION
    Add-SPOTenantIdentityMappingGroup maps one group of the source tenant to a group of this
    (target) tenant, without uploading the whole map again. Run it on the TARGET tenant. If the
    map already has an entry for SourceGroupObjectId, that entry is updated; otherwise one is
    added. The rest of the map is left as it is (an upload with Add-SPOTenantIdentityMap, by
    contrast, replaces the whole map).

    The values are checked by the same rules as the Group rows of an identity map CSV before
    anything is sent: the three IDs are GUIDs, TargetGroupName is not empty, and GroupType is
    RegularGroup, AdminGroup or O365Group. A bad value is an error that names the parameter,
    and nothing is sent. Unlike a CSV row, the name may hold commas.

    Rows can come from the pipeline by property name. They are sent one request each, one at a
    time and in order (so a key given twice ends with its last row), under a progress bar, and a
    row that fails is a non-terminating error naming the row; the other rows go on.

    Success writes nothing; -Verbose shows each request. -WhatIf shows what would be sent and
    sends nothing; -Confirm asks before each entry.

    .PARAMETER SourceTenantCompanyId
    The ID (a GUID) of the source tenant. Get-MgOrganization on the source tenant shows it.

    .PARAMETER SourceGroupObjectId
    The group's object ID in the source tenant: the key of the entry.

    .PARAMETER TargetGroupObjectId
    The object ID of the group in this (target) tenant that receives the content.

    .PARAMETER TargetGroupName
    The target group's name. Microsoft's guide suggests the target group's object ID here.

    .PARAMETER GroupType
    RegularGroup, AdminGroup or O365Group (a Microsoft 365 group). PowerShell binds it as it
    binds any enum: in any case, and a unique beginning of a name stands for the name ('O365'
    is O365Group). The GroupType column of an identity map CSV (Add-SPOTenantIdentityMap) takes
    whole names only.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with properties named as the parameters.

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value (nothing
    sent): SourceTenantCompanyIdInvalid, SourceGroupObjectIdInvalid, TargetGroupObjectIdInvalid,
    TargetGroupNameInvalid, GroupTypeInvalid, TextHasNul; no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled,
    NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Add-SPOTenantIdentityMappingGroup -SourceTenantCompanyId 0f8fad5b-d9cb-469f-a165-70867728950e -SourceGroupObjectId 7c9e6679-7425-40de-944b-e07fc1f90ae7 -TargetGroupObjectId 16fd2706-8baf-433b-82eb-8c7fada847da -TargetGroupName 16fd2706-8baf-433b-82eb-8c7fada847da -GroupType O365Group

    Run on the target tenant: maps a Microsoft 365 group of the source tenant to its new group.

    .EXAMPLE
    Import-Csv ./groups.csv | Add-SPOTenantIdentityMappingGroup -WhatIf

    Shows which group entries a CSV with the parameter names as columns would add or update. A
    row whose ids are not GUIDs, or whose GroupType is not a group type, never reaches the
    command: PowerShell's parameter binding refuses it (the error shows, and stays in $Error, but
    -ErrorVariable does not collect it), and the other rows go on.

    .LINK
    Get-SPOTenantIdentityMappingGroup

    .LINK
    Remove-SPOTenantIdentityMappingGroup

    .LINK
    Add-SPOTenantIdentityMap

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(SupportsShouldProcess, ConfirmImpact = 'Medium')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipelineByPropertyName)]
        [guid]$SourceTenantCompanyId,

        [Parameter(Mandatory, Position = 1, ValueFromPipelineByPropertyName)]
        [guid]$SourceGroupObjectId,

        [Parameter(Mandatory, Position = 2, ValueFromPipelineByPropertyName)]
        [guid]$TargetGroupObjectId,

        [Parameter(Mandatory, Position = 3, ValueFromPipelineByPropertyName)]
        [string]$TargetGroupName,

        [Parameter(Mandatory, Position = 4, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingGroupType]$GroupType
    )

    # One at a time, in order: a key given twice ends with its last row.
    begin { $batch = New-SpoMoveBatch -Cmdlet $PSCmdlet -Method AddOrUpdateTenantSingleGroupIdentityMappingItem -Activity 'Adding groups to the identity map' -ThrottleLimit 1 -KeyArgument SourceGroupObjectId }
    process {
        Add-SpoMoveBatchRow $batch ([ordered]@{ SourceTenantCompanyId = $SourceTenantCompanyId; SourceGroupObjectId = $SourceGroupObjectId
                TargetGroupObjectId = $TargetGroupObjectId; TargetGroupName = $TargetGroupName; GroupType = $GroupType })
    }
    end { Invoke-SpoMoveBatch $batch }
}
