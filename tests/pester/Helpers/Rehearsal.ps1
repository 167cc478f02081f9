# Rehearsals (issue 21): scripts/rehearse.sh runs a script in a child pwsh against the emulator's
# proxy, and a suite run inside a rehearsal uses that emulator instead of starting its own.
# Dot-source it in BeforeAll after TestEnvironment.ps1 and Emulator.ps1.

function Test-InRehearsal {
    # Whether this pwsh runs inside scripts/rehearse.sh (which sets SPO_REHEARSAL_STARTUP).
    [bool]$env:SPO_REHEARSAL_STARTUP
}

function Get-RehearsalEmulator {
    # The emulator of the rehearsal this pwsh runs in, shaped like Start-TestEmulator's answer
    # (no Process: rehearse.sh owns it and stops it), plus its Proxy and Certificate.
    $info = Get-Content -Raw -LiteralPath $env:SPO_REHEARSAL_STARTUP | ConvertFrom-Json
    $first = @($info.tenants.PSObject.Properties.Name)[0]
    [pscustomobject]@{
        Process         = $null
        Log             = $env:SPO_REHEARSAL_LOG
        BaseUrl         = $env:SPO_REHEARSAL_LISTENER
        Tenants         = $info.tenants
        Authority       = $info.tenants.$first.authority
        ManagedIdentity = $info.managedIdentity
        Proxy           = $info.proxy
        Certificate     = $info.certificate
    }
}

function Use-TestEmulator {
    # The rehearsal's emulator inside a rehearsal, else a new one with contoso and fabrikam.
    if (Test-InRehearsal) { Get-RehearsalEmulator } else { Start-TestEmulator }
}

function Stop-UsedTestEmulator {
    # Stops what Use-TestEmulator started; a rehearsal's emulator is rehearse.sh's to stop.
    param($Emulator)
    if ($Emulator -and $Emulator.Process) { Stop-TestEmulator $Emulator }
}

function Invoke-Rehearsal {
    # Runs scripts/rehearse.sh <Option> -- <Script> <Argument> with the debug emulator, as a user
    # would from a shell, with -Environment added to its environment; returns its exit code,
    # stdout and stderr lines, the request log and the run's folder it names.
    # -SignalWhen: once that file exists, sends -Signal: INT to the rehearsal's process group, as
    # Ctrl+C in a terminal does (the rehearsal runs in a session of its own for that), TERM, HUP
    # or KILL to rehearse.sh alone, as 'kill' does. -AfterSignal runs then, given rehearse.sh's
    # process id, before the output is read (which waits for every process holding it).
    param(
        [string[]]$Option = @(),
        [Parameter(Mandatory)][string]$Script,
        [string[]]$Argument = @(),
        [hashtable]$Environment = @{},
        [string]$SignalWhen,
        [ValidateSet('INT', 'TERM', 'HUP', 'KILL')][string]$Signal = 'INT',
        [scriptblock]$AfterSignal,
        [int]$TimeoutSeconds = 180
    )
    $rehearse = Join-Path $script:RepoRoot 'scripts/rehearse.sh'
    # As from a terminal: Ctrl+C and Ctrl+\ not ignored. A test run started in the background
    # (as CI may start it) inherits SIGINT and SIGQUIT ignored, which bash cannot undo, and the
    # rehearsed script would sleep through the Ctrl+C it is sent.
    $start = [System.Diagnostics.ProcessStartInfo]::new('env')
    $start.ArgumentList.Add('--default-signal=INT,QUIT')
    if ($SignalWhen) { $start.ArgumentList.Add('setsid') }
    foreach ($item in @('bash', $rehearse) + $Option + @('--', $Script) + $Argument) { $start.ArgumentList.Add($item) }
    $start.Environment['SPO_EMULATOR'] = Join-Path $script:RepoRoot "target/debug/$(Get-TestExecutableName 'spo-emulator')"
    # The rehearsal's folder (CA, start-up line, log) goes where Pester cleans up after the test.
    $start.Environment['TMPDIR'] = (New-Item -ItemType Directory -Force -Path (Join-Path $TestDrive 'tmp')).FullName
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    $start.UseShellExecute = $false
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    try {
        $process.StandardInput.Close()
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($SignalWhen) {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not (Test-Path -LiteralPath $SignalWhen) -and -not $process.HasExited -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            if ($process.HasExited -or -not (Test-Path -LiteralPath $SignalWhen)) {
                $ended = $process.HasExited
                if (-not $ended) { $process.Kill($true) }
                $process.WaitForExit()
                $how = if ($ended) { "ended (exit code $($process.ExitCode))" } else { "did not create '$SignalWhen' within 60 s" }
                throw "The rehearsal $how before it could be signalled. Output: $($stdout.Result) $($stderr.Result)"
            }
            # As a user would, signal a script at work, not one between two commands: pwsh under
            # load was seen to let a Ctrl+C that lands as the file appears end it without its
            # finally block.
            Start-Sleep -Milliseconds 500
            if ($Signal -eq 'INT') {
                $group = [int](& ps -o pgid= -p $process.Id).Trim()
                $own = [int](& ps -o pgid= -p $PID).Trim()
                if ($group -eq $own) { throw 'The rehearsal shares this process group; not interrupting it.' }
                & kill -INT -- "-$group"
            } else {
                & kill "-$Signal" $process.Id
            }
            if ($AfterSignal) {
                $null = $process.WaitForExit($TimeoutSeconds * 1000)
                & $AfterSignal $process.Id
            }
        }
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "rehearse.sh did not finish within $TimeoutSeconds s. Output: $($stdout.Result) $($stderr.Result)"
        }
        $process.WaitForExit()
        $errors = @($stderr.Result -split "`r?`n" | Where-Object { $_ })
        $logLine = $errors | Where-Object { $_ -match 'Request log: (.+)$' } | Select-Object -Last 1
        $folderLine = $errors | Where-Object { $_ -match "^rehearse: this run's folder.*: (.+)$" } | Select-Object -Last 1
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = @($stdout.Result -split "`r?`n" | Where-Object { $_ })
            Errors   = $errors
            Log      = if ($logLine -match 'Request log: (.+)$') { $Matches[1] } else { $null }
            Folder   = if ($folderLine -match ': ([^:]+)$') { $Matches[1] } else { $null }
        }
    } finally {
        $process.Dispose()
    }
}

function Test-PortOpen {
    # Whether something accepts connections at host:port (from a URL such as http://127.0.0.1:41234).
    param([Parameter(Mandatory)][string]$Url)
    $uri = [uri]$Url
    $client = [System.Net.Sockets.TcpClient]::new()
    try {
        $client.ConnectAsync($uri.Host, $uri.Port).Wait(2000)
    } catch {
        $false
    } finally {
        $client.Dispose()
    }
}
