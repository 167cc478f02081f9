# Interop tests: the compiled binding (bin/SPOCrossTenant.dll, from module/Binding/) against the
# native library and its C header: the library loads from bin/<rid>/, speaks ABI 3, exports what the
# binding declares with the same types, lays out spo_result the same way, tolerates NULL, and
# reports failures in one record; the module imports twice; import failures explain themselves.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest
    $script:Native = [SPOCrossTenant.Native]
    $script:Header = Join-Path $script:RepoRoot 'include/spo_crosstenant.h'

    function ConvertTo-TestUtf8 { param([string]$Text) [System.Text.Encoding]::UTF8.GetBytes($Text + [char]0) }

    function Get-TestRecord {
        # Takes (copies and frees) the record a call wrote.
        param([IntPtr]$Pointer)
        [SPOCrossTenant.NativeResult]::Take($Pointer)
    }

    function New-TestNativeConnection {
        # Signs in with a made-up token through the raw ABI (no request is sent for a pasted token).
        $signIn = [IntPtr]::Zero; $record = [IntPtr]::Zero; $operation = [IntPtr]::Zero
        $script:Native::spo_sign_in_new((ConvertTo-TestUtf8 'https://contoso-admin.sharepoint.com'), [ref]$signIn, [ref]$record) | Should -Be 0
        $null = Get-TestRecord $record
        $token = [System.Runtime.InteropServices.Marshal]::StringToCoTaskMemUTF8('interop-test-token')
        try {
            $script:Native::spo_sign_in_set($signIn, (ConvertTo-TestUtf8 'AccessToken'), $token, [UIntPtr]::new(18), [ref]$record) | Should -Be 0
            $null = Get-TestRecord $record
            $script:Native::spo_sign_in_begin($signIn, 10000, [ref]$operation, [ref]$record) | Should -Be 0
            $result = Get-TestRecord $record
            $operation | Should -Be ([IntPtr]::Zero) -Because 'a pasted token signs in without waiting'
        } finally {
            [System.Runtime.InteropServices.Marshal]::ZeroFreeCoTaskMemUTF8($token)
            $script:Native::spo_sign_in_free($signIn)
        }
        $result.Connection | Should -Not -Be ([IntPtr]::Zero)
        $result.Connection
    }
}

Describe 'Loading the native library' {
    It 'binds the library in bin/<rid>/ of the module by absolute path' {
        $path = Get-TestLibraryPath
        [System.IO.Path]::IsPathRooted($path) | Should -BeTrue
        Test-Path -LiteralPath $path -PathType Leaf | Should -BeTrue
        $rid = [SPOCrossTenant.ModuleLoader]::RuntimeIdentifier
        if (-not $env:SPO_CROSSTENANT_LIBRARY) {
            $path | Should -Be (Join-Path (Split-Path $script:ModuleManifest) "bin/$rid/$([SPOCrossTenant.ModuleLoader]::NativeFileName)")
        }
    }

    It 'reports ABI version 3, the version the binding declares' {
        [SPOCrossTenant.Native]::AbiVersion | Should -Be 3
        $script:Native::spo_abi_version() | Should -Be ([SPOCrossTenant.Native]::AbiVersion)
    }

    It 'exports every function the binding declares' {
        [SPOCrossTenant.Native]::MissingExports() | Should -BeNullOrEmpty
    }

    It 'describes itself: library version, ABI version, enums, settings and commands' {
        $record = [IntPtr]::Zero
        $script:Native::spo_describe([ref]$record) | Should -Be 0
        $result = Get-TestRecord $record
        $result.Succeeded | Should -BeTrue
        $facts = $result.Value | ConvertFrom-Json -AsHashtable
        $facts.libraryVersion | Should -Be $script:ModuleVersion -Because "Cargo.toml's version is the module's version"
        $facts.abiVersion | Should -Be 3
        $facts.enums.Keys | Should -Contain 'Microsoft.SharePoint.Client.Administration.OrgRelationScenario'
        $facts.settings | Should -Contain 'AccessToken'
        $facts.commands | Should -Contain 'NewSPOTenantOrgRelation'
    }

    It 'gives the enums the names and numbers the library describes' {
        $record = [IntPtr]::Zero
        $null = $script:Native::spo_describe([ref]$record)
        $facts = (Get-TestRecord $record).Value | ConvertFrom-Json -AsHashtable
        foreach ($enum in $facts.enums.GetEnumerator()) {
            $type = $enum.Key -as [type]
            $type | Should -Not -BeNullOrEmpty -Because "$($enum.Key) is declared at import"
            $type.IsEnum | Should -BeTrue
            foreach ($member in $enum.Value.GetEnumerator()) {
                [int][System.Enum]::Parse($type, $member.Key) | Should -Be $member.Value -Because "$($enum.Key)::$($member.Key)"
            }
            [System.Enum]::GetNames($type).Count | Should -Be $enum.Value.Count
        }
    }
}

