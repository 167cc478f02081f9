# Interop tests: the native library loads, speaks ABI 1, exports what the module binds (checked
# against the generated C header when it is present), tolerates NULL, reports failures with a
# status and a message; the module imports twice; import failures explain themselves.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest
    $script:Native = & (Get-Module SPOCrossTenant) { $script:SpoNative }
    $script:Signatures = & (Get-Module SPOCrossTenant) { Get-SpoNativeSignatures }
    $script:Header = Join-Path $script:RepoRoot 'include/spo_crosstenant.h'

    function New-TestNativeConnection {
        # Signs in with a made-up token through the raw ABI (no request is sent for a pasted token).
        $signIn = [IntPtr]::Zero; $errorHandle = [IntPtr]::Zero; $operation = [IntPtr]::Zero; $connection = [IntPtr]::Zero
        $url = [System.Text.Encoding]::UTF8.GetBytes("https://contoso-admin.sharepoint.com`0")
        $script:Native::spo_sign_in_new($url, [ref]$signIn, [ref]$errorHandle) | Should -Be 0
        $token = [System.Runtime.InteropServices.Marshal]::StringToCoTaskMemUTF8('interop-test-token')
        try {
            $script:Native::spo_sign_in_set($signIn, 0, $token, [ref]$errorHandle) | Should -Be 0
            $script:Native::spo_sign_in_begin($signIn, [ref]$operation, [ref]$errorHandle) | Should -Be 0
            $script:Native::spo_operation_wait($operation, 10000) | Should -Be 0
            $script:Native::spo_operation_connection($operation, [ref]$connection) | Should -Be 0
        } finally {
            [System.Runtime.InteropServices.Marshal]::ZeroFreeCoTaskMemUTF8($token)
            $script:Native::spo_operation_free($operation)
            $script:Native::spo_sign_in_free($signIn)
        }
        $connection
    }

    function Read-TestNativeText {
        # Reads and frees a library string the way the module does, for the tests' own calls.
        param([IntPtr]$Pointer)
        try { [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($Pointer) } finally { $script:Native::spo_string_free($Pointer) }
    }
}

Describe 'Loading the native library' {
    It 'binds an existing file by absolute path' {
        $path = Get-TestLibraryPath
        [System.IO.Path]::IsPathRooted($path) | Should -BeTrue
        Test-Path -LiteralPath $path -PathType Leaf | Should -BeTrue
    }

    It 'reports ABI version 2' {
        $script:Native::spo_abi_version() | Should -Be 2
    }

    It 'reports a semantic library version' {
        $pointer = [IntPtr]::Zero
        $script:Native::spo_library_version([ref]$pointer) | Should -Be 0
        Read-TestNativeText $pointer | Should -Match '^\d+\.\d+\.\d+'
    }

    It 'exports every function the module binds (ABI v1)' {
        $library = [System.Runtime.InteropServices.NativeLibrary]::Load((Get-TestLibraryPath))
        $address = [IntPtr]::Zero
        $expected = 'spo_abi_version', 'spo_library_version', 'spo_string_free', 'spo_sign_in_new', 'spo_sign_in_set',
        'spo_sign_in_set_bytes', 'spo_sign_in_begin', 'spo_sign_in_free', 'spo_connection_info', 'spo_connection_admin_url',
        'spo_connection_free', 'spo_relation_set_begin', 'spo_relation_verify_begin', 'spo_relation_remove_begin',
        'spo_relation_list_begin', 'spo_relation_list_by_partner_begin', 'spo_relation_list_by_scenario_begin', 'spo_host_url_begin',
        'spo_operation_wait', 'spo_operation_cancel', 'spo_operation_value', 'spo_operation_correlation_id', 'spo_operation_error',
        'spo_operation_next_message', 'spo_operation_connection', 'spo_operation_free', 'spo_error_kind', 'spo_error_http_status',
        'spo_error_text', 'spo_error_free'
        $missing = $expected | Where-Object { -not [System.Runtime.InteropServices.NativeLibrary]::TryGetExport($library, $_, [ref]$address) }
        $missing | Should -BeNullOrEmpty
        @($script:Signatures.Keys) | Sort-Object | Should -Be ($expected | Sort-Object) -Because 'the module binds exactly ABI v1'
    }
}

