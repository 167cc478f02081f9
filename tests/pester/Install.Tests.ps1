# The module as admins get it: its package (dist/repository/SPOCrossTenant.<version>.nupkg, written
# by 'scripts/build-module.ps1 -Package') installs by name from a folder repository into a clean
# pwsh whose user module path is empty, imports by name, runs the trust workflow against the
# emulator and uninstalls without a trace. Import writes no file outside the module folder. One
# multi-platform module carries several bin/<rid>/ folders and picks this machine's.
#
# Every pwsh here is a child process whose per-user folders (HOME, XDG_*, TMPDIR, LOCALAPPDATA,
# APPDATA) are fresh empty folders under $TestDrive, with no PSModulePath inherited.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    $script:Repository = Join-Path $script:RepoRoot 'dist/repository'
    $script:Package = Join-Path $script:Repository "SPOCrossTenant.$script:ModuleVersion.nupkg"
    if (-not (Test-Path -LiteralPath $script:Package)) {
        throw "No package at '$script:Package': run './scripts/build-module.sh -Configuration Debug -Package' first (scripts/test.sh does)."
    }
    $script:NativeFile = if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }
    $script:Rid = "$(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' })-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"

    function New-TestSandbox {
        # Fresh per-user folders; returns the environment a child pwsh gets (a $null value removes a
        # variable). The XDG folders are the defaults under the fresh HOME: PSResourceGet installs
        # for the current user under HOME/.local/share whatever XDG_DATA_HOME says, while pwsh looks
        # for modules under XDG_DATA_HOME, so the two must agree as they do on a real machine.
        param([string]$Name)
        $root = Join-Path $TestDrive $Name
        $home_ = Join-Path $root 'home'
        $folders = [ordered]@{ home = $home_; data = "$home_/.local/share"; config = "$home_/.config"; cache = "$home_/.cache"
            tmp = Join-Path $root 'tmp'; localappdata = Join-Path $root 'localappdata'; appdata = Join-Path $root 'appdata' }
        foreach ($folder in @($folders.Values)) { $null = New-Item -ItemType Directory -Force -Path $folder }
        [pscustomobject]@{
            Root        = $root
            UserModules = if ($IsWindows) { Join-Path $home_ 'Documents/PowerShell/Modules' } else { Join-Path $folders.data 'powershell/Modules' }
            Environment = @{
                HOME = $folders.home; USERPROFILE = $folders.home; XDG_DATA_HOME = $folders.data; XDG_CONFIG_HOME = $folders.config
                XDG_CACHE_HOME = $folders.cache; TMPDIR = $folders.tmp; TMP = $folders.tmp; TEMP = $folders.tmp
                LOCALAPPDATA = $folders.localappdata; APPDATA = $folders.appdata
                PSModulePath = $null; SPO_CROSSTENANT_LIBRARY = $null; SPO_TEST_MODULE = $null
            }
        }
    }

    function Invoke-SandboxPwsh {
        # Runs $Script in a child pwsh inside $Sandbox; returns its output lines, error stream included.
        param($Sandbox, [string]$Script)
        $file = Join-Path $Sandbox.Root "step-$([guid]::NewGuid().ToString('n')).ps1"
        Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`n$Script"
        try { Invoke-ChildPwsh -Environment $Sandbox.Environment -Command "& '$file'" }
        finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
    }

    function Get-TestFileList {
        # Every file under $Path, relative, with digits folded (process ids and the like differ between runs).
        param([string]$Path, [switch]$Exact)
        @(Get-ChildItem -LiteralPath $Path -Recurse -File -Force -ErrorAction SilentlyContinue | ForEach-Object {
                $relative = [System.IO.Path]::GetRelativePath($Path, $_.FullName) -replace '\\', '/'
                if ($Exact) { '{0}|{1}|{2}' -f $relative, $_.Length, $_.LastWriteTimeUtc.Ticks } else { $relative -replace '\d+', '#' }
            } | Sort-Object)
    }
}

# On Windows the user's Documents folder (where Install-PSResource puts modules) cannot be redirected by
# environment variables, so this would install into the real profile: Linux and macOS only.
Describe 'The package installs by name into a clean PowerShell, works, and uninstalls without a trace' -Skip:$IsWindows {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        $script:Sandbox = New-TestSandbox 'install'
        # A folder repository of our own, holding the package only.
        $script:Feed = (New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive 'feed')).FullName
        Copy-Item -LiteralPath $script:Package -Destination $script:Feed
        $script:Installed = Join-Path $script:Sandbox.UserModules "SPOCrossTenant/$script:ModuleVersion"
    }
    AfterAll { Stop-TestEmulator $script:Emulator }

    It 'starts with an empty user module path and no SPOCrossTenant anywhere' {
        $output = Invoke-SandboxPwsh $script:Sandbox @'
"MODULES $(@(Get-Module -ListAvailable SPOCrossTenant).Count)"
"PATH $env:PSModulePath"
'@
        $output | Should -Contain 'MODULES 0'
        ($output | Where-Object { $_ -like 'PATH *' }) | Should -Not -Match ([regex]::Escape($script:RepoRoot))
    }

    It 'registers the folder as a repository and installs SPOCrossTenant from it by name' {
        $output = Invoke-SandboxPwsh $script:Sandbox @"
Register-PSResourceRepository -Name SPOCrossTenantLocal -Uri '$script:Feed'
Install-PSResource SPOCrossTenant -Repository SPOCrossTenantLocal -TrustRepository -Scope CurrentUser
`$installed = Get-InstalledPSResource SPOCrossTenant
"INSTALLED `$(`$installed.Name) `$(`$installed.Version)"
"@
        $output | Should -Contain "INSTALLED SPOCrossTenant $script:ModuleVersion" -Because ($output -join "`n")
        Test-Path -LiteralPath (Join-Path $script:Installed 'SPOCrossTenant.psd1') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $script:Installed "bin/$script:Rid/$script:NativeFile") | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $script:Installed 'bin/SPOCrossTenant.dll') | Should -BeTrue
    }

    It 'imports by name and runs the trust workflow on both tenants against the emulator' {
        $contoso = $script:Emulator.Tenants.contoso
        $fabrikam = $script:Emulator.Tenants.fabrikam
        $output = Invoke-SandboxPwsh $script:Sandbox @"
Import-Module SPOCrossTenant
"BASE `$((Get-Module SPOCrossTenant).ModuleBase)"
`$tenants = @{
    contoso  = @{ Url = '$($contoso.adminUrl)'; Token = '$($contoso.accessToken)' }
    fabrikam = @{ Url = '$($fabrikam.adminUrl)'; Token = '$($fabrikam.accessToken)' }
}
function Use-Tenant([string]`$Name) { Connect-SPOService -Url `$tenants[`$Name].Url -AccessToken `$tenants[`$Name].Token }
Use-Tenant contoso;  `$contosoHost = [string](Get-SPOCrossTenantHostUrl)
Use-Tenant fabrikam; `$fabrikamHost = [string](Get-SPOCrossTenantHostUrl)
"HOSTS `$contosoHost `$fabrikamHost"
Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl `$contosoHost -Confirm:`$false
Use-Tenant contoso
Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl `$fabrikamHost -Confirm:`$false
foreach (`$side in @{ Tenant = 'contoso'; Role = 'Target'; Partner = `$fabrikamHost }, @{ Tenant = 'fabrikam'; Role = 'Source'; Partner = `$contosoHost }) {
    Use-Tenant `$side.Tenant
    `$deadline = [DateTime]::UtcNow.AddSeconds(30)
    do {
        `$status = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole `$side.Role -PartnerCrossTenantHostUrl `$side.Partner
        if (`$status -ne 'GoodToProceed') { Start-Sleep -Milliseconds 200 }
    } until (`$status -eq 'GoodToProceed' -or [DateTime]::UtcNow -gt `$deadline)
    "VERIFIED `$(`$side.Tenant) `$status"
}
Use-Tenant contoso
Remove-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl `$fabrikamHost -Confirm:`$false
Use-Tenant fabrikam
Remove-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl `$contosoHost -Confirm:`$false
`$after = Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl `$contosoHost
"AFTER `$after"
Disconnect-SPOService
'WORKFLOW DONE'
"@
        $text = $output -join "`n"
        $output | Should -Contain "BASE $script:Installed" -Because $text
        $output | Should -Contain "HOSTS $($contoso.hostUrl) $($fabrikam.hostUrl)" -Because $text
        $output | Should -Contain 'VERIFIED contoso GoodToProceed' -Because $text
        $output | Should -Contain 'VERIFIED fabrikam GoodToProceed' -Because $text
        $output | Should -Contain 'AFTER NotEstablished' -Because $text
        $output | Should -Contain 'WORKFLOW DONE' -Because $text
        $stats = Get-TestEmulatorStats $script:Emulator
        $stats.byMethod.NewSPOTenantOrgRelation | Should -Be 2
        $stats.byMethod.RemoveSPOTenantOrgRelation | Should -Be 2
    }

    It 'uninstalls with Uninstall-PSResource and leaves nothing behind' {
        $output = Invoke-SandboxPwsh $script:Sandbox @"
Uninstall-PSResource SPOCrossTenant -Version '$script:ModuleVersion'
"LEFT `$(@(Get-InstalledPSResource SPOCrossTenant -ErrorAction SilentlyContinue).Count)"
"LISTED `$(@(Get-Module -ListAvailable SPOCrossTenant).Count)"
"@
        $output | Should -Contain 'LEFT 0' -Because ($output -join "`n")
        $output | Should -Contain 'LISTED 0'
        Test-Path -LiteralPath (Join-Path $script:Sandbox.UserModules 'SPOCrossTenant') | Should -BeFalse
        # Nothing of the module anywhere in the sandbox's per-user folders (PSResourceGet's own
        # settings, which name the repository, may stay).
        $left = @(Get-ChildItem -LiteralPath $script:Sandbox.Root -Recurse -Force -ErrorAction SilentlyContinue |
            Where-Object { $_.FullName -match 'SPOCrossTenant' -or ($_.Extension -in '.dll', '.so', '.dylib', '.nupkg', '.psm1', '.psd1') })
        $left.FullName | Should -BeNullOrEmpty
    }
}

