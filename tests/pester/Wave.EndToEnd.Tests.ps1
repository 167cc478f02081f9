# End-to-end tests of waves (issue 18) through the module, the engine and the emulator over real
# HTTP: piped Start- and Stop- batches keep up to -ThrottleLimit requests in flight, yet write one
# output or error per row in input order; every row is started exactly once, also when the batch
# is killed or stopped with requests in flight and then resumed from its journal; -ErrorAction Stop
# sends no row after a failure; -WhatIf sends nothing; and when the service throttles (a burst of
# 429s, a tenant that takes only so many requests at once, a per-second budget announced by
# RateLimit headers) the wave slows down and loses no row. The emulator's answers are made slow and
# uneven (latency with jitter), so that requests overlap and finish out of order, as against a
# real tenant. The gate's arithmetic itself is tested in Rust (src/transport/throttle_state.rs).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/MoveFixture.ps1')
    Import-ModuleUnderTest
    # Moves stay NotStarted (a long step): these tests are about starting them.
    $script:Emulator = Start-TestEmulator -ExtraArgument '--move-step', '1h'
    $script:Base = $script:Emulator.BaseUrl
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:Partner = $script:Fabrikam.hostUrl
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-wave-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work

    function New-Wave {
        # A clean emulator with trust both ways and $Count movers (wave01...), each mapped to
        # waveNN-new on the target; returns their rows, in order.
        param([int]$Count, [int[]]$Unmapped = @())
        Reset-TestEmulator $script:Emulator
        Set-Trust
        $names = 1..$Count | ForEach-Object { 'wave{0:d3}' -f $_ }
        Add-EmulatorUsers @($names | ForEach-Object { User $_ })
        Add-MapLine @(for ($i = 1; $i -le $Count; $i++) { if ($i -notin $Unmapped) { MapLine $names[$i - 1] "$($names[$i - 1])-new" } })
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/stats"
        foreach ($name in $names) { UserRow $name "$name-new" }
    }

    function Get-StartCount { [int](Get-TestEmulatorStats $script:Emulator).byMethod.StartSPOCrossTenantContentMove }
    function Get-PeakInFlight { [int](Get-TestEmulatorStats $script:Emulator).peakInFlight.contoso }

    function Assert-EachRowStartedOnce {
        param([object[]]$Row)
        $perKey = @(Get-EmulatorMoves | Group-Object SourceContentKey)
        @($perKey | Where-Object Count -GT 1).Name | Should -BeNullOrEmpty -Because 'no move is started twice'
        @($perKey.Name | Sort-Object) | Should -Be @($Row.SourceUserPrincipalName | Sort-Object) -Because 'no row is lost'
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
    Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue
}