Describe 'The binding matches the C header' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../include/spo_crosstenant.h'))) {
    BeforeAll {
        # C type -> the CLR types the binding may declare for it.
        function Get-ClrTypeNames {
            param([string]$CType)
            $c = ($CType -replace '\s+', ' ').Trim()
            switch -Regex ($c) {
                '^const char \*const \*' { 'System.String[]', 'System.IntPtr[]'; break }
                '\*\s*\*\s*\w+$' { 'System.IntPtr&'; break }
                '^const char \*' { 'System.Byte[]'; break }
                '^const uint8_t \*' { 'System.IntPtr'; break }
                '\*' { 'System.IntPtr'; break }
                '^(uint32_t|spo_status) ' { 'System.UInt32'; break }
                '^size_t ' { 'System.UIntPtr'; break }
                default { "unmapped C type: $c" }
            }
        }
        $text = Get-Content -Raw -LiteralPath $script:Header
        $text = [regex]::Replace($text, '/\*.*?\*/', '', 'Singleline')
        $text = [regex]::Replace($text, '(?m)^\s*#.*$', '')
        $script:Declarations = @{}
        foreach ($match in [regex]::Matches($text, '(?s)(?<ret>\b(?:void|uint32_t|spo_status))\s+(?<name>spo_\w+)\((?<params>[^)]*)\);')) {
            $parameters = @($match.Groups['params'].Value -split ',' | ForEach-Object { ($_ -replace '\s+', ' ').Trim() } | Where-Object { $_ -and $_ -ne 'void' })
            $script:Declarations[$match.Groups['name'].Value] = @{ Return = $match.Groups['ret'].Value; Parameters = $parameters }
        }
        # The P/Invoke declarations of the binding, by entry point (spo_call's is private behind a UTF-8 wrapper).
        $script:Bound = @{}
        foreach ($method in [SPOCrossTenant.Native].GetMethods([System.Reflection.BindingFlags]'Public, NonPublic, Static')) {
            $import = $method.GetCustomAttributes([System.Runtime.InteropServices.DllImportAttribute], $false)
            if (-not $import) { continue }
            $entryPoint = if ($import[0].EntryPoint) { $import[0].EntryPoint } else { $method.Name }
            $script:Bound[$entryPoint] = $method
        }
        function ConvertTo-PascalCase { param([string]$Name) -join ($Name -split '_' | ForEach-Object { $_.Substring(0, 1).ToUpperInvariant() + $_.Substring(1) }) }
    }

    It 'declares exactly the functions of the header' {
        $script:Declarations.Count | Should -BeGreaterThan 10
        @($script:Bound.Keys) | Sort-Object | Should -Be (@($script:Declarations.Keys) | Sort-Object)
        @([SPOCrossTenant.Native]::ExportNames()) | Sort-Object | Should -Be (@($script:Declarations.Keys) | Sort-Object)
    }

    It 'agrees on the return and parameter types of every function' {
        foreach ($name in $script:Declarations.Keys) {
            $declaration = $script:Declarations[$name]
            $method = $script:Bound[$name]
            $method | Should -Not -BeNullOrEmpty -Because "$name is in the header"
            $expectedReturn = if ($declaration.Return -eq 'void') { 'System.Void' } else { 'System.UInt32' }
            $method.ReturnType.FullName | Should -Be $expectedReturn -Because "$name returns $($declaration.Return)"
            $parameters = $method.GetParameters()
            $parameters.Count | Should -Be $declaration.Parameters.Count -Because "$name has $($declaration.Parameters.Count) parameters"
            for ($i = 0; $i -lt $parameters.Count; $i++) {
                Get-ClrTypeNames $declaration.Parameters[$i] | Should -Contain $parameters[$i].ParameterType.FullName -Because "parameter $i of $name is '$($declaration.Parameters[$i])'"
            }
        }
    }

    It 'lays out spo_result and spo_text field for field' {
        $text = [regex]::Replace((Get-Content -Raw -LiteralPath $script:Header), '/\*.*?\*/', '', 'Singleline')
        $assembly = [SPOCrossTenant.NativeResult].Assembly
        foreach ($struct in @{ C = 'spo_result'; Clr = 'SPOCrossTenant.SpoResult' }, @{ C = 'spo_text'; Clr = 'SPOCrossTenant.SpoText' }) {
            $body = [regex]::Match($text, "(?s)typedef struct\s*(?:\w+\s*)?\{(?<fields>[^}]*)\}\s*$($struct.C)\s*;").Groups['fields'].Value
            $body | Should -Not -BeNullOrEmpty -Because "the header defines $($struct.C)"
            $cFields = @([regex]::Matches($body, '(?<type>[\w ]+?\*?)\s*\b(?<name>\w+)\s*;') | ForEach-Object { $_.Groups['name'].Value })
            $clrFields = @($assembly.GetType($struct.Clr, $true).GetFields([System.Reflection.BindingFlags]'Public, Instance') |
                Sort-Object { [System.Runtime.InteropServices.Marshal]::OffsetOf($assembly.GetType($struct.Clr), $_.Name).ToInt64() } | ForEach-Object Name)
            $clrFields | Should -Be @($cFields | ForEach-Object { ConvertTo-PascalCase $_ }) -Because "$($struct.Clr) mirrors $($struct.C)"
        }
        $pointer = [IntPtr]::Size
        [System.Runtime.InteropServices.Marshal]::SizeOf([System.Activator]::CreateInstance($assembly.GetType('SPOCrossTenant.SpoResult'))) | Should -Be (16 + 10 * 2 * $pointer + $pointer)
    }
}

