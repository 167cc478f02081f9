# Connect-SPOService's work: check what the admin gave, hand the settings to the engine's sign-in
# builder (secrets last, through wiped unmanaged memory), run the sign-in, and make the new
# connection the session's. Any failure, and Ctrl+C, also closes the previous connection, so that
# no later command can act on the tenant the admin meant to leave.

function Connect-SpoTenant {
    # $Cmdlet is Connect-SPOService's $PSCmdlet: its parameter set and bound parameters say how to sign in.
    param([System.Management.Automation.PSCmdlet]$Cmdlet)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    $way = $Cmdlet.ParameterSetName
    # The command's parameters, read from its scope (the caller of this function).
    $bound = $Cmdlet.MyInvocation.BoundParameters
    foreach ($name in 'Url', 'ClientId', 'TenantId', 'Region', 'AuthenticationUrl', 'Credential', 'CertificatePath', 'CertificatePassword',
        'Certificate', 'CertificateThumbprint', 'ManagedIdentityClientId', 'ClientTag', 'TimeoutSeconds', 'MaxRetryAttempts', 'MaxRetrySeconds') {
        Set-Variable -Name $name -Value $(if ($bound.ContainsKey($name)) { $bound[$name] } else { $null })
    }

    # Values an error record may aim at, by the parameter names the library uses; never a secret.
    $certificateParameter = switch ($way) { 'Certificate' { 'Certificate' } 'CertificateThumbprint' { 'CertificateThumbprint' } default { 'CertificatePath' } }
    $arguments = @{
        Url = $Url; ClientId = $ClientId; TenantId = $TenantId; Region = $Region; AuthenticationUrl = $AuthenticationUrl
        ClientTag = $ClientTag; TimeoutSeconds = $TimeoutSeconds; MaxRetryAttempts = $MaxRetryAttempts; MaxRetrySeconds = $MaxRetrySeconds
        CertificatePath = $CertificatePath; CertificateThumbprint = $CertificateThumbprint; ManagedIdentity = $ManagedIdentityClientId
        Certificate = if ($Certificate) { $Certificate.Thumbprint }; Credential = if ($Credential) { $Credential.UserName }
        AccessToken = $null; CertificatePassword = $null; ClientSecret = $null; Password = $null
    }
    $arguments[$certificateParameter] = switch ($way) { 'Certificate' { $Certificate.Thumbprint } 'CertificateThumbprint' { $CertificateThumbprint } default { $CertificatePath } }
    # The library's parameter names that differ from this command's.
    $parameterNames = @{ MaxAttempts = 'MaxRetryAttempts'; PrivateKey = $certificateParameter; Certificate = $certificateParameter; UserName = 'Credential'; Password = 'Credential' }

    $connected = $false
    # Any failure below, and Ctrl+C, also closes the previous connection (in the finally block), so
    # that no later command can act on the tenant the admin meant to leave.
    try {
        if ($way -eq 'ClientSecret') {
            # Dropped unread: the secret is never sent anywhere.
            Remove-Variable -Name ClientSecret -Scope 1 -ErrorAction Ignore
            $null = $bound.Remove('ClientSecret')
            $record = New-SpoArgumentErrorRecord -Id ClientSecretNotSupported -ParameterName ClientSecret -TargetObject $ClientId -Message (
                "SharePoint Online does not accept app-only tokens obtained with a client secret: every call would fail with 'Unsupported app only token'. " +
                'Upload a certificate to the app registration and sign in with -ClientId, -TenantId and -CertificatePath (or -Certificate, or -CertificateThumbprint).')
            $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($record.Exception.Message)
            $record.ErrorDetails.RecommendedAction = 'Use certificate sign-in: Connect-SPOService -Url <admin url> -ClientId <app id> -TenantId <tenant> -CertificatePath <app.pfx>.'
            $Cmdlet.ThrowTerminatingError($record)
        }
        if ($bound.ContainsKey('ModernAuth') -or $bound.ContainsKey('UseSystemBrowser')) {
            Write-Verbose 'ModernAuth and UseSystemBrowser are accepted for compatibility; sign-in uses modern authentication and opens no browser window.'
        }
        if ($way -eq 'Credential') {
            Write-Warning ('Signing in with -Credential (user name and password). Accounts that use multi-factor authentication or are subject to ' +
                'Conditional Access, and federated accounts, cannot sign in this way; run Connect-SPOService without -Credential to sign in with a device code.')
        }
        if ($AuthenticationUrl -match '^(?<base>.+?)/+(organizations|common)/*$') {
            # Microsoft's module takes the authority with its tenant segment; ours is the host only.
            $AuthenticationUrl = $Matches.base
            Write-Verbose "Using $AuthenticationUrl as the sign-in host."
        }

        # Plain settings first; secrets are added last, right before they are handed over.
        $settings = [ordered]@{}
        foreach ($name in 'ClientId', 'TenantId', 'Region', 'AuthenticationUrl', 'ClientTag') {
            if ($bound.ContainsKey($name)) { $settings[$name] = (Get-Variable -Name $name -Scope Local -ValueOnly) }
        }
        if ($bound.ContainsKey('TimeoutSeconds')) { $settings.TimeoutSeconds = [string]$TimeoutSeconds }
        if ($bound.ContainsKey('MaxRetryAttempts')) { $settings.MaxAttempts = [string]$MaxRetryAttempts }
        if ($bound.ContainsKey('MaxRetrySeconds')) { $settings.MaxRetrySeconds = [string]$MaxRetrySeconds }
        switch ($way) {
            'AccessToken' {
                # ValidateScript checks each element of a collection, so an array (even an empty
                # one) passes it: refuse anything that is not one String or SecureString here.
                if ($bound.AccessToken -isnot [string] -and $bound.AccessToken -isnot [securestring]) {
                    $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id AccessTokenInvalid -ParameterName AccessToken -TargetObject $null `
                                -Message 'The access token must be one String or SecureString, not a list.'))
                }
                $settings.AccessToken = $bound.AccessToken
                # Drop the references to the token (here and in the command's scope); the settings
                # table is cleared once it is handed over.
                Remove-Variable -Name AccessToken -Scope 1 -ErrorAction Ignore
                $null = $bound.Remove('AccessToken')
            }
            'Credential' {
                $settings.UserName = $Credential.UserName
                $settings.Password = $Credential.Password
            }
            'ManagedIdentity' {
                $settings.ManagedIdentity = if ($ManagedIdentityClientId) { $ManagedIdentityClientId } else { '' }
                $environment = Get-SpoManagedIdentityEnvironment
                foreach ($entry in $environment.GetEnumerator()) { $settings[$entry.Key] = $entry.Value }
                $environment.Clear()
            }
            'CertificatePath' {
                if ($CertificatePassword) { $settings.CertificatePassword = $CertificatePassword }
            }
        }

        $signIn = New-SpoSignIn -AdminUrl $Url
        if ($signIn.ErrorInfo) {
            $settings.Clear()
            $Cmdlet.ThrowTerminatingError((New-SpoErrorRecord -Result $signIn.ErrorInfo -Arguments @{ Url = $Url } -TargetObject $Url))
        }
        $refused = $null; $result = $null
        try {
            foreach ($setting in $settings.GetEnumerator()) {
                $refused = Set-SpoSignInSetting -SignIn $signIn.Handle -Setting $setting.Key -Value $setting.Value
                if ($refused) { break }
            }
            $settings.Clear()
            if (-not $refused) {
                $refused = switch ($way) {
                    'CertificatePath' {
                        # Relative to the current PowerShell location, like other file paths in PowerShell.
                        $path = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($CertificatePath) } catch { $null }
                        if ($path) { Set-SpoSignInCertificateFile -SignIn $signIn.Handle -Path $path }
                        else {
                            New-SpoSignInErrorInfo -Id CertificateFileNotFound -Parameter CertificatePath `
                                -Message "'$CertificatePath' is not a path in the file system. Give the path of the .pfx or PEM file."
                        }
                    }
                    'Certificate' { Set-SpoSignInCertificateObject -SignIn $signIn.Handle -Certificate $Certificate -Parameter Certificate }
                    'CertificateThumbprint' {
                        $found = Find-SpoCertificateByThumbprint -Thumbprint $CertificateThumbprint
                        if ($found.ErrorInfo) { $found.ErrorInfo }
                        else {
                            Write-Verbose "Using certificate $($found.Certificate.Thumbprint) from $($found.Location)."
                            try { Set-SpoSignInCertificateObject -SignIn $signIn.Handle -Certificate $found.Certificate -Parameter CertificateThumbprint }
                            finally { $found.Certificate.Dispose() }
                        }
                    }
                }
            }
            if (-not $refused) { $result = Invoke-SpoSignIn -SignIn $signIn }
        } finally {
            $settings.Clear()
            # The builder of a sign-in that was refused or interrupted before Invoke-SpoSignIn ran it.
            Close-SpoSignIn $signIn
        }
        $errorInfo = if ($refused) { $refused } elseif (-not $result.Succeeded) { $result }
        if ($errorInfo) {
            $Cmdlet.ThrowTerminatingError((New-SpoSignInErrorRecord -ErrorInfo $errorInfo -Arguments $arguments -ParameterNames $parameterNames -AdminUrl $Url))
        }
        $info = ConvertFrom-Json -InputObject $result.Value
        Set-SpoConnection -Handle $result.Connection -AdminUrl $info.adminUrl -TimeoutSeconds $TimeoutSeconds -ClientTag $ClientTag
        $connected = $true
    } finally {
        if (-not $connected) { Close-SpoConnection }
    }
    $connection = Get-SpoConnection
    $info = ConvertFrom-SpoConnectionInfo -Json $result.Value -Connection $connection
    $who = if ($info.Account) { $info.Account } elseif ($info.AppId) { "app $($info.AppId)" } else { 'the given token' }
    $until = if ($info.ExpiresOn) { "; the token expires at $($info.ExpiresOn.ToString('u'))" + $(if ($info.CanRenew) { ' and is renewed automatically' } else { ' and cannot be renewed' }) } else { '' }
    Write-Verbose "Connected to $($connection.AdminUrl) as $who ($($info.Method) sign-in)$until; requests go to $($connection.ProcessQueryUrl)."
    Write-Debug "Native library: $script:SpoNativePath. Connection: $($result.Value)"
}