Describe 'Overlapped batches' {
    It 'keeps <Limit> request(s) in flight and still writes one object or error per row, in input order' -ForEach @(
        @{ Limit = 8 }, @{ Limit = 1 }
    ) {
        $rows = @(New-Wave 24 -Unmapped 7, 23)
        $rows[14].SourceUserPrincipalName = 'not a user name'   # refused by the engine, nothing sent
        # Slow and uneven answers: requests overlap and finish out of order.
        Add-TestEmulatorFault $script:Emulator 'latency:ms=200:jitter=100'
        $all = @($rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ThrottleLimit $Limit -ErrorAction Continue 2>&1)

        $all.Count | Should -Be 24
        for ($i = 0; $i -lt 24; $i++) {
            $source = $rows[$i].SourceUserPrincipalName
            if ($i + 1 -in 7, 15, 23) {
                $all[$i] | Should -BeOfType System.Management.Automation.ErrorRecord
                $all[$i].ToString() | Should -Match ("^Row $($i + 1) \(" + [regex]::Escape($source) + '\)')
            } else {
                $all[$i].SourceContentKey | Should -Be $source -Because "row $($i + 1) comes out in its place"
            }
        }
        Get-StartCount | Should -Be 23 -Because 'the refused row is never sent, every other row once'
        Get-PeakInFlight | Should -Be $Limit
    }

    It 'stops a batch of moves with the same overlap, in input order' {
        $rows = @(New-Wave 20)
        $null = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorAction Stop
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/stats"
        Add-TestEmulatorFault $script:Emulator 'latency:ms=200:jitter=100'
        $stopped = @($rows | Stop-SPOCrossTenantUserContentMove -ThrottleLimit 6 -ErrorAction Stop)
        @($stopped.SourceContentKey) | Should -Be @($rows.SourceUserPrincipalName)
        @($stopped.MoveState | Sort-Object -Unique) | Should -Be @('Stopped')
        Get-PeakInFlight | Should -Be 6
    }

    It 'sends nothing with -WhatIf, whatever the -ThrottleLimit' {
        $rows = @(New-Wave 3)
        $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ThrottleLimit 16 -WhatIf 6>$null
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be 0
    }

    It 'sends no row after a failure under -ErrorAction Stop: the rows in flight finish, are journaled and named, and the first failure is raised' {
        $rows = @(New-Wave 20 -Unmapped 5)
        Add-TestEmulatorFault $script:Emulator 'latency:ms=300'
        $journal = Join-Path $script:Work 'stop.jsonl'
        $written = [System.Collections.Generic.List[object]]::new()
        $thrown = $null
        try {
            $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ThrottleLimit 4 -JournalPath $journal -ErrorAction Stop -WarningVariable warned -WarningAction SilentlyContinue 6>$null |
                ForEach-Object { $written.Add($_) }
        } catch { $thrown = $_ }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.ToString() | Should -Match ('^Row 5 \(' + [regex]::Escape($rows[4].SourceUserPrincipalName) + '\)')
        @($written.SourceContentKey) | Should -Be @($rows[0..3].SourceUserPrincipalName) -Because 'the rows before the failure come out, in order'
        $started = @(Get-EmulatorMoves).SourceContentKey
        foreach ($i in 8..19) { $started | Should -Not -Contain $rows[$i].SourceUserPrincipalName -Because "row $($i + 1) was never in flight" }
        $inFlight = @($started | Where-Object { $_ -notin $rows[0..3].SourceUserPrincipalName })
        $inFlight.Count | Should -BeGreaterThan 0 -Because 'rows 6 to 8 were in flight when row 5 failed'
        $records = Get-JournalRecord $journal
        ($records | Where-Object { $_.event -eq 'after' -and $_.source -eq $rows[4].SourceUserPrincipalName }).outcome | Should -Be 'NotStarted'
        foreach ($key in $inFlight) {
            ($records | Where-Object { $_.event -eq 'after' -and $_.source -eq $key }).outcome | Should -Be 'Started'
            ($warned -join ' ') | Should -Match ([regex]::Escape($key))
        }
        @($records | Where-Object { $_.event -eq 'before' }).Count | Should -Be ($inFlight.Count + 5) -Because 'nothing after the rows in flight was sent'
        @($records | Where-Object { $_.event -eq 'after' }).Count | Should -Be ($inFlight.Count + 5) -Because 'every row sent is journaled'
    }

    It 'raises the first failed row in input order under -ErrorAction Stop, and journals a refused row behind it' {
        $rows = @(New-Wave 12 -Unmapped 5)
        $rows[5].TargetUserPrincipalName = "wave006-new`0@fabrikam.onmicrosoft.com"   # refused: nothing is sent
        Add-TestEmulatorFault $script:Emulator 'latency:ms=300'
        $journal = Join-Path $script:Work 'stop-refused.jsonl'
        $thrown = $null
        try {
            $null = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ThrottleLimit 4 -JournalPath $journal -ErrorAction Stop -WarningAction SilentlyContinue 6>$null
        } catch { $thrown = $_ }

        $thrown.ToString() | Should -Match '^Row 5 \(' -Because 'row 6 was refused first, but row 5 comes first'
        $after = @{}
        foreach ($record in (Get-JournalRecord $journal | Where-Object event -EQ 'after')) { $after[[int]$record.row] = $record.outcome }
        $after[5] | Should -Be 'NotStarted'
        $after[6] | Should -Be 'NotStarted'
        foreach ($row in 1..4) { $after[$row] | Should -Be 'Started' }
        @(Get-JournalRecord $journal | Where-Object { $_.event -eq 'before' -and [int]$_.row -gt 6 }) | Should -BeNullOrEmpty -Because 'no row is sent after the refused one'
        Get-StartCount | Should -Be 5
    }
}