Describe 'Calling the library directly' {
    It 'accepts NULL in every free function and in cancel' {
        { $script:Native::spo_result_free([IntPtr]::Zero)
            $script:Native::spo_sign_in_free([IntPtr]::Zero)
            $script:Native::spo_connection_free([IntPtr]::Zero)
            $script:Native::spo_operation_free([IntPtr]::Zero)
            $script:Native::spo_operation_cancel([IntPtr]::Zero) } | Should -Not -Throw
        [SPOCrossTenant.NativeResult]::Take([IntPtr]::Zero) | Should -BeNullOrEmpty
    }

    It 'answers NULL handles with SPO_STATUS_NULL_ARGUMENT (2) and a record saying so' {
        $record = [IntPtr]::Zero; $operation = [IntPtr]::Zero
        $script:Native::spo_operation_wait([IntPtr]::Zero, 0, [ref]$record) | Should -Be 2
        (Get-TestRecord $record).Kind | Should -Be 'NullArgument'
        $script:Native::spo_call([IntPtr]::Zero, (ConvertTo-TestUtf8 'GetMySiteHostUrl'), [string[]]@(), [UIntPtr]::Zero, 0, [ref]$operation, [ref]$record) | Should -Be 2
        $operation | Should -Be ([IntPtr]::Zero)
        (Get-TestRecord $record).Status | Should -Be 2
        $script:Native::spo_connection_info([IntPtr]::Zero, [ref]$record) | Should -Be 2
        $null = Get-TestRecord $record
    }

    It 'returns one record with status, kind, error id, parameter and message for a refused argument' {
        $signIn = [IntPtr]::Zero; $record = [IntPtr]::Zero
        $status = $script:Native::spo_sign_in_new((ConvertTo-TestUtf8 'ftp://contoso-admin.sharepoint.com'), [ref]$signIn, [ref]$record)
        $result = Get-TestRecord $record
        $status | Should -Be 4
        $signIn | Should -Be ([IntPtr]::Zero)
        $result.Status | Should -Be 4
        $result.Succeeded | Should -BeFalse
        $result.Sent | Should -BeFalse
        $result.Kind | Should -Be 'InvalidArgument'
        $result.ErrorId | Should -Be 'AdminUrlInvalid'
        $result.Parameter | Should -Be 'Url'
        $result.Message | Should -Match 'ftp'
        $result.Progress.Count | Should -Be 0
    }

    It 'signs in with an access token, describes the connection without the token and frees everything' {
        $connection = New-TestNativeConnection
        try {
            $record = [IntPtr]::Zero
            $script:Native::spo_connection_info($connection, [ref]$record) | Should -Be 0
            $info = (Get-TestRecord $record).Value
            $info | Should -Match '"method":"AccessToken"'
            $info | Should -Match '"adminUrl":"https://contoso-admin\.sharepoint\.com/?"'
            $info | Should -Not -Match 'interop-test-token' -Because 'the description never contains the token'
        } finally { $script:Native::spo_connection_free($connection) }
    }

    It 'passes spo_call arguments as UTF-8 and refuses a bad one before anything is sent' {
        $connection = New-TestNativeConnection
        $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
        try {
            $status = $script:Native::spo_call($connection, (ConvertTo-TestUtf8 'NewSPOTenantOrgRelation'),
                [string[]]@('None', 'Target', 'https://fabrikam-my.sharepoint.com'), [UIntPtr]::new(3), 1000, [ref]$operation, [ref]$record)
            $result = Get-TestRecord $record
            $status | Should -Be 4
            $operation | Should -Be ([IntPtr]::Zero)
            $result.Sent | Should -BeFalse
            $result.ErrorId | Should -Be 'ScenarioNone'
            $result.Parameter | Should -Be 'Scenario'
            # Non-ASCII text goes through as UTF-8 and comes back intact in the message.
            $null = $script:Native::spo_call($connection, (ConvertTo-TestUtf8 'NewSPOTenantOrgRelation'),
                [string[]]@('Nöne€', 'Target', 'https://fabrikam-my.sharepoint.com'), [UIntPtr]::new(3), 1000, [ref]$operation, [ref]$record)
            $result = Get-TestRecord $record
            $result.Status | Should -Be 4
            $result.Message | Should -Match 'Nöne€'
        } finally { $script:Native::spo_connection_free($connection) }
    }

    It 'refuses a count larger than the argument array before calling' {
        $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
        { $script:Native::spo_call([IntPtr]::Zero, (ConvertTo-TestUtf8 'GetMySiteHostUrl'), [string[]]@('a'), [UIntPtr]::new(2), 0, [ref]$operation, [ref]$record) } |
            Should -Throw -ExceptionType ([System.Management.Automation.MethodInvocationException])
    }
}

