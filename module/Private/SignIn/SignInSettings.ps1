# Signing in through the engine's settings builder: spo_sign_in_new (checks the admin URL),
# spo_sign_in_set for each setting (by the engine's name for it: the one table of settings is the
# engine's), then spo_sign_in_begin, whose final result holds the new connection. The builder
# wipes its secrets when freed.
#
# Secrets (tokens, passwords, keys) reach the engine as unmanaged memory that is wiped right after
# the call. A SecureString is never turned into a managed string; key files are read as bytes,
# handed over and cleared. Nothing here writes to disk, and no message names a secret.

function New-SpoSignIn {
    # A new sign-in builder for the admin site at $AdminUrl: @{ Handle } (run it with
    # Invoke-SpoSignIn; free it with Close-SpoSignIn if it is not run), or @{ ErrorInfo } when the
    # engine refused the URL.
    param([string]$AdminUrl)
    if ($AdminUrl.IndexOf([char]0) -ge 0) {
        return @{ ErrorInfo = New-SpoSignInErrorInfo -Id TextHasNul -Parameter Url -Message 'The Url contains a NUL character, which cannot be sent.' }
    }
    $handle = [IntPtr]::Zero; $record = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_sign_in_new([System.Text.Encoding]::UTF8.GetBytes($AdminUrl + [char]0), [ref]$handle, [ref]$record)
    $result = [SPOCrossTenant.NativeResult]::Take($record)
    if (-not $result.Succeeded) { return @{ ErrorInfo = $result } }
    @{ Handle = $handle }
}

function Invoke-SpoSignIn {
    # Runs the sign-in of a builder from New-SpoSignIn whose settings are all set: begins it, waits
    # for its final record (saying progress such as a device code), frees the builder (which wipes
    # its secrets) whatever happens, and returns that record: on success its Connection is the new
    # connection's handle and its Value the connection's description (JSON).
    param([hashtable]$SignIn)
    try {
        $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
        $null = [SPOCrossTenant.Native]::spo_sign_in_begin($SignIn.Handle, $script:SpoWaitSliceMs, [ref]$operation, [ref]$record)
        Wait-SpoNativeResult -Operation $operation -Result ([SPOCrossTenant.NativeResult]::Take($record))
    } finally {
        Close-SpoSignIn $SignIn
    }
}

function Close-SpoSignIn {
    # Frees a builder from New-SpoSignIn (the engine wipes its secrets); safe to call twice.
    param([hashtable]$SignIn)
    if ($SignIn -and $SignIn.Handle -and $SignIn.Handle -ne [IntPtr]::Zero) {
        [SPOCrossTenant.Native]::spo_sign_in_free($SignIn.Handle)
        $SignIn.Handle = [IntPtr]::Zero
    }
}

function New-SpoSignInErrorInfo {
    # A failure the module finds itself, in the shape of the engine's result record.
    param([string]$Kind = 'InvalidArgument', [string]$Id, [string]$Parameter = '', [string]$Message)
    [SPOCrossTenant.NativeResult]@{ Status = (Get-SpoStatusOfKind $Kind); Kind = $Kind; ErrorId = $Id; Parameter = $Parameter; Message = $Message }
}

function Set-SpoSignInValue {
    # Hands $Length bytes at $Pointer to the engine as setting $Setting (by the engine's name for
    # it); returns $null, or the engine's failure record.
    param([IntPtr]$SignIn, [string]$Setting, [IntPtr]$Pointer, [int]$Length)
    $record = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_sign_in_set($SignIn, [System.Text.Encoding]::UTF8.GetBytes($Setting + [char]0), $Pointer,
        [UIntPtr]::new([uint64]$Length), [ref]$record)
    $result = [SPOCrossTenant.NativeResult]::Take($record)
    if (-not $result.Succeeded) { $result }
}