Describe 'A wave killed or stopped with requests in flight, then resumed' {
    It 'resumes a batch killed with 32 requests in flight, starting every row exactly once' {
        $rows = @(New-Wave 80)
        $csv = Join-Path $script:Work 'killed.csv'
        $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
        $journal = Join-Path $script:Work 'killed.jsonl'
        Add-TestEmulatorFault $script:Emulator 'latency:ms=600:jitter=200'
        $script = Join-Path $script:Work 'killed.ps1'
        @"
Import-Module '$script:ModuleManifest'
Connect-SPOService -Url '$($script:Contoso.adminUrl)' -AccessToken '$($script:Contoso.accessToken)'
Import-Csv -LiteralPath '$csv' | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl '$script:Partner' -ThrottleLimit 32 -JournalPath '$journal' | Out-Null
"@ | Set-Content -LiteralPath $script
        $child = Start-ChildPwsh $script
        try {
            # Kill it once a few rows are done and the window is full again (32 sent, not answered).
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 50
                $records = Get-JournalRecord $journal
                $after = @($records | Where-Object event -EQ 'after').Count
                $open = @($records | Where-Object event -EQ 'before').Count - $after
            } while (($after -lt 10 -or $open -lt 32) -and -not $child.HasExited -and [datetime]::UtcNow -lt $deadline)
            $child.HasExited | Should -BeFalse -Because 'the batch must still be running when it is killed'
            $child.Kill()
            $child.WaitForExit()
        } finally { if (-not $child.HasExited) { $child.Kill() }; $child.Dispose() }
        $open | Should -Be 32 -Because '32 requests were in flight at the kill'

        # Resumed at once: requests of the killed run may still land during the look-ups.
        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/faults"
        $resumed = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorAction Stop 6>$null
        @($resumed).Count | Should -BeLessThan 80
        Assert-EachRowStartedOnce $rows
        $final = @{}
        foreach ($record in (Get-JournalRecord $journal | Where-Object event -EQ 'after')) { $final[$record.source] = $record.outcome }
        $final.Count | Should -Be 80 -Because 'every row ends recorded'
        @($final.Values | Where-Object { $_ -notin 'Found', 'Started' }) | Should -BeNullOrEmpty
    }

    It 'stops sending on Ctrl+C, cancels what is in flight, and resumes without starting a row twice' {
        $rows = @(New-Wave 60)
        $journal = Join-Path $script:Work 'ctrl-c.jsonl'
        Add-TestEmulatorFault $script:Emulator 'latency:ms=800'
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({
                    param($Manifest, $Tenant, $Partner, $Rows, $Journal)
                    Import-Module $Manifest
                    Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken
                    $Rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $Partner -ThrottleLimit 16 -JournalPath $Journal
                }).AddArgument($script:ModuleManifest).AddArgument($script:Contoso).AddArgument($script:Partner).AddArgument($rows).AddArgument($journal)
            $pending = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (@(Get-JournalRecord $journal | Where-Object event -EQ 'after').Count -lt 20 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 2 -Because 'Ctrl+C must act at once, not after the requests in flight'
            $pending.IsCompleted | Should -BeTrue
        } finally { $shell.Dispose() }
        # Requests are counted as they arrive (before the emulator's latency).
        $sentAtStop = (Get-TestEmulatorStats $script:Emulator).processQuery
        Start-Sleep -Milliseconds 1500
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $sentAtStop -Because 'nothing is sent after Ctrl+C'
        $sentAtStop | Should -BeLessThan 60

        $null = Invoke-RestMethod -Method Delete -Uri "$script:Base/_emulator/faults"
        $null = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -JournalPath $journal -Resume -ErrorAction Stop 6>$null
        Assert-EachRowStartedOnce $rows
    }
}

Describe 'The service sets the pace' {
    It 'rides out a burst of 30 throttled answers without failing a row; held requests go out together' {
        $rows = @(New-Wave 40)
        Add-TestEmulatorFault $script:Emulator 'latency:ms=100'
        Add-TestEmulatorFault $script:Emulator '429:retry-after=1:count=30'
        $started = @($rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 0
        $started.Count | Should -Be 40
        Assert-EachRowStartedOnce $rows
        (Get-TestEmulatorStats $script:Emulator).byStatus.'429' | Should -Be 30
        Get-PeakInFlight | Should -BeGreaterOrEqual 8 -Because 'when a hold ends, the requests it held go out together, not one by one'
        $connection = Get-SPOCrossTenantConnection
        $connection.ThrottledAnswers | Should -Be 30
        $connection.InFlightLimit | Should -BeLessThan 16 -Because 'throttling lowered the number sent at once'
        $connection.InFlight | Should -Be 0
    }

    It 'settles at what a tenant that takes 4 requests at a time allows, and loses no row' {
        $rows = @(New-Wave 60)
        Add-TestEmulatorFault $script:Emulator 'latency:ms=50'
        Add-TestEmulatorFault $script:Emulator '429:retry-after=1:in-flight=4'
        $started = @($rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 0
        $started.Count | Should -Be 60
        Assert-EachRowStartedOnce $rows
        (Get-SPOCrossTenantConnection).InFlightLimit | Should -BeLessOrEqual 4
    }

    # That the headers slow requests down before a 429 is tested in Rust (tests/concurrency.rs).
    It 'rides out a per-second budget announced by RateLimit headers without failing a row' {
        $rows = @(New-Wave 60)
        Add-TestEmulatorFault $script:Emulator 'latency:ms=20'
        Add-TestEmulatorFault $script:Emulator '429:retry-after=1:rps=25'
        $started = @($rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 0
        $started.Count | Should -Be 60
        Assert-EachRowStartedOnce $rows
    }

    It 'fails a row only when throttling outlasts -MaxRetrySeconds, saying so' {
        $rows = @(New-Wave 3)
        Connect-SPOService -Url $script:Contoso.adminUrl -AccessToken $script:Contoso.accessToken -MaxRetrySeconds 2
        Add-TestEmulatorFault $script:Emulator '429:retry-after=1'
        $null = $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Partner -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed.Count | Should -Be 3
        $failed[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.Throttled,Start-SPOCrossTenantUserContentMove'
        $failed[0].ToString() | Should -Match 'Gave up after \d+ attempts'
        @(Get-EmulatorMoves).Count | Should -Be 0
    }
}
