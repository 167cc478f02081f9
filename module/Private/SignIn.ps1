# Signing in through the engine's settings builder: spo_sign_in_new (checks the admin URL),
# spo_sign_in_set / spo_sign_in_set_bytes for each setting, then spo_sign_in_begin, which runs as
# an operation whose result holds the new connection. The builder wipes its secrets when freed.
#
# Secrets (tokens, passwords, keys) reach the engine as unmanaged memory that is wiped right after
# the call. A SecureString is never turned into a managed string; key files are read as bytes,
# handed over and cleared. Nothing here writes to disk, and no message names a secret.

function New-SpoSignIn {
    # Returns @{ Handle } on success or @{ ErrorInfo } when the admin URL is refused.
    param([string]$AdminUrl)
    $handle = [IntPtr]::Zero; $errorHandle = [IntPtr]::Zero
    $status = $script:SpoNative::spo_sign_in_new((ConvertTo-SpoUtf8 $AdminUrl), [ref]$handle, [ref]$errorHandle)
    if ($status -ne $script:SpoStatus.Ok) { return @{ ErrorInfo = Read-SpoNativeError -Handle $errorHandle -Status $status } }
    @{ Handle = $handle }
}

function New-SpoSignInErrorInfo {
    # An error found on this side, in the shape Read-SpoNativeError returns.
    param([string]$Kind = 'InvalidArgument', [string]$Id, [string]$Parameter = '', [string]$Message)
    [pscustomobject]@{ Kind = $Kind; Id = $Id; Parameter = $Parameter; HttpStatus = 0; Message = $Message
        CorrelationId = ''; ServerMessage = ''; ServerErrorCode = ''; ServerErrorTypeName = '' }
}

function Set-SpoSignInSetting {
    # Sets one setting from a String or a SecureString; returns $null, or the error info when the
    # engine refuses it. The value crosses as unmanaged UTF-8 that is wiped right after the call.
    param([IntPtr]$SignIn, [string]$Setting, [object]$Value)
    $pointer = ConvertTo-SpoNativeSecret -Secret $Value
    if ($pointer -eq [IntPtr]::Zero) {
        return New-SpoSignInErrorInfo -Id TextHasNul -Parameter $Setting -Message "The $Setting contains a NUL character, which cannot be sent."
    }
    $errorHandle = [IntPtr]::Zero
    try {
        $status = $script:SpoNative::spo_sign_in_set($SignIn, [uint32]$script:SpoSetting[$Setting], $pointer, [ref]$errorHandle)
    } finally {
        Clear-SpoNativeSecret -Pointer $pointer
    }
    if ($status -ne $script:SpoStatus.Ok) { Read-SpoNativeError -Handle $errorHandle -Status $status }
}

function Set-SpoSignInBytes {
    # Sets one setting from bytes: as binary (spo_sign_in_set_bytes, e.g. a PFX), or with -AsText as
    # NUL-terminated UTF-8 copied to unmanaged memory that is wiped right after the call (PEM text,
    # which holds a private key and so never becomes a managed string). Returns $null or the error
    # info. The caller clears $Bytes.
    param([IntPtr]$SignIn, [string]$Setting, [byte[]]$Bytes, [switch]$AsText)
    $marshal = [System.Runtime.InteropServices.Marshal]
    $errorHandle = [IntPtr]::Zero
    if (-not $AsText) {
        $status = $script:SpoNative::spo_sign_in_set_bytes($SignIn, [uint32]$script:SpoSetting[$Setting], $Bytes,
            [UIntPtr]::new([uint64]$Bytes.Length), [ref]$errorHandle)
    } else {
        if ([Array]::IndexOf($Bytes, [byte]0) -ge 0) {
            return New-SpoSignInErrorInfo -Id CertificateUnreadable -Parameter Certificate -Message 'The certificate file is neither a PFX (PKCS#12) file nor PEM text.'
        }
        $pointer = $marshal::AllocCoTaskMem($Bytes.Length + 1)
        try {
            $marshal::Copy($Bytes, 0, $pointer, $Bytes.Length)
            $marshal::WriteByte($pointer, $Bytes.Length, 0)
            $status = $script:SpoNative::spo_sign_in_set($SignIn, [uint32]$script:SpoSetting[$Setting], $pointer, [ref]$errorHandle)
        } finally {
            # Zeroes up to the NUL, which is the end: the text has no other NUL (checked above).
            $marshal::ZeroFreeCoTaskMemUTF8($pointer)
        }
    }
    if ($status -ne $script:SpoStatus.Ok) { Read-SpoNativeError -Handle $errorHandle -Status $status }
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
        if (Test-SpoPfxBytes $bytes) { Set-SpoSignInBytes -SignIn $SignIn -Setting CertificatePfx -Bytes $bytes }
        else { Set-SpoSignInBytes -SignIn $SignIn -Setting CertificatePem -Bytes $bytes -AsText }
    } finally {
        [Array]::Clear($bytes, 0, $bytes.Length)
        $pin.Free()
    }
}

function New-SpoRandomSecureString {
    # A random password (192 bits) built straight into a SecureString, for a PFX export that only
    # lives until the engine has read it.
    $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
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
            $refused = Set-SpoSignInBytes -SignIn $SignIn -Setting CertificatePfx -Bytes $bytes
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
    param([psobject]$ErrorInfo, [hashtable]$Arguments, [hashtable]$ParameterNames, [string]$AdminUrl)
    if ($ErrorInfo.Parameter -and $ParameterNames.ContainsKey($ErrorInfo.Parameter)) { $ErrorInfo.Parameter = $ParameterNames[$ErrorInfo.Parameter] }
    $record = New-SpoErrorRecord -ErrorInfo $ErrorInfo -Arguments $Arguments -TargetObject $AdminUrl -AdminUrl $AdminUrl
    $category = $script:SpoSignInErrorCategory[$ErrorInfo.Id]
    $action = $script:SpoSignInRecommendedAction[$ErrorInfo.Id]
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

function ConvertFrom-SpoConnectionInfo {
    # The engine's connection description (JSON from spo_connection_info, which never holds the
    # token) as an SPOCrossTenant.Connection object.
    param([string]$Json, [psobject]$Connection)
    $info = ConvertFrom-Json -InputObject $Json
    $expiresOn = if ($null -ne $info.expiresOn) { [System.DateTimeOffset]::FromUnixTimeSeconds([long]$info.expiresOn).UtcDateTime }
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
    }
}
