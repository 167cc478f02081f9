# Opening the HTML reports in a real browser: headless Chromium (the Debian package
# chromium-headless-shell, installed by scripts/install-chromium.sh), driven through its DevTools
# protocol over a WebSocket. A page is loaded at a given window size; the script errors, console
# errors and log errors it raises are collected; JavaScript run in it answers questions about the
# layout and the rows, and clicks like a reader.

function Get-TestChromium {
    # The headless Chromium binary: SPO_TEST_CHROMIUM, else what scripts/install-chromium.sh finds
    # (or installs, with apt-get, when it is missing).
    if ($env:SPO_TEST_CHROMIUM) { return $env:SPO_TEST_CHROMIUM }
    $found = & bash (Join-Path $script:RepoRoot 'scripts/install-chromium.sh') 2>$null
    if ($LASTEXITCODE -or -not $found) { throw 'No headless Chromium: run scripts/install-chromium.sh (it installs chromium-headless-shell), or set SPO_TEST_CHROMIUM.' }
    $env:SPO_TEST_CHROMIUM = "$found".Trim()
    $env:SPO_TEST_CHROMIUM
}

function Start-TestBrowser {
    # Starts Chromium with a window of $Width x $Height and connects to its first page.
    param([int]$Width = 1280, [int]$Height = 900)
    $binary = Get-TestChromium
    $profile = Join-Path ([System.IO.Path]::GetTempPath()) "spo-chromium-$([guid]::NewGuid())"
    $null = New-Item -ItemType Directory -Path $profile
    # Through 'sh -c exec': its chatter goes nowhere, it holds none of our streams open, and the process is Chromium itself.
    $start = [System.Diagnostics.ProcessStartInfo]::new('/bin/sh')
    foreach ($argument in '-c', 'exec "$0" "$@" >/dev/null 2>&1', $binary, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
        '--hide-scrollbars', '--remote-debugging-port=0', "--user-data-dir=$profile", "--window-size=$Width,$Height", 'about:blank') {
        $start.ArgumentList.Add($argument)
    }
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    # Chromium writes the port it chose into DevToolsActivePort in its profile folder.
    $portFile = Join-Path $profile 'DevToolsActivePort'
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path -LiteralPath $portFile) -or -not (Get-Content -LiteralPath $portFile -ErrorAction SilentlyContinue)) {
        if ($process.HasExited -or [datetime]::UtcNow -gt $deadline) {
            if (-not $process.HasExited) { $process.Kill() }
            throw "Chromium ($binary) did not open its DevTools port within 30 s."
        }
        Start-Sleep -Milliseconds 50
    }
    $port = [int](Get-Content -LiteralPath $portFile)[0]
    $targets = Invoke-RestMethod "http://127.0.0.1:$port/json/list" -TimeoutSec 10   # one array, not enumerated
    $page = @($targets | Where-Object type -EQ 'page')[0]
    if (-not $page) { $process.Kill(); throw "Chromium ($binary) opened no page to drive." }
    $socket = [System.Net.WebSockets.ClientWebSocket]::new()
    $socket.Options.KeepAliveInterval = [timespan]::Zero
    $connecting = [System.Threading.CancellationTokenSource]::new([timespan]::FromSeconds(10))
    try { $null = $socket.ConnectAsync([uri]$page.webSocketDebuggerUrl, $connecting.Token).GetAwaiter().GetResult() } finally { $connecting.Dispose() }
    $browser = @{ Process = $process; Profile = $profile; Socket = $socket; NextId = 0; Events = [System.Collections.Generic.List[object]]::new() }
    foreach ($domain in 'Page', 'Runtime', 'Log') { $null = Invoke-TestCdp $browser "$domain.enable" }
    $null = Invoke-TestCdp $browser 'Emulation.setDeviceMetricsOverride' @{ width = $Width; height = $Height; deviceScaleFactor = 1; mobile = $false }
    $browser
}

function Stop-TestBrowser {
    param([hashtable]$Browser)
    if (-not $Browser) { return }
    try { $null = Invoke-TestCdp $Browser 'Browser.close' -NoAnswer } catch { }
    $Browser.Socket.Dispose()
    if (-not $Browser.Process.WaitForExit(5000)) { $Browser.Process.Kill() }
    $Browser.Process.Dispose()
    Remove-Item -Recurse -Force -LiteralPath $Browser.Profile -ErrorAction SilentlyContinue
}