Describe 'Import writes no file outside the module folder' {
    BeforeAll {
        $script:Emulator = Start-TestEmulator
        # A copy of the built module (the module folder itself is checked too), and a trivial
        # module whose import shows what PowerShell itself writes in a fresh process.
        $script:Copy = Join-Path $TestDrive "modules/SPOCrossTenant/$script:ModuleVersion"
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $script:Copy)
        Copy-Item -Recurse -LiteralPath (Split-Path $script:ModuleManifest) -Destination $script:Copy
        $script:Trivial = Join-Path $TestDrive 'modules/Trivial/1.0.0'
        $null = New-Item -ItemType Directory -Force -Path $script:Trivial
        Set-Content -LiteralPath (Join-Path $script:Trivial 'Trivial.psm1') -Value "function Get-Trivial { 'trivial' }"
    }
    AfterAll { Stop-TestEmulator $script:Emulator }

    It 'adds no file to HOME, XDG_*, TMPDIR, LOCALAPPDATA or APPDATA beyond what PowerShell itself writes, and none in the module' {
        $control = New-TestSandbox 'control'
        $null = Invoke-SandboxPwsh $control "Import-Module '$script:Trivial/Trivial.psm1'; Get-Trivial"
        $expected = Get-TestFileList $control.Root | Where-Object { $_ -notlike 'step-*' }

        $ours = New-TestSandbox 'ours'
        $moduleBefore = Get-TestFileList $script:Copy -Exact
        $contoso = $script:Emulator.Tenants.contoso
        $output = Invoke-SandboxPwsh $ours @"
Import-Module '$script:Copy/SPOCrossTenant.psd1'
Connect-SPOService -Url '$($contoso.adminUrl)' -AccessToken '$($contoso.accessToken)'
"HOST `$(Get-SPOCrossTenantHostUrl)"
Disconnect-SPOService
Remove-Module SPOCrossTenant
'DONE'
"@
        $output | Should -Contain 'DONE' -Because ($output -join "`n")
        $output | Should -Contain "HOST $($contoso.hostUrl)"
        $written = Get-TestFileList $ours.Root | Where-Object { $_ -notlike 'step-*' }
        @($written | Where-Object { $_ -notin $expected }) | Should -BeNullOrEmpty -Because "PowerShell alone writes only: $($expected -join ', ')"
        Get-TestFileList $script:Copy -Exact | Should -Be $moduleBefore
    }
}

