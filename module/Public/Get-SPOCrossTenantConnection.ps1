function Get-SPOCrossTenantConnection {
    <#
    .SYNOPSIS
    Shows this session's connection: which admin site, who is signed in, and until when.

    .DESCRIPTION
    Get-SPOCrossTenantConnection describes the connection made by Connect-SPOService, as the native
    engine sees it now: the admin site, the sign-in method, the tenant, the account or application,
    when the current access token expires (UTC), whether it is renewed automatically, the
    certificate thumbprint for certificate sign-in, and the request timeout and retry limits.

    It also shows how the service is pacing this connection right now: InFlight (requests on the
    wire), InFlightLimit (how many may be: 64, the engine's most, until the service throttles;
    then lower, and raised again one at a time while its answers are good; a batch's own
    -ThrottleLimit bounds it further), ThrottledUntil (UTC: the service asked
    every request of the connection to wait until then; $null when nothing waits),
    RequestSpacingMs (requests are spread this far apart because the service reported 80% of its
    budget used; $null otherwise) and ThrottledAnswers (429 and 503 answers so far).

    It never shows the access token, a refresh token, a password or a key. Nothing is sent to the
    server. Because renewal happens when a command needs a token, ExpiresOn moves forward after a
    command that ran close to the expiry.

    When there is no connection it writes a non-terminating SPOCrossTenant.NotConnected error and
    returns nothing, so 'Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue' tests whether
    the session is connected.

    .INPUTS
    None. You cannot pipe objects to Get-SPOCrossTenantConnection.

    .OUTPUTS
    SPOCrossTenant.Connection. An object with the properties AdminUrl, Method (DeviceCode,
    Password, Certificate, ManagedIdentity or AccessToken), TenantId, Account, AppId, ExpiresOn
    ([datetime] in UTC, or $null when the token's expiry is unknown), CanRenew,
    CertificateThumbprint, ClientTag, TimeoutSeconds, MaxRetryAttempts, MaxRetrySeconds, InFlight,
    InFlightLimit, ThrottledUntil ([datetime] in UTC, or $null), RequestSpacingMs and ThrottledAnswers.

    .EXAMPLE
    Get-SPOCrossTenantConnection

    Shows the admin site, the account, and when the token expires.

    .EXAMPLE
    if (-not (Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue)) { Connect-SPOService -Url https://contoso-admin.sharepoint.com }

    Connects only when the session is not connected yet.

    .EXAMPLE
    (Get-SPOCrossTenantConnection).ExpiresOn - [datetime]::UtcNow

    How long the current token has left.

    .LINK
    Connect-SPOService

    .LINK
    Disconnect-SPOService

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding()]
    [OutputType('SPOCrossTenant.Connection')]
    param()

    Get-SpoConnectionInfo $PSCmdlet
}