Describe 'The binding matches the C header' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../include/spo_crosstenant.h'))) {
    BeforeAll {
        # C type -> CLR types the module may bind it to. 'const char *' is byte[] (UTF-8 text), or IntPtr
        # for sign-in settings, which travel as unmanaged memory so secrets get no managed copy.
        function Get-ClrTypeNames {
            param([string]$CType)
            $c = ($CType -replace '\s+', ' ').Trim()
            switch -Regex ($c) {
                '\*\s*\*\s*\w+$' { 'System.IntPtr&'; break }
                '^const char \*' { 'System.Byte[]', 'System.IntPtr'; break }
                '^const uint8_t \*' { 'System.Byte[]'; break }
                '\*' { 'System.IntPtr'; break }
                '^(uint32_t|spo_status|spo_error_field) ' { 'System.UInt32'; break }
                '^uint16_t ' { 'System.UInt16'; break }
                '^size_t ' { 'System.UIntPtr'; break }
                default { "unmapped C type: $c" }
            }
        }
        $text = Get-Content -Raw -LiteralPath $script:Header
        $text = [regex]::Replace($text, '/\*.*?\*/', '', 'Singleline')
        $script:Declarations = @{}
        foreach ($match in [regex]::Matches($text, '(?m)^(?<ret>[\w ]+?)\s+(?<name>spo_\w+)\((?<params>[^)]*)\);')) {
            $parameters = @($match.Groups['params'].Value -split ',' | ForEach-Object { $_.Trim() } | Where-Object { $_ -and $_ -ne 'void' })
            $script:Declarations[$match.Groups['name'].Value] = @{ Return = $match.Groups['ret'].Value.Trim(); Parameters = $parameters }
        }
    }

    It 'declares the same functions the module binds' {
        @($script:Declarations.Keys) | Sort-Object | Should -Be (@($script:Signatures.Keys) | Sort-Object)
    }

    It 'agrees on the return and parameter types of <_>' -ForEach @(
        'spo_abi_version', 'spo_library_version', 'spo_string_free', 'spo_sign_in_new', 'spo_sign_in_set', 'spo_sign_in_set_bytes',
        'spo_sign_in_begin', 'spo_sign_in_free', 'spo_connection_info', 'spo_connection_admin_url', 'spo_connection_free',
        'spo_relation_set_begin', 'spo_relation_verify_begin', 'spo_relation_remove_begin', 'spo_relation_list_begin',
        'spo_relation_list_by_partner_begin', 'spo_relation_list_by_scenario_begin', 'spo_host_url_begin', 'spo_operation_wait',
        'spo_operation_cancel', 'spo_operation_value', 'spo_operation_correlation_id', 'spo_operation_error', 'spo_operation_next_message',
        'spo_operation_connection', 'spo_operation_free', 'spo_error_kind', 'spo_error_http_status', 'spo_error_text', 'spo_error_free') {
        $declaration = $script:Declarations[$_]
        $bound = $script:Signatures[$_]
        $expectedReturn = switch ($declaration.Return) { 'void' { 'System.Void' } 'uint16_t' { 'System.UInt16' } default { 'System.UInt32' } }
        $bound[0].FullName | Should -Be $expectedReturn
        $bound[1].Count | Should -Be $declaration.Parameters.Count
        for ($i = 0; $i -lt $declaration.Parameters.Count; $i++) {
            Get-ClrTypeNames $declaration.Parameters[$i] | Should -Contain $bound[1][$i].FullName -Because "parameter $i of $_ is '$($declaration.Parameters[$i])'"
        }
    }
}

