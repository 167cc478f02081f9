# Starting, driving and stopping target/debug/spo-emulator for end-to-end tests.
# Needs 'cargo build --workspace' to have run (the runner and CI scripts do that).

function Start-TestEmulator {
    # Starts the emulator on a free loopback port and returns its first stdout line, parsed:
    # listen address, per tenant adminUrl, hostUrl, accessToken (and sign-in details), the
    # identity authority and the managed identity endpoint.
    # -DormantPeriod: how long new relations wait (no waiting period unless a suite tests it).
    param([string[]]$Tenant = @('contoso', 'fabrikam'), [string[]]$ExtraArgument = @(), [string]$DormantPeriod = '0s')
    $exe = Join-Path $script:RepoRoot "target/debug/$(Get-TestExecutableName 'spo-emulator')"
    if (-not (Test-Path -LiteralPath $exe)) { throw "The emulator '$exe' is missing; run 'cargo build --workspace' in $script:RepoRoot first." }
    $log = [System.IO.Path]::GetTempFileName()
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($argument in @('--listen', '127.0.0.1:0', '--dormant-period', $DormantPeriod, '--log', $log) + @($Tenant | ForEach-Object { '--tenant', $_ }) + $ExtraArgument) {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $firstLine = $process.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000) -or -not $firstLine.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The emulator did not print its address within 20 s. Log: $(Get-Content -Raw -LiteralPath $log)"
    }
    $info = $firstLine.Result | ConvertFrom-Json
    [pscustomobject]@{
        Process = $process
        Log     = $log
        BaseUrl = "http://$($info.listen)"
        Tenants = $info.tenants
        Authority = $info.tenants.$($Tenant[0]).authority
        ManagedIdentity = $info.managedIdentity
    }
}

function Stop-TestEmulator {
    # Stops the emulator this suite started (by its process object, nothing else).
    param($Emulator)
    if (-not $Emulator) { return }
    if (-not $Emulator.Process.HasExited) {
        $Emulator.Process.Kill()
        $null = $Emulator.Process.WaitForExit(10000)
    }
    $Emulator.Process.Dispose()
    Remove-Item -LiteralPath $Emulator.Log -ErrorAction SilentlyContinue
}

function Get-TestEmulatorStats {
    # Request counters: processQuery, byMethod, byStatus, byTenant, faultsInjected.
    param($Emulator)
    Invoke-RestMethod -Method Get -Uri "$($Emulator.BaseUrl)/_emulator/stats"
}

function Reset-TestEmulator {
    # Zeroes the counters, disarms faults and forgets all relations, so each test starts clean.
    param($Emulator)
    $null = Invoke-RestMethod -Method Delete -Uri "$($Emulator.BaseUrl)/_emulator/stats"
    $null = Invoke-RestMethod -Method Delete -Uri "$($Emulator.BaseUrl)/_emulator/faults"
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUrl)/_emulator/reset"
}

function Add-TestEmulatorFault {
    # Arms a fault, e.g. '429:count=1' or 'latency:ms=3000' (see emulator/src/faults/spec.rs).
    param($Emulator, [string]$Spec)
    $null = Invoke-RestMethod -Method Post -Uri "$($Emulator.BaseUrl)/_emulator/faults" -ContentType 'application/json' -Body (ConvertTo-Json $Spec)
}
