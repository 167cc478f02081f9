function Get-SPOTenantIdentityMappingUser {
    <#
    .SYNOPSIS
    Shows the user entries of the target tenant's identity map that match one field.

    .DESCRIPTION
    Get-SPOTenantIdentityMappingUser answers "is this user mapped, and to whom?" from the
    identity map of the tenant you are connected to (the TARGET tenant of a migration). It
    looks entries up by one field: SourceUserKey (the user's UPN on the source tenant),
    TargetUserPuid, TargetUserUpn or TargetUserEmail. Text matches the whole value, ignoring
    case.

    Each entry is written as one SPOCrossTenant.TenantUserIdentityMapping object with the
    properties of Microsoft's class: SourceTenantCompanyId, SourceUserKey, TargetUserPuid,
    TargetUserUpn, TargetUserEmail and UserType, plus the TraceCorrelationId of the answer,
    shown as a table of SourceUserKey, TargetUserUpn, TargetUserEmail and UserType
    (Format-List * shows every property). No entry writes nothing, so
    `if (Get-SPOTenantIdentityMappingUser SourceUserKey $upn)` reads as "is mapped".

    The value is checked by the rule of its field before anything is sent (a UPN or an e-mail
    address where the field holds one); a value that breaks it is a terminating error, which
    stops a whole pipeline around the command unless caught (see the third example). A failure
    reported by SharePoint is a non-terminating error whose message includes the
    TraceCorrelationId.

    .PARAMETER Field
    Which field to match: SourceUserKey, TargetUserPuid, TargetUserUpn or TargetUserEmail.

    .PARAMETER Value
    The value the field must have, for example alex@contoso.com.

    .INPUTS
    None. You cannot pipe objects to Get-SPOTenantIdentityMappingUser.

    .OUTPUTS
    SPOCrossTenant.TenantUserIdentityMapping
    One object per matching entry; nothing when none matches.

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>): a refused value (nothing
    sent): IdentityMappingValueInvalid, TextHasNul; no connection (terminating): NotConnected;
    request failures (non-terminating): Unauthorized, Forbidden, Throttled, NotFound,
    Redirected, HttpError, ServiceError, ServerError, HtmlResponse, NonJsonResponse,
    MalformedResponse, Network, ConnectionRefused, Tls, Timeout, ResponseTooLarge, Cancelled.

    .EXAMPLE
    Get-SPOTenantIdentityMappingUser -Field SourceUserKey -Value alex@contoso.com

    Shows where alex@contoso.com of the source tenant is mapped to.

    .EXAMPLE
    Get-SPOTenantIdentityMappingUser TargetUserUpn dana@fabrikam.com

    Shows which source users are mapped to dana@fabrikam.com (more than one is usually a mistake).

    .EXAMPLE
    Import-Csv users.csv | Where-Object { $upn = $_.SourceUserPrincipalName; try { -not (Get-SPOTenantIdentityMappingUser SourceUserKey $upn) } catch { Write-Warning "${upn}: $_"; $true } }

    Lists the rows of a move CSV whose user is not in the map yet. A row whose
    SourceUserPrincipalName is not a UPN is refused before anything is sent; the try/catch lists
    it with a warning instead of letting the refusal stop the whole pipeline.

    .LINK
    Add-SPOTenantIdentityMappingUser

    .LINK
    Remove-SPOTenantIdentityMappingUser

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.TenantUserIdentityMapping')]
    param(
        [Parameter(Mandatory, Position = 0)]
        [Microsoft.SharePoint.Client.Administration.TenantIdentityMappingUserField]$Field,

        [Parameter(Mandatory, Position = 1)]
        [string]$Value
    )

    Invoke-SpoTenantMethod $PSCmdlet GetTenantUserIdentityMappingItem ([ordered]@{ Field = $Field; Value = $Value })
}
