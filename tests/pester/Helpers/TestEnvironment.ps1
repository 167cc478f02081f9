# Paths shared by the Pester suites. Dot-source it in BeforeAll (Pester 5 runs discovery and the
# tests in separate phases, so helpers must be loaded where the tests run).

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
# The tests run the BUILT module, as users get it: dist/SPOCrossTenant/<version>/ written by
# scripts/build-module.ps1 (scripts/test.sh builds it with -Configuration Debug first), the version
# being Cargo.toml's. SPO_TEST_MODULE may name another manifest (e.g. an installed copy).
$script:ModuleVersion = [regex]::Match((Get-Content -Raw -LiteralPath (Join-Path $script:RepoRoot 'Cargo.toml')),
    '(?ms)^\[package\]\s*$.*?^version\s*=\s*"([^"]+)"').Groups[1].Value
$script:ModuleFolder = Join-Path $script:RepoRoot "dist/SPOCrossTenant/$script:ModuleVersion"
$script:ModuleManifest = if ($env:SPO_TEST_MODULE) { $env:SPO_TEST_MODULE } else { Join-Path $script:ModuleFolder 'SPOCrossTenant.psd1' }
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The module under test '$script:ModuleManifest' is missing: run './scripts/build-module.sh -Configuration Debug' in $script:RepoRoot first (scripts/test.sh does)."
}

function Get-TestExecutableName {
    # Cargo binaries carry .exe on Windows only.
    param([string]$Name)
    if ($IsWindows) { "$Name.exe" } else { $Name }
}

function Import-ModuleUnderTest {
    # A fresh copy of the module for each test file, so files do not see each other's connection.
    # -WithPrivateCode: see Import-TestPrivateCode.
    param([switch]$WithPrivateCode)
    Import-Module $script:ModuleManifest -Force -ErrorAction Stop
    if ($WithPrivateCode) { Import-TestPrivateCode }
}

function Import-TestPrivateCode {
    # The built module defines at import only what import needs and loads the rest of its private
    # code with the first command that needs it. Tests that reach into module scope for private
    # functions or their variables before any command ran load it here, as that command would.
    & (Get-Module SPOCrossTenant) { Import-SpoPrivateCode }
}

function Get-TestLibraryPath {
    # The native library the module bound, read from the module's own state.
    [SPOCrossTenant.Native]::LibraryPath
}

function Invoke-ChildPwsh {
    # Runs a command in a new pwsh process (for things that must not touch this session, e.g. an
    # import that is meant to fail) and returns its output lines, error stream included.
    param([Parameter(Mandatory)][string]$Command, [hashtable]$Environment = @{})
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $arguments = @('-NoProfile', '-NonInteractive', '-Command', $Command)
    if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') {
        # pwsh installed as a .NET tool runs as 'dotnet pwsh.dll'.
        $arguments = @([System.Environment]::GetCommandLineArgs()[0]) + $arguments
    }
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
    try {
        & $pwsh @arguments 2>&1 | ForEach-Object { "$_" }
    } finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}