Describe 'Managed copies of records and errors' {
    It 'builds a ServerException from a record, with every server fact' {
        $result = [SPOCrossTenant.NativeResult]@{ Status = 10; Sent = $true; HttpStatus = 500; Kind = 'Server'; ErrorId = 'ServerError'
            Message = 'The server refused.'; CorrelationId = 'c0ffee'; ServerMessage = 'No.'; ServerErrorCode = '-2147024809'
            ServerErrorTypeName = 'System.ArgumentException' }
        $exception = [SPOCrossTenant.ServerException]::new($result)
        $exception.Message | Should -Be 'The server refused.'
        $exception.Id | Should -Be 'ServerError'
        $exception.Kind | Should -Be 'Server'
        $exception.HttpStatus | Should -Be 500
        $exception.CorrelationId | Should -Be 'c0ffee'
        $exception.ServerErrorCode | Should -Be '-2147024809'
        $exception.ServerErrorTypeName | Should -Be 'System.ArgumentException'
        $exception | Should -BeOfType [System.Exception]
    }
}

Describe 'The hot path of a call (TenantCall and its parts)' {
    It 'turns each kind of argument into the text the engine takes' {
        $arguments = [ordered]@{
            Scenario = [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]::MnA
            Text     = 'fabrikam'
            Wrapped  = [psobject]'wrapped'
            Local    = [datetime]::new(2026, 12, 2, 10, 30, 0, [System.DateTimeKind]::Local)
            Plain    = [datetime]::new(2026, 12, 2, 10, 30, 0)
            Yes      = $true
            Off      = [switch]$false
            Nothing  = $null
            Number   = 3
            List     = @('a', 'b')
        }
        $parts = [SPOCrossTenant.CallArguments]::Convert($arguments, 'https://contoso-admin.sharepoint.com')
        $local = $arguments.Local.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [cultureinfo]::InvariantCulture)
        $parts.Text | Should -Be @('MnA', 'fabrikam', 'wrapped', $local, '2026-12-02T10:30:00.000Z', 'true', 'false', '', '3', 'a b')
        $parts.Target | Should -Be 'https://contoso-admin.sharepoint.com' -Because 'no argument names what the request is about'
        $parts.RefusedParameter | Should -BeNullOrEmpty
    }

    It 'takes the partner or the source as the target, and refuses text with a NUL before anything is sent' {
        $parts = [SPOCrossTenant.CallArguments]::Convert([ordered]@{ Scenario = 'MnA'; PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' }, 'https://contoso-admin.sharepoint.com')
        $parts.Target | Should -Be 'https://fabrikam-my.sharepoint.com'
        $refused = [SPOCrossTenant.CallArguments]::Convert([ordered]@{ SourceUserPrincipalName = "alex`0@contoso.com" }, 'https://contoso-admin.sharepoint.com')
        $refused.Text | Should -BeNullOrEmpty
        $refused.RefusedParameter | Should -Be 'SourceUserPrincipalName'
        $refused.RefusedValue | Should -Be "alex`0@contoso.com"
    }

    It 'shows a call for -Verbose and ShouldProcess with text quoted and other values as they print' {
        [SPOCrossTenant.CallArguments]::Format('NewSPOTenantOrgRelation', [ordered]@{ Scenario = [Microsoft.SharePoint.Client.Administration.OrgRelationScenario]::MnA; PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' }) |
            Should -Be "NewSPOTenantOrgRelation(Scenario=MnA, PartnerCrossTenantHostUrl='https://fabrikam-my.sharepoint.com')"
        [SPOCrossTenant.CallArguments]::Format('GetSPOTenantOrgRelationAll', [ordered]@{}) | Should -Be 'GetSPOTenantOrgRelationAll()'
    }

    It "copies the caller's preferences into the calling scope unless the common parameter was given" {
        # A function in a module, as the commands are: without the copy it would see the global
        # preferences, not these of its caller.
        $null = New-Module -Name SpoPreferenceTest {
            function Test-Preference {
                [CmdletBinding(SupportsShouldProcess)] param()
                $preferences = [SPOCrossTenant.CallerPreference]::Copy($PSCmdlet, $ExecutionContext.SessionState)
                [pscustomobject]@{ ErrorAction = "$ErrorActionPreference"; Verbose = $preferences.Verbose; WhatIf = $preferences.WhatIf; Debug = $preferences.Debug }
            }
        } | Import-Module -PassThru
        $ErrorActionPreference = 'Stop'; $VerbosePreference = 'Continue'; $WhatIfPreference = $true
        try {
            $seen = Test-Preference
            $seen.ErrorAction | Should -Be 'Stop'
            $seen.Verbose | Should -BeTrue
            $seen.WhatIf | Should -BeTrue
            $seen.Debug | Should -BeFalse
            $given = Test-Preference -ErrorAction Continue -Verbose:$false -WhatIf:$false
            $given.ErrorAction | Should -Be 'Continue'
            $given.Verbose | Should -BeFalse
            $given.WhatIf | Should -BeFalse
        } finally {
            $ErrorActionPreference = 'Continue'; $VerbosePreference = 'SilentlyContinue'; $WhatIfPreference = $false
            Remove-Module SpoPreferenceTest
        }
    }

    It 'keeps the connection handle until it is closed, and closes once' {
        $connection = [SPOCrossTenant.TenantConnection]::new((New-TestNativeConnection), 'https://contoso-admin.sharepoint.com/', 0, '')
        $connection.ProcessQueryUrl | Should -Be 'https://contoso-admin.sharepoint.com/_vti_bin/client.svc/ProcessQuery'
        $connection.ClientTag | Should -BeNullOrEmpty
        $connection.Handle | Should -Not -Be ([IntPtr]::Zero)
        $connection.Close()
        $connection.Handle | Should -Be ([IntPtr]::Zero)
        { $connection.Close() } | Should -Not -Throw
    }
}

Describe 'Importing the module' {
    It 'works twice in one session and keeps one binding and one library' {
        $before = [SPOCrossTenant.Native]::LibraryPath
        Import-Module $script:ModuleManifest -Force -ErrorAction Stop
        Import-Module $script:ModuleManifest -Force -ErrorAction Stop
        [SPOCrossTenant.Native]::LibraryPath | Should -Be $before
        @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SPOCrossTenant' }).Count | Should -Be 1
        (Get-Command Set-SPOCrossTenantRelationship).Module.Name | Should -Be 'SPOCrossTenant'
    }

    It 'declares each enum only once per process' {
        $declaring = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object {
            $_.GetType('Microsoft.SharePoint.Client.Administration.OrgRelationScenario', $false) }
        @($declaring).Count | Should -Be 1
    }

    It 'loads its binding from the module folder, compiled, with no compiler at import' {
        [SPOCrossTenant.Native].Assembly.Location | Should -Be (Join-Path (Split-Path $script:ModuleManifest) 'bin/SPOCrossTenant.dll')
        [Microsoft.SharePoint.Client.Administration.OrgRelationRole].Assembly.Location | Should -Be (Join-Path (Split-Path $script:ModuleManifest) 'bin/SPOCrossTenant.Enums.dll')
    }

    It "reuses the enums of Microsoft's module when it loaded them first, and loads only the module's own" {
        # A stand-in for Microsoft's assembly, declaring every Microsoft.* enum the library describes,
        # emitted in the child process before the import.
        $record = [IntPtr]::Zero
        $null = $script:Native::spo_describe([ref]$record)
        $enums = ((Get-TestRecord $record).Value | ConvertFrom-Json -AsHashtable).enums
        $declare = foreach ($name in @($enums.Keys -like 'Microsoft.*')) {
            $members = ($enums[$name].GetEnumerator() | ForEach-Object { "`$e.DefineLiteral('$($_.Key)', [int]$($_.Value)) | Out-Null" }) -join '; '
            "`$e = `$module.DefineEnum('$name', 'Public', [int]); $members; `$null = `$e.CreateType()"
        }
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command @"
`$name = [System.Reflection.AssemblyName]::new('Microsoft.Online.SharePoint.Client.Tenant')
`$module = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly(`$name, 'Run').DefineDynamicModule(`$name.Name)
$($declare -join "`n")
Import-Module '$script:ModuleManifest' -ErrorAction Stop
'ROLE ' + [Microsoft.SharePoint.Client.Administration.OrgRelationRole].Assembly.GetName().Name
'PARAMETER ' + (Get-Command Set-SPOCrossTenantRelationship).Parameters['PartnerRole'].ParameterType.Assembly.GetName().Name
'OURS ' + @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'SPOCrossTenant.Enums' }).Count
'OWN ' + [SPOCrossTenant.CompatibilityStatus].Assembly.GetName().Name
"@
        $output | Should -Contain 'ROLE Microsoft.Online.SharePoint.Client.Tenant' -Because ($output -join "`n")
        $output | Should -Contain 'PARAMETER Microsoft.Online.SharePoint.Client.Tenant'
        $output | Should -Contain 'OURS 0'
        $output | Should -Contain 'OWN SPOCrossTenant.ModuleEnums'
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

    It 'defines at import only what import needs: the first command loads the private code, once; removal does not' {
        $privateCode = Join-Path (Split-Path $script:ModuleManifest) 'SPOCrossTenant.Private.ps1'
        if (-not (Test-Path -LiteralPath $privateCode)) { Set-ItResult -Skipped -Because 'the module under test loads all its code at import (the source tree)'; return }
        # A breakpoint on the private code's first top-level assignment counts how often that file runs.
        $line = (Select-String -LiteralPath $privateCode -Pattern '^\$script:\w+ = ' | Select-Object -First 1).LineNumber
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command @"
`$global:Loads = 0
`$null = Set-PSBreakpoint -Script '$privateCode' -Line $line -Action { `$global:Loads++ }
function Show([string]`$When) {
    `$module = Get-Module SPOCrossTenant
    `$real = & `$module { Get-Command ConvertTo-SpoCallArguments -CommandType Function -ErrorAction SilentlyContinue }
    `$tenantMethod = & `$module { (Get-Command Invoke-SpoTenantMethod -CommandType Function).ScriptBlock.File }
    "`$When loads=`$(`$global:Loads) flag=`$(& `$module { `$script:SpoPrivateCodeLoaded }) private=`$([bool]`$real) stub=`$(`$tenantMethod -notlike '*Private.ps1')"
}
Import-Module '$script:ModuleManifest' -ErrorAction Stop
Show 'IMPORTED'
Get-SPOCrossTenantConnection -ErrorAction SilentlyContinue
Show 'FIRST'
try { Get-SPOCrossTenantHostUrl } catch { }   # not connected
Disconnect-SPOService
Show 'MORE'
Remove-Module SPOCrossTenant
Import-Module '$script:ModuleManifest' -ErrorAction Stop
Remove-Module SPOCrossTenant
"REMOVED loads=`$(`$global:Loads)"
"@
        $text = $output -join "`n"
        $output | Should -Contain 'IMPORTED loads=0 flag=False private=False stub=True' -Because $text
        $output | Should -Contain 'FIRST loads=1 flag=True private=True stub=False' -Because $text
        $output | Should -Contain 'MORE loads=1 flag=True private=True stub=False' -Because $text
        $output | Should -Contain 'REMOVED loads=1' -Because 'removing a module that ran no command closes nothing and loads nothing'
    }

    It 'names the native library it loaded under -Verbose' {
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command "Import-Module '$script:ModuleManifest' -Verbose -ErrorAction Stop 4>&1"
        $rid = [SPOCrossTenant.ModuleLoader]::RuntimeIdentifier
        $expected = Join-Path (Split-Path $script:ModuleManifest) "bin/$rid/$([SPOCrossTenant.ModuleLoader]::NativeFileName)"
        ($output -join "`n") -replace '\r?\n', '' | Should -Match ([regex]::Escape("native library '$expected' ($rid, ABI version 3)"))
    }

    It 'stays quiet without -Verbose' {
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command "Import-Module '$script:ModuleManifest' -ErrorAction Stop 4>&1; 'IMPORTED'"
        $output | Should -Be 'IMPORTED'
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
        $output -join "`n" | Should -Match 'build-module\.sh'
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
        $output -join "`n" | Should -Match 'ABI version 3'
    }

    It 'names the platform, the expected path and how to build when the module has no library for this platform' {
        # A copy of the package without this platform's folder, and no override.
        $copy = Join-Path $TestDrive 'copy/SPOCrossTenant'
        Copy-Item -Recurse -LiteralPath (Split-Path $script:ModuleManifest) -Destination $copy
        $rid = [SPOCrossTenant.ModuleLoader]::RuntimeIdentifier
        Remove-Item -Recurse -Force -LiteralPath (Join-Path $copy "bin/$rid")
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command @"
try { Import-Module '$copy/SPOCrossTenant.psd1' -ErrorAction Stop; 'IMPORTED' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }
"@
        $text = ($output -join "`n") -replace '\r?\n', ''
        $text | Should -Match 'SPOCrossTenant\.LibraryNotFound'
        $text | Should -Match ([regex]::Escape("($rid)"))
        $text | Should -Match ([regex]::Escape("$copy/bin/$rid/$([SPOCrossTenant.ModuleLoader]::NativeFileName)"))
        $text | Should -Match 'build-module\.sh'
        $output | Should -Not -Contain 'IMPORTED'
    }
}
