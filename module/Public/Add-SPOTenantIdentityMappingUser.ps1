function Add-SPOTenantIdentityMappingUser {
    <#
    .SYNOPSIS
    Adds one user to the target tenant's identity map, or corrects the user's entry.

    .DESCRIPTION
    Add-SPOTenantIdentityMappingUser maps one user of the source tenant to a user of this
    (target) tenant, without uploading the whole map again: the user HR forgot, or an entry
    that points at the wrong person. Run it on the TARGET tenant. If the map already has an
    entry for SourceUserKey, that entry is updated; otherwise one is added. The rest of the
    map is left as it is (an upload with Add-SPOTenantIdentityMap, by contrast, replaces the
    whole map).

    The values are checked by the same rules as the rows of an identity map CSV before anything
    is sent: SourceTenantCompanyId is the source tenant's ID, SourceUserKey and TargetUserUpn
    are user principal names, TargetUserEmail an e-mail address, and UserType is RegularUser,
    AdminUser or GuestUser. A bad value is an error that names the parameter, and nothing is
    sent.

    Rows can come from the pipeline by property name, for example Import-Csv of a file whose
    columns are the parameter names. They are sent one request each, one at a time and in order
    (so a key given twice ends with its last row), under a progress bar, and a row that fails is
    a non-terminating error naming the row; the other rows go on.

    Success writes nothing; -Verbose shows each request. -WhatIf shows what would be sent and
    sends nothing; -Confirm asks before each entry.

    .PARAMETER SourceTenantCompanyId
    The ID (a GUID) of the source tenant: the tenant the user comes from. Get-MgOrganization on
    the source tenant shows it.

    .PARAMETER SourceUserKey
    The user's principal name on the source tenant, for example alex@contoso.com: the key of
    the entry, as the SourceUserUpn column of an identity map CSV.

    .PARAMETER TargetUserPuid
    The target user's PUID (NetID), when you have it. Optional: the service maps by UPN.

    .PARAMETER TargetUserUpn
    The principal name of the user on this (target) tenant who receives the content, for
    example alex.wilber@fabrikam.com.

    .PARAMETER TargetUserEmail
    The target user's e-mail address.

    .PARAMETER UserType
    RegularUser, AdminUser or GuestUser. PowerShell binds it as it binds any enum: in any case,
    and a unique beginning of a name stands for the name ('Regular' is RegularUser). The
    UserType column of an identity map CSV (Add-SPOTenantIdentityMap) takes whole names only.

    .INPUTS
    System.Management.Automation.PSObject
    Any object with properties named as the parameters (SourceTenantCompanyId, SourceUserKey,
    TargetUserUpn, TargetUserEmail, UserType, and optionally TargetUserPuid).

    .OUTPUTS
    None. Success writes nothing to the pipeline.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value (nothing
    sent): SourceTenantCompanyIdInvalid, SourceUserKeyInvalid, TargetUserUpnInvalid,
    TargetUserEmailInvalid, UserTypeInvalid, TextHasNul; no connection (terminating):
    NotConnected; request failures (non-terminating): Unauthorized, Forbidden, Throttled,
    NotFound, Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId 0f8fad5b-d9cb-469f-a165-70867728950e -SourceUserKey alex@contoso.com -TargetUserUpn alex.wilber@fabrikam.com -TargetUserEmail alex.wilber@fabrikam.com -UserType RegularUser

    Run on the target tenant (fabrikam): maps alex@contoso.com to alex.wilber@fabrikam.com.

    .EXAMPLE
    Import-Csv ./forgotten-users.csv | Add-SPOTenantIdentityMappingUser -ErrorVariable refused

    Adds every row of a CSV with the columns SourceTenantCompanyId, SourceUserKey,
    TargetUserUpn, TargetUserEmail and UserType; rows the command refuses or the service fails
    are collected in $refused. A row whose SourceTenantCompanyId is not a GUID, or whose UserType
    is not a user type, never reaches the command: PowerShell's parameter binding refuses it,
    shows that error and keeps it in $Error, but -ErrorVariable does not collect it. The other
    rows go on either way.

    .EXAMPLE
    Get-SPOTenantIdentityMappingUser SourceUserKey alex@contoso.com | Add-SPOTenantIdentityMappingUser -TargetUserUpn alex@fabrikam.com -TargetUserEmail alex@fabrikam.com

    Points an existing entry at another target user, keeping its other values.

    .LINK
    Get-SPOTenantIdentityMappingUser

    .LINK
    Remove-SPOTenantIdentityMappingUser

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
        [string]$SourceUserKey,

        [Parameter(Position = 2, ValueFromPipelineByPropertyName)]
        [string]$TargetUserPuid,

        [Parameter(Mandatory, Position = 3, ValueFromPipelineByPropertyName)]
        [string]$TargetUserUpn,

        [Parameter(Mandatory, Position = 4, ValueFromPipelineByPropertyName)]
        [string]$TargetUserEmail,

        [Parameter(Mandatory, Position = 5, ValueFromPipelineByPropertyName)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingUserType]$UserType
    )

    # One at a time, in order: a key given twice ends with its last row.
    begin { $batch = New-SpoMoveBatch -Cmdlet $PSCmdlet -Method AddOrUpdateTenantSingleUserIdentityMappingItem -Activity 'Adding users to the identity map' -ThrottleLimit 1 -KeyArgument SourceUserKey }
    process {
        Add-SpoMoveBatchRow $batch ([ordered]@{ SourceTenantCompanyId = $SourceTenantCompanyId; SourceUserKey = $SourceUserKey
                TargetUserPuid = $TargetUserPuid; TargetUserUpn = $TargetUserUpn; TargetUserEmail = $TargetUserEmail; UserType = $UserType })
    }
    end { Invoke-SpoMoveBatch $batch }
}