function Set-SpoSignInSetting {
    # Sets a text setting ([string] or [securestring]) through unmanaged memory that is wiped
    # right after the call (NativeSecret.ps1); returns $null or the failure.
    param([IntPtr]$SignIn, [string]$Setting, [object]$Value)
    $secret = ConvertTo-SpoNativeSecret -Secret $Value
    if ($secret.Pointer -eq [IntPtr]::Zero) {
        return New-SpoSignInErrorInfo -Id TextHasNul -Parameter $Setting -Message "The $Setting contains a NUL character, which cannot be sent."
    }
    try {
        Set-SpoSignInValue -SignIn $SignIn -Setting $Setting -Pointer $secret.Pointer -Length $secret.Length
    } finally {
        Clear-SpoNativeSecret -Pointer $secret.Pointer
    }
}

function Set-SpoSignInBytes {
    # Sets a binary setting (a certificate file's bytes) from a byte[] the caller has pinned and
    # wipes after the call; PEM text must not hold a NUL byte.
    param([IntPtr]$SignIn, [string]$Setting, [byte[]]$Bytes, [System.Runtime.InteropServices.GCHandle]$Pin)
    if ($Setting -eq 'CertificatePem' -and [Array]::IndexOf($Bytes, [byte]0) -ge 0) {
        return New-SpoSignInErrorInfo -Id CertificateUnreadable -Parameter Certificate -Message 'The certificate file is neither a PFX (PKCS#12) file nor PEM text.'
    }
    Set-SpoSignInValue -SignIn $SignIn -Setting $Setting -Pointer $Pin.AddrOfPinnedObject() -Length $Bytes.Length
}

function Test-SpoPfxBytes {
    # A PKCS#12 file is DER: a SEQUENCE (0x30) with a long-form length (0x80-0x84). Text never starts
    # that way ('0' followed by a UTF-8 continuation byte is not text), so anything else is taken as PEM.
    param([byte[]]$Bytes)
    $Bytes.Length -ge 2 -and $Bytes[0] -eq 0x30 -and $Bytes[1] -ge 0x80 -and $Bytes[1] -le 0x84
}

