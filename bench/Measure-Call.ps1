#!/usr/bin/env pwsh
<#
.SYNOPSIS
Benchmarks the cost of one module call against the emulator, and where it goes. Not a test.

.DESCRIPTION
Everything is measured in one run, against one emulator, in interleaved blocks: each round runs
every contender for -CallsPerBlock calls, in the same order, and the table reports the median
over -Blocks rounds of the mean time per call, so machine load hits all contenders alike. The
measured rounds start at steady state: after unmeasured rounds until three in a row made .NET
compile next to nothing (it optimises hot code late and in bursts; earlier figures are 2-4 times
higher and compare how far each path is from optimised rather than what it costs).

Contenders (all send, or would send, the same NewSPOTenantOrgRelation request):
  Set-SPOCrossTenantRelationship   the module command, as admins call it
  Invoke-RestMethod                the same CSOM body posted from the same session (the baseline)
  Error path                       Set- naming its own tenant: the server refuses it, and the
                                   module builds the ErrorRecord (with -ErrorAction SilentlyContinue)
  Empty advanced function          three typed parameters, no body: PowerShell's binding floor
  spo_call from PowerShell         the binding's P/Invoke plus NativeResult.Take, no module code
  spo_call from PowerShell, refused  the same naming its own tenant: the server's error answer alone
And, from a Rust process between rounds (examples/call_floor.rs, release build):
  raw HTTP from Rust               a bare reqwest POST of the body: HTTP and the emulator only
  spo_call from Rust               the engine through its C ABI, no .NET

The breakdown printed below the table subtracts neighbours: PowerShell binding (empty function),
module pipeline (Set - empty function - spo_call from PowerShell), marshalling across P/Invoke
(spo_call from PowerShell - spo_call from Rust), engine (spo_call from Rust - raw HTTP) and
HTTP plus emulator (raw HTTP). Target: Set <= 0.3x Invoke-RestMethod; the error path no slower
than Set plus the server's answer.

.PARAMETER Blocks
How many interleaved rounds.

.PARAMETER CallsPerBlock
How many calls of each contender per round.

.PARAMETER ModulePath
The module manifest to import; defaults to the one scripts/build-module.sh puts under dist/.

