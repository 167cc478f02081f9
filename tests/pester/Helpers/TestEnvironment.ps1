# Paths shared by the Pester suites. Dot-source it in BeforeAll (Pester 5 runs discovery and the
# tests in separate phases, so helpers must be loaded where the tests run).

$script:RepoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../..'))
$script:ModuleManifest = Join-Path $script:RepoRoot 'module/SPOCrossTenant.psd1'

function Get-TestExecutableName {
    # Cargo binaries carry .exe on Windows only.
    param([string]$Name)
    if ($IsWindows) { "$Name.exe" } else { $Name }
}

function Import-ModuleUnderTest {
    # A fresh copy of the module for each test file, so files do not see each other's connection.
    Import-Module $script:ModuleManifest -Force -ErrorAction Stop
}

function Get-TestLibraryPath {
    # The native library the module bound, read from the module's own state.
    & (Get-Module SPOCrossTenant) { $script:SpoNativePath }
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