function Set-SpoSignInCertificateFile {
    # Reads the certificate file at $Path (a PFX, or PEM text with the certificate and its private
    # key) and hands it to the engine; the bytes are cleared right after. Returns $null or error info.
    param([IntPtr]$SignIn, [string]$Path)
    if (-not [System.IO.File]::Exists($Path)) {
        return New-SpoSignInErrorInfo -Id CertificateFileNotFound -Parameter CertificatePath `
            -Message "The certificate file '$Path' was not found. Give the path of a .pfx file (with -CertificatePassword when it has one) or of a PEM file that holds the certificate and its private key."
    }
    try {
        $bytes = [System.IO.File]::ReadAllBytes($Path)
    } catch {
        return New-SpoSignInErrorInfo -Id CertificateUnreadable -Parameter CertificatePath -Message "The certificate file '$Path' could not be read: $($_.Exception.Message)"
    }
    # Pinned at once, so the garbage collector makes no copies that could not be cleared.
    $pin = [System.Runtime.InteropServices.GCHandle]::Alloc($bytes, 'Pinned')
    try {
        $setting = if (Test-SpoPfxBytes $bytes) { 'CertificatePfx' } else { 'CertificatePem' }
        Set-SpoSignInBytes -SignIn $SignIn -Setting $setting -Bytes $bytes -Pin $pin
    } finally {
        [Array]::Clear($bytes, 0, $bytes.Length)
        $pin.Free()
    }
}

function New-SpoRandomSecureString {
    # A random password (192 bits) built straight into a SecureString, for a PFX export that only
    # lives until the engine has read it.
    # 64 characters (A-Z, a-z, 0-9, '-', '_'), built rather than written out: the module's source
    # is its PSModuleInfo.Definition, and a long token-like literal there would look like a secret.
    $alphabet = [char[]](65..90) + [char[]](97..122) + [char[]](48..57) + [char]'-' + [char]'_'
    $random = [byte[]]::new(32)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($random)
    $secure = [securestring]::new()
    foreach ($byte in $random) { $secure.AppendChar($alphabet[$byte % 64]) }
    [Array]::Clear($random, 0, $random.Length)
    $secure.MakeReadOnly()
    $secure
}

function Set-SpoSignInCertificateObject {
    # Hands an X509Certificate2 with its private key to the engine: exported as PFX bytes under a
    # random one-time password, which are cleared right after. Returns $null or error info.
    param([IntPtr]$SignIn, [System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate, [string]$Parameter)
    $thumbprint = $Certificate.Thumbprint
    if (-not $Certificate.HasPrivateKey) {
        return New-SpoSignInErrorInfo -Id CertificatePrivateKeyMissing -Parameter $Parameter `
            -Message "The certificate $thumbprint has no private key here, so it cannot sign in. Use the certificate together with its private key (for example the .pfx file with -CertificatePath), not the public .cer part."
    }
    $password = New-SpoRandomSecureString
    try {
        try {
            $bytes = $Certificate.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, $password)
        } catch {
            return New-SpoSignInErrorInfo -Id CertificateNotExportable -Parameter $Parameter `
                -Message ("The private key of certificate $thumbprint cannot be exported, and this module signs with a copy of it. " +
                    "Import the certificate with an exportable key (X509KeyStorageFlags.Exportable, or Import-PfxCertificate -Exportable on Windows), " +
                    "or pass the .pfx file with -CertificatePath. ($($_.Exception.Message))")
        }
        $pin = [System.Runtime.InteropServices.GCHandle]::Alloc($bytes, 'Pinned')
        try {
            $refused = Set-SpoSignInBytes -SignIn $SignIn -Setting CertificatePfx -Bytes $bytes -Pin $pin
            if (-not $refused) { $refused = Set-SpoSignInSetting -SignIn $SignIn -Setting CertificatePassword -Value $password }
            $refused
        } finally {
            [Array]::Clear($bytes, 0, $bytes.Length)
            $pin.Free()
        }
    } finally {
        $password.Dispose()
    }
}

function Find-SpoCertificateByThumbprint {
    # Looks the thumbprint up in CurrentUser\My, then LocalMachine\My, opening the stores read-only
    # and only if they exist (so nothing is created on disk). Returns @{ Certificate } or @{ ErrorInfo }.
    param([string]$Thumbprint)
    # Thumbprints copied from certificate dialogs carry spaces, colons or an invisible left-to-right mark.
    $wanted = ($Thumbprint -replace '[\s:\u200e\u200f\ufeff]', '').ToUpperInvariant()
    if ($wanted -notmatch '^[0-9A-F]{40}$') {
        return @{ ErrorInfo = New-SpoSignInErrorInfo -Id CertificateThumbprintInvalid -Parameter CertificateThumbprint `
                -Message "'$Thumbprint' is not a certificate thumbprint: expected 40 hexadecimal digits (the SHA-1 thumbprint)." }
    }
    $searched = [System.Collections.Generic.List[string]]::new()
    $withoutKey = $null
    foreach ($location in 'CurrentUser', 'LocalMachine') {
        $store = [System.Security.Cryptography.X509Certificates.X509Store]::new('My', $location)
        try {
            $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]'ReadOnly, OpenExistingOnly')
        } catch {
            # The store does not exist, or this platform has none (LocalMachine\My on Linux and macOS).
            $store.Dispose()
            continue
        }
        try {
            $searched.Add("$location\My")
            foreach ($candidate in $store.Certificates.Find([System.Security.Cryptography.X509Certificates.X509FindType]::FindByThumbprint, $wanted, $false)) {
                if ($candidate.HasPrivateKey) { return @{ Certificate = $candidate; Location = "$location\My" } }
                if (-not $withoutKey) { $withoutKey = "$location\My" }
            }
        } finally {
            $store.Dispose()
        }
    }
    if ($withoutKey) {
        return @{ ErrorInfo = New-SpoSignInErrorInfo -Id CertificatePrivateKeyMissing -Parameter CertificateThumbprint `
                -Message "The certificate $wanted is in $withoutKey, but without its private key, so it cannot sign in. Import the .pfx file (with the key) into the store, or pass it with -CertificatePath." }
    }
    $where = if ($searched.Count) { $searched -join ' and ' } else { 'no certificate store (none exists for this user on this machine)' }
    @{ ErrorInfo = New-SpoSignInErrorInfo -Id CertificateNotFound -Parameter CertificateThumbprint `
            -Message "No certificate with thumbprint $wanted and a private key was found; searched $where. Import the certificate with its private key, or pass the .pfx file with -CertificatePath." }
}