function Receive-TestCdpMessage {
    # The next message from the browser, parsed (a command's answer or an event).
    param([hashtable]$Browser, [int]$TimeoutSeconds = 30)
    $buffer = [byte[]]::new(65536)
    $message = [System.IO.MemoryStream]::new()
    $cancel = [System.Threading.CancellationTokenSource]::new([timespan]::FromSeconds($TimeoutSeconds))
    try {
        do {
            $segment = [System.ArraySegment[byte]]::new($buffer)
            $received = $Browser.Socket.ReceiveAsync($segment, $cancel.Token).GetAwaiter().GetResult()
            $message.Write($buffer, 0, $received.Count)
        } until ($received.EndOfMessage)
    } finally { $cancel.Dispose() }
    [System.Text.Encoding]::UTF8.GetString($message.ToArray()) | ConvertFrom-Json -Depth 64
}

function Invoke-TestCdp {
    # Sends one DevTools protocol command and returns its result; events that arrive meanwhile are kept in $Browser.Events.
    param([hashtable]$Browser, [string]$Method, [hashtable]$Params = @{}, [switch]$NoAnswer)
    $id = ++$Browser.NextId
    $text = @{ id = $id; method = $Method; params = $Params } | ConvertTo-Json -Depth 16 -Compress
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($text)
    $null = $Browser.Socket.SendAsync([System.ArraySegment[byte]]::new($bytes), 'Text', $true, [System.Threading.CancellationToken]::None).GetAwaiter().GetResult()
    if ($NoAnswer) { return }
    while ($true) {
        $answer = Receive-TestCdpMessage $Browser
        if ($answer.PSObject.Properties['id'] -and $answer.id -eq $id) {
            if ($answer.PSObject.Properties['error']) { throw "DevTools $Method failed: $($answer.error.message)" }
            return $answer.result
        }
        if ($answer.PSObject.Properties['method']) { $Browser.Events.Add($answer) }
    }
}

function Open-TestPage {
    # Loads a file into the page and waits for its load event.
    param([hashtable]$Browser, [string]$Path)
    $Browser.Events.Clear()
    $url = ([System.Uri]::new([System.IO.Path]::GetFullPath($Path))).AbsoluteUri
    $null = Invoke-TestCdp $Browser 'Page.navigate' @{ url = $url }
    Wait-TestPageLoad $Browser $Path
}

function Update-TestPage {
    # Reloads the page from inside, as its own meta refresh does, and waits for its load event.
    param([hashtable]$Browser)
    $Browser.Events.Clear()
    $null = Invoke-TestCdp $Browser 'Runtime.evaluate' @{ expression = 'setTimeout(function () { location.reload(); }, 0); 0'; returnByValue = $true }
    Wait-TestPageLoad $Browser 'The reloaded page'
}

function Wait-TestPageLoad {
    # Waits for the page's load event (events since $Browser.Events was last cleared count).
    param([hashtable]$Browser, [string]$What)
    $deadline = [datetime]::UtcNow.AddSeconds(60)
    while (-not @($Browser.Events | Where-Object method -EQ 'Page.loadEventFired').Count) {
        if ([datetime]::UtcNow -gt $deadline) { throw "$What did not load within 60 s." }
        $Browser.Events.Add((Receive-TestCdpMessage $Browser))
    }
}

function Invoke-TestPageScript {
    # Runs JavaScript in the page and returns its value (JSON-like values come back as objects).
    param([hashtable]$Browser, [string]$Expression)
    $result = Invoke-TestCdp $Browser 'Runtime.evaluate' @{ expression = $Expression; returnByValue = $true; awaitPromise = $true }
    if ($result.PSObject.Properties['exceptionDetails']) { throw "The page script failed: $($result.exceptionDetails.exception.description)" }
    $result.result.value
}

function Get-TestPageErrors {
    # The script errors, console errors and log errors the page raised so far, as text.
    param([hashtable]$Browser)
    # A last round trip, so that what the page did before it is in $Browser.Events.
    $null = Invoke-TestPageScript $Browser '0'
    foreach ($event in $Browser.Events) {
        switch ($event.method) {
            'Runtime.exceptionThrown' { "exception: $($event.params.exceptionDetails.exception.description)$($event.params.exceptionDetails.text)" }
            'Runtime.consoleAPICalled' { if ($event.params.type -in 'error', 'assert', 'warning') { "console.$($event.params.type): $(@($event.params.args | ForEach-Object { $_.value }) -join ' ')" } }
            'Log.entryAdded' { if ($event.params.entry.level -in 'error', 'warning') { "log $($event.params.entry.level): $($event.params.entry.text) $($event.params.entry.url)" } }
        }
    }
}
