function Get-SPOCrossTenantRelationshipByPartner {
    <#
    .SYNOPSIS
    Lists the cross-tenant trust relationships of the tenant you are connected to with one partner.

    .DESCRIPTION
    Get-SPOCrossTenantRelationshipByPartner returns the trust relationships this tenant has set
    toward the partner tenant whose cross-tenant host URL you give, in any scenario and role.
    Get-SPOCrossTenantRelationship lists them all.

    The command sends one request (the CSOM method GetSPOTenantOrgRelationByPartner) to the admin
    site chosen with Connect-SPOService, and writes one SPOCrossTenant.Relationship object per
    relationship: Scenario, PartnerRole, PartnerCrossTenantHostUrl, CreatedTime ([datetime] in
    UTC, or $null when the server does not say), plus any other field the server sends. No
    relationship writes nothing.

    Microsoft has not published the format of the server's list. When the module does not
    understand the answer, it writes a warning saying so and writes the server's raw string
    instead; -Debug always shows the raw string.

    The objects pipe into Test-SPOCrossTenantRelationship and Remove-SPOCrossTenantRelationship.

    The partner URL is checked before anything is sent, as for Set-SPOCrossTenantRelationship; a
    refused URL is a terminating error. A failure reported by SharePoint, or a request that gets
    no answer, is a non-terminating error whose message includes the TraceCorrelationId.

    -Verbose shows which method is sent to which URL, how many relationships came back and the
    TraceCorrelationId of the answer. Neither -Verbose nor -Debug ever shows the access token.

    .PARAMETER PartnerCrossTenantHostUrl
    The partner tenant's cross-tenant host URL, for example https://fabrikam-my.sharepoint.com, as
    its admins get it from Get-SPOCrossTenantHostUrl. Press Tab to complete the partner URLs this
    session has seen for the connected tenant.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantRelationshipByPartner.

    .OUTPUTS
    SPOCrossTenant.Relationship
    One object per relationship, shown as a table (Scenario, PartnerRole,
    PartnerCrossTenantHostUrl, CreatedTime).

    System.String
    The server's raw answer, only when its format was not understood (with a warning).

    .NOTES
    Error ids (FullyQualifiedErrorId starts with SPOCrossTenant.<Id>):
    invalid arguments (terminating): PartnerUrlEmpty, PartnerUrlNotAbsolute, PartnerUrlNotHttps,
    PartnerUrlHasUserInfo, PartnerUrlHasPath, PartnerUrlHasQueryOrFragment,
    PartnerUrlNotCrossTenantHost, PartnerUrlIsAdminUrl, TextHasNul, TextHasControlCharacter;
    no connection (terminating): NotConnected; request failures (non-terminating): Unauthorized,
    Forbidden, Throttled, NotFound, Redirected, HttpError, ServiceError, ServerError,
    HtmlResponse, NonJsonResponse, MalformedResponse, Network, Tls, Timeout, Cancelled.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByPartner -PartnerCrossTenantHostUrl https://fabrikam-my.sharepoint.com

    Lists this tenant's relationships with fabrikam.

    .EXAMPLE
    Get-SPOCrossTenantRelationshipByPartner https://fabrikam-my.sharepoint.com | Test-SPOCrossTenantRelationship

    Verifies every relationship with fabrikam.

    .LINK
    Get-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantRelationshipByScenario

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    Test-SPOCrossTenantRelationship

    .LINK
    Remove-SPOCrossTenantRelationship

    .LINK
    Get-SPOCrossTenantHostUrl

    .LINK
    Connect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.Relationship', [string])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$PartnerCrossTenantHostUrl
    )

    . $script:SpoUseCallerPreference $PSCmdlet
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $connection = $script:SpoConnection
    if (-not $connection) { $PSCmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    if ($PartnerCrossTenantHostUrl.IndexOf([char]0) -ge 0) {
        $PSCmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName PartnerCrossTenantHostUrl `
                    -TargetObject $PartnerCrossTenantHostUrl -Message 'The PartnerCrossTenantHostUrl contains a NUL character, which cannot be sent.'))
    }

    $method = 'GetSPOTenantOrgRelationByPartner'
    if ($verbose) { $PSCmdlet.WriteVerbose("Sending $method(PartnerCrossTenantHostUrl='$PartnerCrossTenantHostUrl') to $($connection.ProcessQueryUrl).") }
    $result = Invoke-SpoNativeOperation spo_relation_list_by_partner_begin @($connection.Handle, $PartnerCrossTenantHostUrl)
    Write-Debug "Finished in $([int]$result.ElapsedMs) ms; request sent: $($result.Started); answer: '$($result.Value)'."
    if (-not $result.Succeeded) {
        if ($verbose -and $result.ErrorInfo.CorrelationId) { $PSCmdlet.WriteVerbose("$method failed; TraceCorrelationId $($result.ErrorInfo.CorrelationId).") }
        $record = New-SpoErrorRecord -ErrorInfo $result.ErrorInfo -TargetObject $PartnerCrossTenantHostUrl -AdminUrl $connection.AdminUrl `
            -Arguments @{ PartnerCrossTenantHostUrl = $PartnerCrossTenantHostUrl }
        if ($result.Started) { $PSCmdlet.WriteError($record) } else { $PSCmdlet.ThrowTerminatingError($record) }
        return
    }
    $correlation = if ($result.CorrelationId) { $result.CorrelationId } else { '(none)' }
    $parsed = ConvertFrom-SpoRelationPayload $result.Value
    if (-not $parsed.Understood) {
        $PSCmdlet.WriteWarning("The relationship list from $($connection.AdminUrl) is in a format this module does not understand ($($parsed.Reason)). It is written out as the raw string the server sent; TraceCorrelationId $correlation.")
        return [string]$result.Value
    }
    if ($verbose) { $PSCmdlet.WriteVerbose("$method succeeded with $($parsed.Relations.Count) relationship(s); TraceCorrelationId $correlation.") }
    Add-SpoKnownRelations -Connection $connection -Relation $parsed.Relations
    $parsed.Relations
}