Describe 'Calling the library directly' {
    It 'accepts NULL in every free function and in cancel' {
        { $script:Native::spo_string_free([IntPtr]::Zero)
            $script:Native::spo_sign_in_free([IntPtr]::Zero)
            $script:Native::spo_connection_free([IntPtr]::Zero)
            $script:Native::spo_operation_free([IntPtr]::Zero)
            $script:Native::spo_operation_cancel([IntPtr]::Zero)
            $script:Native::spo_error_free([IntPtr]::Zero) } | Should -Not -Throw
    }

    It 'answers NULL handles with SPO_STATUS_NULL_ARGUMENT (2)' {
        $pointer = [IntPtr]::Zero
        $script:Native::spo_operation_wait([IntPtr]::Zero, 0) | Should -Be 2
        $script:Native::spo_connection_admin_url([IntPtr]::Zero, [ref]$pointer) | Should -Be 2
        $script:Native::spo_error_text([IntPtr]::Zero, 0, [ref]$pointer) | Should -Be 2
        $pointer | Should -Be ([IntPtr]::Zero) -Because 'out-parameters are written only on success'
    }

    It 'returns a status, an error id, a parameter and a message for a failing call' {
        $signIn = [IntPtr]::Zero; $errorHandle = [IntPtr]::Zero
        $url = [System.Text.Encoding]::UTF8.GetBytes("ftp://contoso-admin.sharepoint.com`0")
        $status = $script:Native::spo_sign_in_new($url, [ref]$signIn, [ref]$errorHandle)
        try {
            $status | Should -Be 4
            $signIn | Should -Be ([IntPtr]::Zero) -Because 'out-parameters are written only on success'
            $errorHandle | Should -Not -Be ([IntPtr]::Zero)
            $script:Native::spo_error_kind($errorHandle) | Should -Be 4
            $pointer = [IntPtr]::Zero
            foreach ($field in @{ 0 = '\w+ \w+'; 1 = '^AdminUrlInvalid$'; 6 = '^Url$' }.GetEnumerator()) {
                $script:Native::spo_error_text($errorHandle, $field.Key, [ref]$pointer) | Should -Be 0
                Read-TestNativeText $pointer | Should -Match $field.Value
            }
        } finally { $script:Native::spo_error_free($errorHandle) }
    }

    It 'signs in with an access token, reports the admin URL and frees everything' {
        $connection = New-TestNativeConnection
        try {
            $pointer = [IntPtr]::Zero
            $script:Native::spo_connection_admin_url($connection, [ref]$pointer) | Should -Be 0
            Read-TestNativeText $pointer | Should -Match '^https://contoso-admin\.sharepoint\.com/?$'
            $script:Native::spo_connection_info($connection, [ref]$pointer) | Should -Be 0
            $info = Read-TestNativeText $pointer
            $info | Should -Match '"method":"AccessToken"'
            $info | Should -Not -Match 'interop-test-token' -Because 'the description never contains the token'
        } finally { $script:Native::spo_connection_free($connection) }
    }

    It 'refuses an invalid argument synchronously, before any request exists' {
        $connection = New-TestNativeConnection
        $operation = [IntPtr]::Zero; $errorHandle = [IntPtr]::Zero
        try {
            $partner = [System.Text.Encoding]::UTF8.GetBytes("https://fabrikam-my.sharepoint.com`0")
            $script:Native::spo_relation_set_begin($connection, 0, 2, $partner, [ref]$operation, [ref]$errorHandle) | Should -Be 4
            $operation | Should -Be ([IntPtr]::Zero)
            $pointer = [IntPtr]::Zero
            $null = $script:Native::spo_error_text($errorHandle, 1, [ref]$pointer)
            Read-TestNativeText $pointer | Should -Be 'ScenarioNone'
            $script:Native::spo_error_free($errorHandle)
        } finally { $script:Native::spo_connection_free($connection) }
    }
}