Describe 'One multi-platform module: several bin/<rid>/ folders' {
    BeforeAll {
        Import-ModuleUnderTest
        # Stand-ins for the libraries CI builds on the other platforms (never loaded here).
        $script:Natives = Join-Path $TestDrive 'natives'
        $script:Others = [ordered]@{
            'win-x64' = 'spo_crosstenant.dll'; 'win-arm64' = 'spo_crosstenant.dll'; 'linux-x64' = 'libspo_crosstenant.so'
            'linux-arm64' = 'libspo_crosstenant.so'; 'osx-x64' = 'libspo_crosstenant.dylib'; 'osx-arm64' = 'libspo_crosstenant.dylib'
        }
        foreach ($entry in $script:Others.GetEnumerator()) {
            $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:Natives $entry.Key)
            Set-Content -LiteralPath (Join-Path $script:Natives "$($entry.Key)/$($entry.Value)") -Value "stand-in for $($entry.Key)"
        }
        $script:Output = Join-Path $TestDrive 'multi'
        $script:Feed = Join-Path $TestDrive 'multi-feed'
        $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
        $prefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { [System.Environment]::GetCommandLineArgs()[0] })
        $script:BuildLog = & $pwsh @prefix -NoProfile -NonInteractive -File (Join-Path $script:RepoRoot 'scripts/build-module.ps1') `
            -Configuration Debug -NoCargo -OutputRoot $script:Output -NativeDirectory $script:Natives -Package -RepositoryPath $script:Feed 2>&1 | ForEach-Object { "$_" }
        $script:BuildExit = $LASTEXITCODE
        $script:Module = Join-Path $script:Output "SPOCrossTenant/$script:ModuleVersion"
    }

    It 'builds one module with a native folder for each of the six platforms' {
        $script:BuildExit | Should -Be 0 -Because ($script:BuildLog -join "`n")
        $folders = @(Get-ChildItem -LiteralPath (Join-Path $script:Module 'bin') -Directory | ForEach-Object Name | Sort-Object)
        $folders | Should -Be @($script:Others.Keys | Sort-Object)
        foreach ($entry in $script:Others.GetEnumerator()) {
            Test-Path -LiteralPath (Join-Path $script:Module "bin/$($entry.Key)/$($entry.Value)") | Should -BeTrue
        }
        # This machine's own library is the real one, not the stand-in.
        (Get-Item -LiteralPath (Join-Path $script:Module "bin/$script:Rid/$script:NativeFile")).Length | Should -BeGreaterThan 10000
    }

    It 'has a manifest that PowerShell accepts, refers to nothing outside the module folder, and packs every platform' {
        $manifest = Test-ModuleManifest -Path (Join-Path $script:Module 'SPOCrossTenant.psd1') -ErrorAction Stop
        $manifest.Version.ToString() | Should -Be $script:ModuleVersion
        $manifest.PowerShellVersion.ToString() | Should -Be '7.4'
        Get-ChildItem -LiteralPath $script:Module -Recurse -File -Include *.psd1, *.psm1, *.ps1xml |
            Select-String -SimpleMatch -Pattern $script:RepoRoot | Should -BeNullOrEmpty -Because 'nothing in the package refers to the source tree'
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead((Join-Path $script:Feed "SPOCrossTenant.$script:ModuleVersion.nupkg"))
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        foreach ($entry in $script:Others.GetEnumerator()) { $entries | Should -Contain "bin/$($entry.Key)/$($entry.Value)" }
        $entries | Should -Contain 'bin/SPOCrossTenant.dll'
        $entries | Should -Contain 'SPOCrossTenant.psd1'
    }

    It 'is generated from module/ by glob: every source file once, in order; exports from the Public file names and [Alias()]' {
        $source = Join-Path $script:RepoRoot 'module'
        $private = [System.IO.Directory]::GetFiles("$source/Private", '*.ps1', 'AllDirectories'); [System.Array]::Sort($private, [System.StringComparer]::Ordinal)
        $public = [System.IO.Directory]::GetFiles("$source/Public", '*.ps1'); [System.Array]::Sort($public, [System.StringComparer]::Ordinal)
        $expected = @($private) + @($public) | ForEach-Object { [System.IO.Path]::GetRelativePath($source, $_) -replace '\\', '/' }
        # Two files: the script module (what import needs, the Public commands last) and the private
        # code it loads on first use; each in order, together every source file once.
        $regions = @{}
        foreach ($file in 'SPOCrossTenant.psm1', 'SPOCrossTenant.Private.ps1') {
            $regions[$file] = @(Select-String -LiteralPath (Join-Path $script:Module $file) -Pattern '^#region (.+)$' | ForEach-Object { $_.Matches[0].Groups[1].Value })
            $regions[$file] | Should -Be @($expected | Where-Object { $_ -in $regions[$file] })
        }
        @($regions['SPOCrossTenant.psm1'] | Where-Object { $_ -like 'Public/*' }) | Should -Be @($expected -like 'Public/*')
        @($regions['SPOCrossTenant.psm1'] + $regions['SPOCrossTenant.Private.ps1'] | Sort-Object { [array]::IndexOf($expected, $_) }) | Should -Be $expected
        $regions['SPOCrossTenant.Private.ps1'] | Should -Not -BeNullOrEmpty
        $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Module 'SPOCrossTenant.psd1')
        $manifest.FunctionsToExport | Should -Be @($public | ForEach-Object { [System.IO.Path]::GetFileNameWithoutExtension($_) })
        $aliases = foreach ($file in $public) {
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file, [ref]$null, [ref]$null)
            # The command's own aliases: [Alias()] on its param block (a parameter's aliases are not commands).
            $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.AttributeAst] -and $node.TypeName.Name -eq 'Alias' -and
                    $node.Parent -is [System.Management.Automation.Language.ParamBlockAst] }, $true) |
                ForEach-Object { $_.PositionalArguments.Value }
        }
        @($manifest.AliasesToExport) | Should -Be @($aliases)
        $manifest.ModuleVersion | Should -Be $script:ModuleVersion
    }

    It 'loads the library of this platform ($script:Rid) from the multi-platform module' {
        $output = Invoke-ChildPwsh -Environment @{ SPO_CROSSTENANT_LIBRARY = $null } -Command "Import-Module '$script:Module/SPOCrossTenant.psd1' -Verbose -ErrorAction Stop 4>&1; [SPOCrossTenant.Native]::LibraryPath"
        $output | Select-Object -Last 1 | Should -Be (Join-Path $script:Module "bin/$script:Rid/$script:NativeFile")
    }

    It 'finds bin/<rid>/ for every platform by operating system and architecture' {
        # The same rule the loader applies at import, checked for each platform the package carries.
        foreach ($entry in $script:Others.GetEnumerator()) {
            $os, $arch = $entry.Key -split '-'
            $file = switch ($os) { 'win' { 'spo_crosstenant.dll' } 'osx' { 'libspo_crosstenant.dylib' } default { 'libspo_crosstenant.so' } }
            $file | Should -Be $entry.Value
            [System.Runtime.InteropServices.Architecture].GetEnumNames().ToLowerInvariant() | Should -Contain $arch
        }
        [SPOCrossTenant.ModuleLoader]::RuntimeIdentifier | Should -Be $script:Rid
        [SPOCrossTenant.ModuleLoader]::NativeFileName | Should -Be $script:NativeFile
        if (-not $env:SPO_CROSSTENANT_LIBRARY) {
            [SPOCrossTenant.ModuleLoader]::FindLibrary($script:Module, $TestDrive) | Should -Be (Join-Path $script:Module "bin/$script:Rid/$script:NativeFile")
        }
    }
}