function Get-SpoManagedIdentityEnvironment {
    # The managed identity variables as PowerShell sees them. On Linux and macOS .NET keeps its own
    # copy of the environment, so a variable set with $env: is invisible to the engine unless passed.
    # The 2019 names win; MSI_ENDPOINT and MSI_SECRET are App Service's deprecated names for the same
    # endpoint and secret.
    $endpoint = [System.Environment]::GetEnvironmentVariable('IDENTITY_ENDPOINT')
    $header = [System.Environment]::GetEnvironmentVariable('IDENTITY_HEADER')
    if (-not $endpoint) {
        $endpoint = [System.Environment]::GetEnvironmentVariable('MSI_ENDPOINT')
        $header = [System.Environment]::GetEnvironmentVariable('MSI_SECRET')
    }
    $found = [ordered]@{}
    if ($endpoint) { $found.IdentityEndpoint = $endpoint }
    if ($header) { $found.IdentityHeader = $header }
    $found
}

# Categories for sign-in failures, by error id, where the library's kind alone says too little.
$script:SpoSignInErrorCategory = @{
    ConsentRequired              = 'PermissionDenied'
    ConditionalAccessBlocked     = 'PermissionDenied'
    DeviceCodeExpired            = 'OperationTimeout'
    ManagedIdentityUnavailable   = 'ResourceUnavailable'
    ManagedIdentityFailed        = 'AuthenticationError'
    CertificateFileNotFound      = 'ObjectNotFound'
    CertificateNotFound          = 'ObjectNotFound'
    CertificateNotExportable     = 'SecurityError'
    ClientSecretNotSupported     = 'InvalidArgument'
}

# What to do next, by error id (the library's message already explains the cause).
$script:SpoSignInRecommendedAction = @{
    InvalidCredentials         = 'Check the user name and password. To sign in interactively instead, run Connect-SPOService without -Credential (device code).'
    MfaRequired                = 'Run Connect-SPOService without -Credential to sign in with a device code, or use certificate app-only sign-in (-ClientId, -TenantId, -CertificatePath).'
    ConditionalAccessBlocked   = 'Ask the identity administrator which Conditional Access policy applies; quote the correlation id in the message.'
    ConsentRequired            = 'Ask an administrator to grant admin consent to the application, or connect without -ClientId to use the SharePoint Online Management Shell application.'
    DeviceCodeExpired          = 'Run Connect-SPOService again and finish signing in within the time shown.'
    SignInDeclined             = 'Run Connect-SPOService again and approve the sign-in.'
    SignInExpired              = 'Run Connect-SPOService again.'
    AccessTokenExpired         = 'Get a new access token and run Connect-SPOService again, or use a sign-in method that renews its token (device code, certificate, managed identity).'
    CertificateRejected        = 'Upload the certificate (its public .cer part) to the app registration under Certificates & secrets, then connect again.'
    ManagedIdentityUnavailable = 'Run on an Azure host (App Service, Functions, Container Apps) with a managed identity turned on, or sign in with a certificate.'
    ManagedIdentityFailed      = 'Check that the host has a managed identity turned on; for a user-assigned identity pass -ManagedIdentityClientId.'
}

