# What the move benches share: the built module, an emulator (release build) with contoso and
# fabrikam, and a wave of movers set up on it. Dot-source it; not a bench of its own.

function Get-BenchModulePath {
    # $ModulePath, or the module manifest scripts/build-module.sh puts under dist/; warns when its
    # engine is not the release build (./scripts/test.sh leaves the debug one, several times slower).
    param([string]$RepoRoot, [string]$ModulePath)
    if (-not $ModulePath) {
        $ModulePath = Get-ChildItem -Path (Join-Path $RepoRoot 'dist/SPOCrossTenant') -Filter SPOCrossTenant.psd1 -Recurse -ErrorAction SilentlyContinue |
            Select-Object -First 1 -ExpandProperty FullName
        if (-not $ModulePath) { throw 'No built module under dist/; run ./scripts/build-module.sh first.' }
    }
    $libraryName = if ($IsWindows) { 'spo_crosstenant.dll' } elseif ($IsMacOS) { 'libspo_crosstenant.dylib' } else { 'libspo_crosstenant.so' }
    $rid = "$(if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' })-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
    $moduleLibrary = Join-Path (Split-Path -Parent $ModulePath) "bin/$rid/$libraryName"
    $releaseLibrary = Join-Path $RepoRoot "target/release/$libraryName"
    if ((Test-Path -LiteralPath $moduleLibrary) -and (-not (Test-Path -LiteralPath $releaseLibrary) -or
            (Get-FileHash -LiteralPath $moduleLibrary).Hash -ne (Get-FileHash -LiteralPath $releaseLibrary).Hash)) {
        Write-Warning "The module's engine ($moduleLibrary) is not the release build in target/release: run ./scripts/build-module.sh first, or the figures measure a debug engine."
    }
    $ModulePath
}

function Start-BenchEmulator {
    # Starts target/release/spo-emulator on a free port with contoso and fabrikam and $Argument;
    # returns @{ Process; Base; Contoso; Fabrikam; Work } (Work: a scratch folder).
    param([string]$RepoRoot, [string[]]$Argument = @())
    $path = Join-Path $RepoRoot "target/release/spo-emulator$(if ($IsWindows) { '.exe' })"
    if (-not (Test-Path -LiteralPath $path)) { throw "No release emulator at $path; run 'cargo build --release --workspace'." }
    $work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-bench-$PID"
    $null = New-Item -ItemType Directory -Force -Path $work
    $start = [System.Diagnostics.ProcessStartInfo]::new($path)
    foreach ($item in @('--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--log', (Join-Path $work 'emulator.log')) + $Argument) {
        $start.ArgumentList.Add($item)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000)) { $process.Kill(); throw 'The emulator did not start within 20 s.' }
    $startup = $firstLine.Result | ConvertFrom-Json
    @{ Process = $process; Base = "http://$($startup.listen)"; Contoso = $startup.tenants.contoso; Fabrikam = $startup.tenants.fabrikam; Work = $work }
}

function Stop-BenchEmulator {
    param([hashtable]$Emulator)
    if (-not $Emulator) { return }
    if (-not $Emulator.Process.HasExited) { $Emulator.Process.Kill(); $null = $Emulator.Process.WaitForExit(10000) }
    $Emulator.Process.Dispose()
    Remove-Item -Recurse -Force -LiteralPath $Emulator.Work -ErrorAction SilentlyContinue
}

function New-BenchWaveFiles {
    # Writes users.csv ($Moves rows, mover1...) and identity-map.csv for them; returns both paths.
    param([hashtable]$Emulator, [int]$Moves)
    $csv = Join-Path $Emulator.Work 'users.csv'
    $map = Join-Path $Emulator.Work 'identity-map.csv'
    1..$Moves | ForEach-Object { [pscustomobject]@{ SourceUserPrincipalName = "mover$_@contoso.onmicrosoft.com"; TargetUserPrincipalName = "mover$_@fabrikam.onmicrosoft.com" } } |
        Export-Csv -LiteralPath $csv -NoTypeInformation
    Set-Content -LiteralPath $map -Value (1..$Moves | ForEach-Object { "User,$($Emulator.Contoso.companyId),mover$_@contoso.onmicrosoft.com,mover$_@fabrikam.onmicrosoft.com,mover$_@fabrikam.onmicrosoft.com,RegularUser" })
    @{ Csv = $csv; Map = $map }
}

function Initialize-BenchWave {
    # A clean emulator with what a wave of $Moves user moves needs: licensed movers with a OneDrive
    # on contoso, the same names without one on fabrikam, the trust on both sides and the identity
    # map uploaded on fabrikam. Leaves the session connected to contoso (the source); returns the
    # seconds the identity map upload took. No fault is armed.
    param([hashtable]$Emulator, [int]$Moves, [string]$Map)
    $base = $Emulator.Base
    $null = Invoke-RestMethod -Method Delete -Uri "$base/_emulator/faults"
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/reset"
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/tenants/contoso/users" -ContentType 'text/plain' -Body ((1..$Moves | ForEach-Object { "mover$_@contoso.onmicrosoft.com" }) -join "`n")
    $null = Invoke-RestMethod -Method Post -Uri "$base/_emulator/tenants/fabrikam/users" -ContentType 'text/plain' -Body ((1..$Moves | ForEach-Object { "mover$_@fabrikam.onmicrosoft.com,no-onedrive" }) -join "`n")
    Connect-SPOService -Url $Emulator.Fabrikam.adminUrl -AccessToken $Emulator.Fabrikam.accessToken
    Set-SPOCrossTenantRelationship MnA Source $Emulator.Contoso.hostUrl
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    Add-SPOTenantIdentityMap $Map -ErrorAction Stop
    $seconds = $clock.Elapsed.TotalSeconds
    Connect-SPOService -Url $Emulator.Contoso.adminUrl -AccessToken $Emulator.Contoso.accessToken
    Set-SPOCrossTenantRelationship MnA Target $Emulator.Fabrikam.hostUrl
    $null = Invoke-RestMethod -Method Delete -Uri "$base/_emulator/stats"
    $seconds
}

function Get-WorkingSetMiB {
    # This process's working set after a full garbage collection.
    [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
    $process = [System.Diagnostics.Process]::GetCurrentProcess()
    $process.Refresh()
    [math]::Round($process.WorkingSet64 / 1MB, 1)
}
