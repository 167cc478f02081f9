function Connect-SPOService {
    <#
    .SYNOPSIS
    Signs in to the admin site of a SharePoint Online tenant and makes it this session's connection.

    .DESCRIPTION
    Connect-SPOService signs in to a tenant admin site (https://<tenant>-admin.sharepoint.com) and
    remembers the connection that the other commands of this module use. The session has one
    connection: connecting again replaces the previous connection and releases it. If connecting
    fails or is cancelled, the previous connection is closed too, so that a later command can never
    act on the tenant you meant to leave. Get-SPOCrossTenantConnection shows who is signed in and
    until when.

    It works the same on Windows, Linux and macOS, interactive or unattended. The way to sign in
    follows from the parameters:

    - Device code (the default, when no other credential is given): the command shows a message
      with a web page and a code; open the page on any device with a browser, enter the code and
      sign in there (multi-factor authentication and Conditional Access work as usual). The message
      goes to the host (the information stream), not to the pipeline. The command waits until you
      have signed in, declined, or the code expires; Ctrl+C cancels the wait. No browser window is
      opened by this command, so it also works over SSH, in containers and in Cloud Shell.
      -ModernAuth and -UseSystemBrowser are accepted for scripts written for Microsoft's module;
      device code sign-in is used either way.
    - -Credential: user name and password (the OAuth resource owner password grant). It shows a
      warning, because accounts with multi-factor authentication or Conditional Access cannot sign
      in this way, nor can federated (AD FS) accounts.
    - App-only with a certificate: -ClientId and -TenantId of an app registration that has the
      certificate and SharePoint application permissions, with -CertificatePath (a .pfx file, or a
      PEM file that holds the certificate and its unencrypted RSA private key), -Certificate (an
      X509Certificate2 with its private key) or -CertificateThumbprint (looked up in the
      CurrentUser\My, then the LocalMachine\My certificate store). -ClientSecret is refused:
      SharePoint Online rejects app-only tokens obtained with a client secret.
    - -ManagedIdentity: the managed identity of the Azure App Service, Functions or Container Apps
      host the script runs on (IDENTITY_ENDPOINT and IDENTITY_HEADER, or MSI_ENDPOINT and
      MSI_SECRET, as PowerShell sees them, including values set with $env:).
    - -AccessToken: a token you already have. Nothing is sent by this command; a wrong token is
      reported by the first command that uses it. It cannot be renewed: connect again when it expires.

    Except for -AccessToken, the token is renewed automatically shortly before it expires (with the
    refresh token for device code and -Credential sign-in, a new certificate assertion, or the
    managed identity endpoint), so long-running scripts keep working.

    User sign-in (device code and -Credential) uses the client id
    9bc3ab49-b65d-410a-85ad-de819febfddc unless -ClientId names another. It is the public client
    "Microsoft SharePoint Online Management Shell" that Microsoft's own Connect-SPOService uses;
    most tenants have already consented to it for SharePoint, so admins can sign in without
    registering an application. Microsoft does not document it; pass -ClientId to use your own
    app registration (a public client with delegated SharePoint permissions) instead.

    Secrets are handed to the native engine in memory that is wiped after use and are not kept in
    PowerShell variables: a SecureString is never turned into a managed string, key files are read
    and cleared right away. Tokens, passwords and keys never appear in output, -Verbose, -Debug or
    error records, and nothing is written to disk.

    Sign-in failures are terminating errors with ids such as SPOCrossTenant.InvalidCredentials,
    SPOCrossTenant.MfaRequired, SPOCrossTenant.WrongTenant, SPOCrossTenant.ConsentRequired,
    SPOCrossTenant.ConditionalAccessBlocked, SPOCrossTenant.AppNotFound,
    SPOCrossTenant.CertificateRejected, SPOCrossTenant.ResourceNotFound,
    SPOCrossTenant.DeviceCodeExpired, SPOCrossTenant.SignInDeclined, SPOCrossTenant.SignInFailed,
    SPOCrossTenant.AccessTokenExpired, SPOCrossTenant.ManagedIdentityUnavailable,
    SPOCrossTenant.ManagedIdentityFailed, SPOCrossTenant.CertificateNotFound,
    SPOCrossTenant.CertificatePasswordWrong and SPOCrossTenant.ClientSecretNotSupported. Their
    messages say what to do and carry the AADSTS code and the correlation id of the identity
    platform's answer.

    The native engine is found in this order: the file named by the environment variable
    SPO_CROSSTENANT_LIBRARY when it is set (an explicit override), the module's bin/<platform>
    folder, then the target/release and target/debug folders of a source checkout. See
    about_SPOCrossTenant.

    .PARAMETER Url
    The URL of the tenant admin site, for example https://contoso-admin.sharepoint.com.
    Only https is accepted, except for loopback addresses (a local emulator). The token is
    requested for this site (scope https://<tenant>-admin.sharepoint.com/.default).

    .PARAMETER ClientId
    The application (client) id of the app registration to sign in with, a GUID. Required for
    certificate sign-in. For device code and -Credential sign-in it is optional: the default is
    9bc3ab49-b65d-410a-85ad-de819febfddc, the SharePoint Online Management Shell public client.

    .PARAMETER TenantId
    The tenant to sign in to: its id (a GUID) or one of its domains, such as
    contoso.onmicrosoft.com. Required for certificate sign-in. For user sign-in it is optional
    (the account's home tenant is used); give it to sign in as a guest of another tenant or when
    the sign-in asks for it.

    .PARAMETER Region
    The Microsoft cloud of the tenant, which picks the sign-in host: Default (commercial and GCC,
    login.microsoftonline.com), ITAR (US government GCC High and DoD, login.microsoftonline.us),
    Germany (login.microsoftonline.de) or China (21Vianet, login.chinacloudapi.cn).

    .PARAMETER AuthenticationUrl
    The sign-in host to use instead of the one -Region picks, for example
    https://login.microsoftonline.us. It overrides -Region outright. Only https is accepted, except
    for loopback addresses (a local emulator). A trailing /organizations or /common, as scripts for
    Microsoft's module pass, is ignored.

    .PARAMETER Credential
    The user name and password of a SharePoint administrator (resource owner password sign-in).
    Accounts with multi-factor authentication or Conditional Access, and federated accounts, cannot
    sign in this way; connect without -Credential to use a device code instead. Given a user name
    only, PowerShell asks for the password.

    .PARAMETER CertificatePath
    The path of the app's certificate with its private key: a PKCS#12 file (.pfx or .p12, with
    -CertificatePassword when it has a password), or a PEM file that holds the certificate and its
    unencrypted RSA private key (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"). The format is
    recognised from the content. The public part of the certificate must be uploaded to the app
    registration.

    .PARAMETER CertificatePassword
    The password of the .pfx file given with -CertificatePath, as a SecureString
    (for example from Read-Host -AsSecureString or a secret vault).

    .PARAMETER Certificate
    The app's certificate as an X509Certificate2 object with its private key, for example from
    Get-PfxCertificate or a secret vault. The key must be exportable: the module hands a copy of it
    to the native engine (as a PFX under a random one-time password, in memory only).

    .PARAMETER CertificateThumbprint
    The SHA-1 thumbprint of the app's certificate (40 hexadecimal digits; spaces and colons are
    ignored). It is looked up in the CurrentUser\My certificate store, then in LocalMachine\My;
    the certificate must be there with an exportable private key.

    .PARAMETER ClientSecret
    Not supported, and refused with SPOCrossTenant.ClientSecretNotSupported: SharePoint Online
    rejects app-only tokens obtained with a client secret ("Unsupported app only token"), so every
    command would fail. Upload a certificate to the app registration and use -CertificatePath,
    -Certificate or -CertificateThumbprint. The parameter exists only to say so.

    .PARAMETER AccessToken
    An OAuth 2.0 access token whose audience is the admin site (scope
    https://<tenant>-admin.sharepoint.com/.default), as a String or a SecureString. Get it from your
    identity tooling, for example Get-AzAccessToken -ResourceUrl https://contoso-admin.sharepoint.com.
    It is not renewed: when it expires, commands fail with SPOCrossTenant.AccessTokenExpired.

    .PARAMETER ManagedIdentity
    Sign in as the managed identity of the Azure host the script runs on (App Service, Functions,
    Container Apps), found through IDENTITY_ENDPOINT and IDENTITY_HEADER (or MSI_ENDPOINT and
    MSI_SECRET). Without -ManagedIdentityClientId the system-assigned identity is used.

    .PARAMETER ManagedIdentityClientId
    The client id of a user-assigned managed identity to sign in as, instead of the system-assigned one.

    .PARAMETER ModernAuth
    Accepted for scripts written for Microsoft's module (-ModernAuth $true). This module always uses
    modern authentication; without other credentials that is device code sign-in.

    .PARAMETER UseSystemBrowser
    Accepted for scripts written for Microsoft's module (-UseSystemBrowser $true). No browser window
    is opened: device code sign-in shows a page and a code to open in any browser, which also works
    on machines without a desktop.

    .PARAMETER ClientTag
    An optional tag sent with every request in the X-ClientService-ClientTag header, to recognise
    your script's requests in server-side logs.

    .PARAMETER TimeoutSeconds
    How long one request (to SharePoint or to the sign-in service) may take before it fails with a
    timeout, from 1 to 86400 seconds. Without it the engine's default of 100 seconds applies. It
    does not limit how long a device code sign-in waits for you.

    .PARAMETER MaxRetryAttempts
    How many attempts in all a throttled request (HTTP 429 or 503) gets when the service names no
    wait, from 1 (no retrying at all) to 100. While the service names its waits (Retry-After), a
    request is bounded by -MaxRetrySeconds alone, however often it is asked to wait. Without it the
    engine's default (5) applies; Get-SPOCrossTenantConnection shows the limits in use.

    .PARAMETER MaxRetrySeconds
    The longest time, in seconds, to keep retrying a throttled request, waiting as the service asks
    (Retry-After); while the service asks one request to wait, every request of the connection
    waits with it. 0 turns waiting off. Without it the engine's default (300) applies: a throttled
    wave that ends within that time loses no row.

    .INPUTS
    None. You cannot pipe objects to Connect-SPOService.

    .OUTPUTS
    None. Use Get-SPOCrossTenantConnection to see the connection.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.com

    Signs in with a device code: the command shows a page (https://microsoft.com/devicelogin) and a
    code; open the page in a browser on any device, enter the code and sign in as a SharePoint
    administrator. Works on any OS, including over SSH.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -Credential admin@contoso.onmicrosoft.com

    Signs in with a user name and password; PowerShell asks for the password. Shows a warning that
    accounts with MFA or Conditional Access cannot sign in this way.

    .EXAMPLE
    $password = Read-Host -AsSecureString -Prompt 'PFX password'
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -ClientId 6f3c2a1e-0b7d-4c59-9e1a-2d4b8f7c6a50 -TenantId contoso.onmicrosoft.com -CertificatePath ./spo-app.pfx -CertificatePassword $password

    Signs in app-only with the certificate in a password-protected .pfx file, for unattended scripts.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -ClientId 6f3c2a1e-0b7d-4c59-9e1a-2d4b8f7c6a50 -TenantId contoso.onmicrosoft.com -CertificatePath /etc/spo/app.pem

    Signs in app-only with a PEM file that holds the certificate and its private key.

    .EXAMPLE
    $certificate = Get-PfxCertificate -FilePath ./spo-app.pfx
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -ClientId 6f3c2a1e-0b7d-4c59-9e1a-2d4b8f7c6a50 -TenantId contoso.onmicrosoft.com -Certificate $certificate

    Signs in app-only with a certificate object, for example one taken from a secret vault.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -ClientId 6f3c2a1e-0b7d-4c59-9e1a-2d4b8f7c6a50 -TenantId contoso.onmicrosoft.com -CertificateThumbprint 4066B9094E73136A10842E84CD1567689EC0A012

    Signs in app-only with a certificate from the CurrentUser\My (or LocalMachine\My) certificate store.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -ManagedIdentity

    In an Azure Function or App Service with a system-assigned managed identity that has SharePoint
    permissions, signs in as that identity. Add -ManagedIdentityClientId for a user-assigned one.

    .EXAMPLE
    $token = (Get-AzAccessToken -ResourceUrl https://contoso-admin.sharepoint.com -AsSecureString).Token
    Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken $token

    Connects with a token from the Az.Accounts module. It is not renewed; connect again when it expires.

    .EXAMPLE
    Connect-SPOService -Url https://contoso-admin.sharepoint.us -Region ITAR -ClientTag 'migration-wave-3' -TimeoutSeconds 30 -MaxRetryAttempts 3 -MaxRetrySeconds 60

    Signs in to a US government (GCC High) tenant with a device code, tags the requests, fails any
    request that takes longer than 30 seconds, and retries a throttled request at most 3 times
    within a minute.

    .EXAMPLE
    Connect-SPOService -Url http://127.0.0.1:41234/contoso-admin -AuthenticationUrl http://127.0.0.1:41234 -Credential admin@contoso.onmicrosoft.com

    Signs in to the local tenant emulator (spo-emulator), whose identity endpoints replace the
    Microsoft sign-in host.

    .LINK
    Get-SPOCrossTenantConnection

    .LINK
    Disconnect-SPOService

    .LINK
    Set-SPOCrossTenantRelationship

    .LINK
    about_SPOCrossTenant
    #>
    [CmdletBinding(DefaultParameterSetName = 'DeviceCode')]
    [OutputType([void])]
    param(
        [Parameter(Mandatory, Position = 0)]
        [string]$Url,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [Parameter(ParameterSetName = 'CertificatePath', Mandatory)]
        [Parameter(ParameterSetName = 'Certificate', Mandatory)]
        [Parameter(ParameterSetName = 'CertificateThumbprint', Mandatory)]
        [Parameter(ParameterSetName = 'ClientSecret')]
        [string]$ClientId,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [Parameter(ParameterSetName = 'CertificatePath', Mandatory)]
        [Parameter(ParameterSetName = 'Certificate', Mandatory)]
        [Parameter(ParameterSetName = 'CertificateThumbprint', Mandatory)]
        [Parameter(ParameterSetName = 'ClientSecret')]
        [string]$TenantId,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'Certificate')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'ClientSecret')]
        [ValidateSet('Default', 'ITAR', 'Germany', 'China')]
        [string]$Region,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [Parameter(ParameterSetName = 'CertificatePath')]
        [Parameter(ParameterSetName = 'Certificate')]
        [Parameter(ParameterSetName = 'CertificateThumbprint')]
        [Parameter(ParameterSetName = 'ClientSecret')]
        [string]$AuthenticationUrl,

        [Parameter(ParameterSetName = 'Credential', Mandatory)]
        [pscredential]$Credential,

        [Parameter(ParameterSetName = 'CertificatePath', Mandatory)]
        [string]$CertificatePath,

        [Parameter(ParameterSetName = 'CertificatePath')]
        [securestring]$CertificatePassword,

        [Parameter(ParameterSetName = 'Certificate', Mandatory)]
        [System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate,

        [Parameter(ParameterSetName = 'CertificateThumbprint', Mandatory)]
        [string]$CertificateThumbprint,

        [Parameter(ParameterSetName = 'ClientSecret', Mandatory)]
        [object]$ClientSecret,

        [Parameter(ParameterSetName = 'AccessToken', Mandatory)]
        [ValidateScript({ $_ -is [string] -or $_ -is [securestring] }, ErrorMessage = 'The access token must be a String or a SecureString.')]
        [object]$AccessToken,

        [Parameter(ParameterSetName = 'ManagedIdentity', Mandatory)]
        [switch]$ManagedIdentity,

        [Parameter(ParameterSetName = 'ManagedIdentity')]
        [string]$ManagedIdentityClientId,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [bool]$ModernAuth,

        [Parameter(ParameterSetName = 'DeviceCode')]
        [Parameter(ParameterSetName = 'Credential')]
        [bool]$UseSystemBrowser,

        [Parameter()]
        [string]$ClientTag,

        [Parameter()]
        [ValidateRange(1, 86400)]
        [int]$TimeoutSeconds,

        [Parameter()]
        [ValidateRange(1, 100)]
        [int]$MaxRetryAttempts,

        [Parameter()]
        [ValidateRange(0, 86400)]
        [int]$MaxRetrySeconds
    )

    Connect-SpoTenant $PSCmdlet
}