Describe 'Text and secrets crossing the boundary' {
    It 'encodes text as NUL-terminated UTF-8' {
        InModuleScope SPOCrossTenant {
            $bytes = ConvertTo-SpoUtf8 'é€😀'
            $bytes | Should -Be ([byte[]](0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, 0))
            ConvertTo-SpoUtf8 $null | Should -BeNullOrEmpty
        }
    }

    It 'detects embedded NUL characters' {
        InModuleScope SPOCrossTenant {
            Test-SpoTextHasNul "a`0b" | Should -BeTrue
            Test-SpoTextHasNul 'ab' | Should -BeFalse
            Test-SpoTextHasNul $null | Should -BeFalse
        }
    }

    It 'turns a SecureString into the same UTF-8 as a String, in unmanaged memory' -ForEach @(
        @{ Text = 'eyJhbGciOi.plain-ascii_token' }, @{ Text = 'tök€n😀' }, @{ Text = "lone`u{D800}surrogate" }) {
        InModuleScope SPOCrossTenant -Parameters @{ Text = $Text } {
            param($Text)
            $secure = [System.Security.SecureString]::new()
            foreach ($char in $Text.ToCharArray()) { $secure.AppendChar($char) }
            $fromSecure = ConvertTo-SpoNativeSecret -Secret $secure
            $fromString = ConvertTo-SpoNativeSecret -Secret $Text
            try {
                [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($fromSecure) | Should -BeExactly ([System.Text.Encoding]::UTF8.GetString([System.Text.Encoding]::UTF8.GetBytes($Text)))
                [System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($fromString) | Should -BeExactly ([System.Runtime.InteropServices.Marshal]::PtrToStringUTF8($fromSecure))
            } finally {
                Clear-SpoNativeSecret $fromSecure
                Clear-SpoNativeSecret $fromString
            }
        }
    }

    It 'refuses a secret with a NUL character' {
        InModuleScope SPOCrossTenant {
            ConvertTo-SpoNativeSecret -Secret "to`0ken" | Should -Be ([IntPtr]::Zero)
            $secure = [System.Security.SecureString]::new(); 'to', [char]0, 'ken' | ForEach-Object { foreach ($c in "$_".ToCharArray()) { $secure.AppendChar($c) } }
            $secure.AppendChar([char]0)
            ConvertTo-SpoNativeSecret -Secret $secure | Should -Be ([IntPtr]::Zero)
        }
    }
}

Describe 'Importing the module' {
    It 'works twice in one session and reuses the bound type' {
        $before = & (Get-Module SPOCrossTenant) { $script:SpoNative }
        Import-Module $script:ModuleManifest -Force -ErrorAction Stop
        Import-Module $script:ModuleManifest -Force -ErrorAction Stop
        $after = & (Get-Module SPOCrossTenant) { $script:SpoNative }
        [object]::ReferenceEquals($before, $after) | Should -BeTrue
        (Get-Command Set-SPOCrossTenantRelationship).Module.Name | Should -Be 'SPOCrossTenant'
    }

    It 'declares each enum only once per process' {
        $declaring = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
            $_.GetType('Microsoft.SharePoint.Client.Administration.OrgRelationScenario', $false) }
        @($declaring).Count | Should -Be 1
    }

    It 'releases the connection when the module is removed' {
        Connect-SPOService -Url https://contoso-admin.sharepoint.com -AccessToken 'x'
        $removed = Get-Module SPOCrossTenant
        & $removed { $script:SpoConnection } | Should -Not -BeNullOrEmpty
        Remove-Module SPOCrossTenant
        # The removed module object still reaches its old state: OnRemove must have closed it.
        & $removed { $script:SpoConnection } | Should -BeNullOrEmpty
        Import-ModuleUnderTest
    }
}

Describe 'The per-user type cache' -Skip:([System.Environment]::Version.Major -lt 9) {
    It 'loads the declared types from the cache in a fresh process once it is warm' {
        # A cache folder of the test's own where the platform lets us choose it (not on macOS).
        $environment = @{}
        if (-not $IsMacOS) { $environment[$(if ($IsWindows) { 'LOCALAPPDATA' } else { 'XDG_DATA_HOME' })] = Join-Path $TestDrive 'data' }
        $probe = "Import-Module '$script:ModuleManifest' -ErrorAction Stop; [Microsoft.SharePoint.Client.Administration.OrgRelationRole].Assembly.GetName().Name"
        $first = Invoke-ChildPwsh -Environment $environment -Command $probe
        $first | Select-Object -Last 1 | Should -Match '^SPOCrossTenant\.Types\.abi2\.' -Because 'the first import saves the cache and loads it'
        $output = Invoke-ChildPwsh -Environment $environment -Command $probe
        $output | Select-Object -Last 1 | Should -Match '^SPOCrossTenant\.Types\.abi2\.'
    }

    It 'falls back to declaring the types in memory when the cache cannot be written' -Skip:$IsMacOS {
        # A data folder below a plain file can never be created.
        $blocker = Join-Path $TestDrive 'not-a-folder'
        Set-Content -LiteralPath $blocker -Value 'x'
        $variable = if ($IsWindows) { 'LOCALAPPDATA' } else { 'XDG_DATA_HOME' }
        $output = Invoke-ChildPwsh -Environment @{ $variable = "$blocker/data" } -Command @"
Import-Module '$script:ModuleManifest' -ErrorAction Stop
[Microsoft.SharePoint.Client.Administration.OrgRelationRole].Assembly.GetName().Name
(Get-Command Set-SPOCrossTenantRelationship).Name
"@
        $output | Should -Contain 'SPOCrossTenant.Dynamic'
        $output | Should -Contain 'Set-SPOCrossTenantRelationship'
    }
}

Describe 'Import failures' {
    It 'names SPO_CROSSTENANT_LIBRARY when it points at a missing file' {
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = (Join-Path $TestDrive 'nothing-here.so') } -Command @"
try { Import-Module '$script:ModuleManifest' -ErrorAction Stop; 'IMPORTED' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $output -join "`n" | Should -Match 'SPOCrossTenant\.LibraryNotFound'
        $output -join "`n" | Should -Match 'SPO_CROSSTENANT_LIBRARY'
        $output | Should -Not -Contain 'IMPORTED'
    }

    It 'explains a file that is not a loadable library' {
        $bogus = Join-Path $TestDrive 'libspo_crosstenant.so'
        Set-Content -LiteralPath $bogus -Value 'not a library'
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $bogus } -Command @"
try { Import-Module '$script:ModuleManifest' -ErrorAction Stop; 'IMPORTED' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $output -join "`n" | Should -Match 'SPOCrossTenant\.LibraryLoadFailed'
        $output | Should -Not -Contain 'IMPORTED'
    }

    It 'refuses a library without the SPOCrossTenant ABI and names the expected version' -Skip:(-not $IsLinux) {
        # libc loads fine but has no spo_abi_version: the version check must catch it.
        $libc = @('/lib/x86_64-linux-gnu/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6', '/lib64/libc.so.6', '/lib/libc.so.6') |
            Where-Object { Test-Path $_ } | Select-Object -First 1
        if (-not $libc) { Set-ItResult -Skipped -Because 'no libc found at the usual paths'; return }
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $libc } -Command @"
try { Import-Module '$script:ModuleManifest' -ErrorAction Stop; 'IMPORTED' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $output -join "`n" | Should -Match 'SPOCrossTenant\.AbiVersionMismatch'
        $output -join "`n" | Should -Match 'ABI version 2'
    }

    It 'names the platform and the build command when no library is found' {
        # A copy of the module outside any checkout, with no bin/ folder and no override.
        $copy = Join-Path $TestDrive 'copy/SPOCrossTenant'
        Copy-Item -Recurse -LiteralPath (Split-Path $script:ModuleManifest) -Destination $copy
        Remove-Item -Recurse -Force -LiteralPath (Join-Path $copy 'bin') -ErrorAction SilentlyContinue
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command @"
try { Import-Module '$copy/SPOCrossTenant.psd1' -ErrorAction Stop; 'IMPORTED' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $rid = & (Get-Module SPOCrossTenant) { Get-SpoRuntimeIdentifier }
        $output -join "`n" | Should -Match 'SPOCrossTenant\.LibraryNotFound'
        $output -join "`n" | Should -Match ([regex]::Escape("($rid)"))
        $output -join "`n" | Should -Match 'cargo build --release'
    }
}