function New-SpoSignInErrorRecord {
    # The ErrorRecord for a failed sign-in: id SPOCrossTenant.<Id>, a category that fits sign-in,
    # the library's parameter names translated to Connect-SPOService's, and as target the value that
    # was refused, never a secret ($Arguments holds only values that may be shown).
    param([SPOCrossTenant.NativeResult]$ErrorInfo, [hashtable]$Arguments, [hashtable]$ParameterNames, [string]$AdminUrl)
    if ($ErrorInfo.Parameter -and $ParameterNames.ContainsKey($ErrorInfo.Parameter)) { $ErrorInfo.Parameter = $ParameterNames[$ErrorInfo.Parameter] }
    $record = New-SpoErrorRecord -Result $ErrorInfo -Arguments $Arguments -TargetObject $AdminUrl -AdminUrl $AdminUrl
    $category = $script:SpoSignInErrorCategory[$ErrorInfo.ErrorId]
    $action = $script:SpoSignInRecommendedAction[$ErrorInfo.ErrorId]
    # The generic advice for a refused token (get a new one) only fits a pasted token.
    $dropAction = $ErrorInfo.Kind -eq 'Unauthorized' -and -not $action
    if (-not $category -and -not $action -and -not $dropAction) { return $record }
    if (-not $category) { $category = $record.CategoryInfo.Category }
    $signInRecord = [System.Management.Automation.ErrorRecord]::new($record.Exception, $record.FullyQualifiedErrorId, $category, $record.TargetObject)
    if ($action) {
        $signInRecord.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($record.Exception.Message)
        $signInRecord.ErrorDetails.RecommendedAction = $action
    } elseif ($record.ErrorDetails -and -not $dropAction) {
        $signInRecord.ErrorDetails = $record.ErrorDetails
    }
    $signInRecord
}

function Read-SpoConnectionInfo {
    # The engine's description of a connection (JSON text; never a token), or $null when the
    # handle is gone.
    param([IntPtr]$Handle)
    $record = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_connection_info($Handle, [ref]$record)
    $result = [SPOCrossTenant.NativeResult]::Take($record)
    if ($result.Succeeded) { $result.Value }
}

function Get-SpoTenantCompanyId {
    # The signed-in tenant's ID (a fix's identity-map line starts with it), or where to find it
    # when the connection does not say.
    param([psobject]$Connection)
    $info = if ($Connection) { Read-SpoConnectionInfo $Connection.Handle }
    $companyId = if ($info) { [string](ConvertFrom-Json -InputObject $info).tenantId }
    if ($companyId) { $companyId } else { "<the source tenant's ID (Get-MgOrganization shows it)>" }
}

function ConvertFrom-SpoConnectionInfo {
    # The engine's connection description (JSON from spo_connection_info, which never holds the
    # token) as an SPOCrossTenant.Connection object.
    param([string]$Json, [psobject]$Connection)
    $info = ConvertFrom-Json -InputObject $Json
    $expiresOn = if ($null -ne $info.expiresOn) { [System.DateTimeOffset]::FromUnixTimeSeconds([long]$info.expiresOn).UtcDateTime }
    $throttle = $info.throttle
    $throttledUntil = if ($null -ne $throttle.throttledUntil) { [System.DateTimeOffset]::FromUnixTimeMilliseconds([long](1000 * [double]$throttle.throttledUntil)).UtcDateTime }
    [pscustomobject]@{
        PSTypeName            = 'SPOCrossTenant.Connection'
        AdminUrl              = [string]$info.adminUrl
        Method                = [string]$info.method
        TenantId              = $info.tenantId
        Account               = $info.account
        AppId                 = $info.appId
        ExpiresOn             = $expiresOn
        CanRenew              = [bool]$info.canRenew
        CertificateThumbprint = $info.certificateThumbprint
        ClientTag             = if ($Connection.ClientTag) { $Connection.ClientTag } else { $null }
        TimeoutSeconds        = [int]$info.timeoutSeconds
        MaxRetryAttempts      = [int]$info.maxAttempts
        MaxRetrySeconds       = [int]$info.maxRetrySeconds
        InFlight              = [int]$throttle.inFlight
        InFlightLimit         = [int]$throttle.limit
        ThrottledUntil        = $throttledUntil
        RequestSpacingMs      = if ($null -ne $throttle.requestSpacingMs) { [int]$throttle.requestSpacingMs } else { $null }
        ThrottledAnswers      = [long]$throttle.throttledAnswers
    }
}