.EXAMPLE
./scripts/build-module.sh && pwsh -NoProfile -File bench/Measure-Call.ps1
#>
[CmdletBinding()]
param(
    [ValidateRange(3, 201)][int]$Blocks = 15,
    [ValidateRange(10, 100000)][int]$CallsPerBlock = 200,
    [string]$ModulePath
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path -Parent $PSScriptRoot
. (Join-Path $PSScriptRoot 'BenchEmulator.ps1')
$ModulePath = Get-BenchModulePath -RepoRoot $repoRoot -ModulePath $ModulePath
$emulatorPath = Join-Path $repoRoot "target/release/spo-emulator$(if ($IsWindows) { '.exe' })"
if (-not (Test-Path -LiteralPath $emulatorPath)) { throw "No release emulator at $emulatorPath; run 'cargo build --release --workspace'." }

Write-Host 'Building the Rust floor (examples/call_floor.rs, release)...'
& cargo build --release --quiet --example call_floor --manifest-path (Join-Path $repoRoot 'Cargo.toml')
if ($LASTEXITCODE) { throw 'cargo build --example call_floor failed.' }
$floorPath = Join-Path $repoRoot "target/release/examples/call_floor$(if ($IsWindows) { '.exe' })"

function Get-Median {
    param([double[]]$Values)
    $sorted = @($Values | Sort-Object)
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

$emulatorLog = [System.IO.Path]::GetTempFileName()
$bodyFile = [System.IO.Path]::GetTempFileName()
$start = [System.Diagnostics.ProcessStartInfo]::new($emulatorPath)
foreach ($argument in '--listen', '127.0.0.1:0', '--tenant', 'contoso', '--tenant', 'fabrikam', '--dormant-period', '0s', '--log', $emulatorLog) { $start.ArgumentList.Add($argument) }
$start.UseShellExecute = $false
$start.RedirectStandardOutput = $true
$emulator = [System.Diagnostics.Process]::Start($start)
try {
    $firstLine = $emulator.StandardOutput.ReadLineAsync()
    if (-not $firstLine.Wait(20000)) { throw 'The emulator did not start within 20 s.' }
    $tenants = ($firstLine.Result | ConvertFrom-Json).tenants
    $contoso = $tenants.contoso
    $partner = $tenants.fabrikam.hostUrl
    $own = $contoso.hostUrl

    # Quiet streams for every contender: -Verbose on this script must not slow any down.
    $VerbosePreference = 'SilentlyContinue'
    Import-Module $ModulePath -Force
    Connect-SPOService -Url $contoso.adminUrl -AccessToken $contoso.accessToken
    $handle = & (Get-Module SPOCrossTenant) { $script:SpoConnection.Handle }

    # The CSOM request the module sends (protocol.md section 4), for Invoke-RestMethod and raw HTTP.
    $escapedPartner = [System.Security.SecurityElement]::Escape($partner)
    $body = '<Request xmlns="http://schemas.microsoft.com/sharepoint/clientquery/2009" AddExpandoFieldTypeSuffix="true" SchemaVersion="15.0.0.0" LibraryVersion="16.0.0.0" ApplicationName="SPOCrossTenant benchmark"><Actions><ObjectPath Id="2" ObjectPathId="1" /><Method Name="NewSPOTenantOrgRelation" Id="3" ObjectPathId="1"><Parameters><Parameter Type="Enum">1</Parameter><Parameter Type="Enum">2</Parameter>' +
        "<Parameter Type=`"String`">$escapedPartner</Parameter></Parameters></Method></Actions><ObjectPaths><Constructor Id=`"1`" TypeId=`"{268004ae-ef6b-4e9b-8425-127220d84719}`" /></ObjectPaths></Request>"
    Set-Content -LiteralPath $bodyFile -Value $body -NoNewline
    $request = @{
        Method = 'Post'; Uri = $contoso.adminUrl.TrimEnd('/') + '/_vti_bin/client.svc/ProcessQuery'
        ContentType = 'text/xml'; Body = $body; Headers = @{ Authorization = "Bearer $($contoso.accessToken)" }
    }
    if ((Invoke-RestMethod @request)[0].ErrorInfo) { throw 'The emulator refused the benchmark body.' }

    function Test-EmptyAdvanced {
        [CmdletBinding()]
        param(
            [Parameter(Mandatory, Position = 0)][Microsoft.SharePoint.Client.Administration.OrgRelationScenario]$Scenario,
            [Parameter(Mandatory, Position = 1)][Microsoft.SharePoint.Client.Administration.OrgRelationRole]$PartnerRole,
            [Parameter(Mandatory, Position = 2)][string]$PartnerCrossTenantHostUrl
        )
    }
    # The Rust floor reads the token from its environment, not from a command line others can read.
    $env:SPO_BENCH_ACCESS_TOKEN = $contoso.accessToken
    $method = [System.Text.Encoding]::UTF8.GetBytes("NewSPOTenantOrgRelation`0")
    $arguments = [string[]]@('MnA', 'Target', $partner)
    $refusedArguments = [string[]]@('MnA', 'Target', $own)
    $n = $CallsPerBlock
    $contenders = [ordered]@{
        'Set-SPOCrossTenantRelationship' = { for ($i = 0; $i -lt $n; $i++) { Set-SPOCrossTenantRelationship MnA Target $partner } }
        'Invoke-RestMethod'              = { for ($i = 0; $i -lt $n; $i++) { $null = Invoke-RestMethod @request } }
        'Error path (server refuses)'    = { for ($i = 0; $i -lt $n; $i++) { Set-SPOCrossTenantRelationship MnA Target $own -ErrorAction SilentlyContinue } }
        'Empty advanced function'        = { for ($i = 0; $i -lt $n; $i++) { Test-EmptyAdvanced MnA Target $partner } }
        'spo_call from PowerShell'       = {
            for ($i = 0; $i -lt $n; $i++) {
                $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
                $null = [SPOCrossTenant.Native]::spo_call($handle, $method, $arguments, [UIntPtr]::new(3), 10000, [ref]$operation, [ref]$record)
                $null = [SPOCrossTenant.NativeResult]::Take($record)
            }
        }
        'spo_call from PowerShell, refused' = {
            for ($i = 0; $i -lt $n; $i++) {
                $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
                $null = [SPOCrossTenant.Native]::spo_call($handle, $method, $refusedArguments, [UIntPtr]::new(3), 10000, [ref]$operation, [ref]$record)
                $null = [SPOCrossTenant.NativeResult]::Take($record)
            }
        }
    }
    $samples = @{}
    # Warm-up: .NET compiles hot code again, optimised, after it has run a while (tiered JIT, in the
    # background and in bursts), and PowerShell compiles a script block after it has run a few times.
    # Measured blocks start once three unmeasured rounds in a row compiled next to nothing (at most
    # 60 rounds): before that, the code on the path is still partly unoptimised, which costs most on
    # the paths with the most distinct code, and the figures would compare warm-ups, not calls.
    foreach ($name in $contenders.Keys) { $samples[$name] = [System.Collections.Generic.List[double]]::new() }
    $warmUpRounds = 0; $quietRounds = 0
    do {
        $compiled = [System.Runtime.JitInfo]::GetCompiledMethodCount($false)
        foreach ($name in $contenders.Keys) { $null = & $contenders[$name] }
        $compiled = [System.Runtime.JitInfo]::GetCompiledMethodCount($false) - $compiled
        $quietRounds = if ($compiled -le 10) { $quietRounds + 1 } else { 0 }
        $warmUpRounds++
    } while ($warmUpRounds -lt 60 -and $quietRounds -lt 3)
    $samples['raw HTTP from Rust'] = [System.Collections.Generic.List[double]]::new()
    $samples['spo_call from Rust'] = [System.Collections.Generic.List[double]]::new()
    for ($block = 0; $block -lt $Blocks; $block++) {
        Write-Progress -Activity 'Interleaved blocks' -PercentComplete (100 * $block / $Blocks)
        foreach ($name in $contenders.Keys) {
            # Each block starts with a clean heap, so one contender's garbage is not collected on another's time.
            [GC]::Collect(); [GC]::WaitForPendingFinalizers()
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $null = & $contenders[$name]
            $samples[$name].Add($clock.Elapsed.TotalMilliseconds * 1000 / $n)
        }
        foreach ($line in & $floorPath $contoso.adminUrl $bodyFile $partner $n) {
            $name, $value = $line -split ' '
            $samples[$(if ($name -eq 'raw_http_us') { 'raw HTTP from Rust' } else { 'spo_call from Rust' })].Add([double]$value)
        }
    }
    Write-Progress -Activity 'Interleaved blocks' -Completed
    Disconnect-SPOService
} finally {
    if (-not $emulator.HasExited) { $emulator.Kill(); $null = $emulator.WaitForExit(10000) }
    $emulator.Dispose()
    Remove-Item -LiteralPath $emulatorLog, $bodyFile -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath Env:SPO_BENCH_ACCESS_TOKEN -ErrorAction SilentlyContinue
}

$median = @{}
foreach ($name in $samples.Keys) { $median[$name] = Get-Median $samples[$name] }
$baseline = $median['Invoke-RestMethod']
$order = 'Set-SPOCrossTenantRelationship', 'Invoke-RestMethod', 'Error path (server refuses)', 'Empty advanced function',
'spo_call from PowerShell', 'spo_call from PowerShell, refused', 'spo_call from Rust', 'raw HTTP from Rust'
Write-Host ("pwsh {0} on {1}, {2} CPUs; {3} blocks x {4} calls after {5} warm-up rounds (the last three compiled at most 10 methods each: {6}); median per call" -f $PSVersionTable.PSVersion,
    [System.Runtime.InteropServices.RuntimeInformation]::OSDescription, [Environment]::ProcessorCount, $Blocks, $CallsPerBlock, $warmUpRounds, $(if ($quietRounds -ge 3) { 'steady' } else { 'NOT steady, the figures include warm-up' }))
$order | ForEach-Object {
    [pscustomobject]@{ Contender = $_; 'us/call' = '{0:N1}' -f $median[$_]; 'vs Invoke-RestMethod' = '{0:N2}x' -f ($median[$_] / $baseline) }
} | Format-Table -AutoSize | Out-String -Width 200 | Write-Host

$set = $median['Set-SPOCrossTenantRelationship']
$ratio = $set / $baseline
Write-Host 'Where the time of one Set goes (us):'
$breakdown = [ordered]@{
    'PowerShell parameter binding (empty advanced function)' = $median['Empty advanced function']
    'module pipeline (Set - binding - spo_call from PowerShell)' = $set - $median['Empty advanced function'] - $median['spo_call from PowerShell']
    'P/Invoke marshalling and NativeResult (PowerShell - Rust spo_call)' = $median['spo_call from PowerShell'] - $median['spo_call from Rust']
    'engine (Rust spo_call - raw HTTP)' = $median['spo_call from Rust'] - $median['raw HTTP from Rust']
    'HTTP and emulator (raw HTTP from Rust: the floor)' = $median['raw HTTP from Rust']
}
$breakdown.GetEnumerator() | ForEach-Object { Write-Host ('  {0,-68} {1,8:N1}' -f $_.Key, $_.Value) }
Write-Host ('Set / Invoke-RestMethod = {0:N2}x (target <= 0.30x: {1})' -f $ratio, $(if ($ratio -le 0.3) { 'met' } else { 'NOT met' }))
# No PowerShell command that makes this native call can cost less than binding its parameters plus
# the call itself, whatever the module does in between.
$floor = $median['Empty advanced function'] + $median['spo_call from PowerShell']
Write-Host ('Floor of any command making this call (empty advanced function + spo_call from PowerShell) = {0:N1} us = {1:N2}x Invoke-RestMethod' -f $floor, ($floor / $baseline))
$errorExtra = $median['Error path (server refuses)'] - $set
$answerExtra = $median['spo_call from PowerShell, refused'] - $median['spo_call from PowerShell']
Write-Host ('Error path - success path = {0:N1} us per call: the server''s error answer (spo_call refused - spo_call) {1:N1} us, the module''s ErrorRecord {2:N1} us' -f $errorExtra, $answerExtra, ($errorExtra - $answerExtra))
