function Connect-SPOService {
    <#
    .SYNOPSIS
    Connects this PowerShell session to the admin site of a SharePoint Online tenant.

    .DESCRIPTION
    Connect-SPOService remembers which tenant admin site the other commands of this module talk to,
    and with which OAuth access token. The session has one connection: connecting again replaces
    the previous connection and releases it.

    With an access token nothing is sent to the server by this command: the URL and the token are
    checked for shape (an absolute https URL, a token that can travel in an HTTP header); a wrong
    or expired token is reported by the first command that uses it, with an error that says to run
    Connect-SPOService again. A token given this way cannot be renewed: get a new one when it expires.

    If connecting fails, the previous connection is closed too, so that a later command can never
    act on the tenant you meant to leave.

    The token is handed to the native engine and is not kept in any PowerShell variable, nor shown
    in -Verbose or -Debug output or in error records. A SecureString token is never converted into
    a managed string.

    The native engine is found in this order: the file named by the environment variable
    SPO_CROSSTENANT_LIBRARY when it is set (an explicit override), the module's bin/<platform>
    folder, then the target/release and target/debug folders of a source checkout. See
    about_SPOCrossTenant.

    .PARAMETER Url
    The URL of the tenant admin site, for example https://contoso-admin.sharepoint.com.
    Only https is accepted, except for loopback addresses (a local emulator).

    .PARAMETER AccessToken
    An OAuth 2.0 access token whose audience is the admin site (scope
    https://<tenant>-admin.sharepoint.com/.default), as a String or a SecureString. Get it from your
    identity tooling, for example Get-AzAccessToken -ResourceUrl https://contoso-admin.sharepoint.com.

    .PARAMETER ClientTag
    An optional tag sent with every request in the X-ClientService-ClientTag header, to recognise
    your script's requests in server-side logs.

    .PARAMETER TimeoutSeconds
    How long one request may take before it fails with a timeout, from 1 to 86400 seconds.
    Without it the engine's default of 100 seconds applies.

    .INPUTS
    None. You cannot pipe objects to Connect-SPOService.

    .OUTPUTS
    None.

    .EXAMPLE
    $token = (Get-AzAccessToken -ResourceUrl https://contoso-admin.sharepoint.com -AsSecureString).Token
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken $token

    Connects to the admin site of the contoso tenant with a token from the Az.Accounts module.

    .EXAMPLE
    Connect-SPOService https://fabrikam-admin.sharepoint.com -AccessToken $env:SPO_TOKEN -ClientTag 'migration-wave-3' -TimeoutSeconds 30

    Switches the session to the fabrikam tenant, tags the requests and fails any request that takes
    longer than 30 seconds.

    .LINK
    Disconnect-SPOService

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$Url,

        [Parameter(Mandatory)]
        [ValidateScript({ $_ -is [string] -or $_ -is [securestring] }, ErrorMessage = 'The access token must be a String or a SecureString.')]
        [object]$AccessToken,

        [string]$ClientTag,

        [ValidateRange(1, 86400)]
        [int]$TimeoutSeconds
    )

    . $script:SpoUseCallerPreference $PSCmdlet
    try { Assert-SpoNativeExports } catch { $PSCmdlet.ThrowTerminatingError($_) }
    # Any failure below also closes the previous connection, so that no later command can act on
    # the tenant the admin meant to leave.
    if (Test-SpoTextHasNul $Url) {
        Close-SpoConnection
        $PSCmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName Url -TargetObject $Url `
            -Message 'The Url contains a NUL character, which cannot be sent.'))
    }
    $settings = [ordered]@{ AccessToken = $AccessToken }
    # Drop our references to the token; the settings table is cleared as soon as it has been handed over.
    Remove-Variable -Name AccessToken -Scope Local
    $null = $PSBoundParameters.Remove('AccessToken')
    if ($ClientTag) { $settings.ClientTag = $ClientTag }
    if ($TimeoutSeconds) { $settings.TimeoutSeconds = [string]$TimeoutSeconds }

    $signIn = New-SpoSignIn -AdminUrl $Url
    if ($signIn.ErrorInfo) {
        $settings.Clear()
        Close-SpoConnection
        $PSCmdlet.ThrowTerminatingError((New-SpoErrorRecord -ErrorInfo $signIn.ErrorInfo -Arguments @{ Url = $Url } -TargetObject $Url))
    }
    try {
        foreach ($setting in $settings.GetEnumerator()) {
            $refused = Set-SpoSignInSetting -SignIn $signIn.Handle -Setting $setting.Key -Value $setting.Value
            if ($refused) { break }
        }
        $settings.Clear()
        $result = if (-not $refused) { Invoke-SpoNativeOperation spo_sign_in_begin @($signIn.Handle) $true }
    } finally {
        $settings.Clear()
        $script:SpoNative::spo_sign_in_free($signIn.Handle)
    }
    $errorInfo = if ($refused) { $refused } elseif (-not $result.Succeeded) { $result.ErrorInfo }
    if ($errorInfo) {
        Close-SpoConnection
        # The target is the value that was refused, except for secrets: never the token.
        $PSCmdlet.ThrowTerminatingError((New-SpoErrorRecord -ErrorInfo $errorInfo -TargetObject $Url -AdminUrl $Url `
            -Arguments @{ Url = $Url; ClientTag = $ClientTag; TimeoutSeconds = $TimeoutSeconds; AccessToken = $null }))
    }
    Set-SpoConnection -Handle $result.Connection -TimeoutSeconds $TimeoutSeconds -ClientTag $ClientTag
    $connection = Get-SpoConnection
    Write-Verbose "Connected to $($connection.AdminUrl); requests go to $($connection.ProcessQueryUrl)."
    Write-Debug "Native library: $script:SpoNativePath (ABI $script:SpoAbiVersion). Connection: $(Read-SpoNativeText spo_connection_info $connection.Handle)"
}
