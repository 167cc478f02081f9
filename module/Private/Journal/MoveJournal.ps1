# The journal of a batch of Start-SPOCrossTenant*ContentMove (-JournalPath, -Resume): one JSON
# object per line, appended and flushed to disk (not just to the OS) before and after each
# request, so a batch killed at any point leaves a file that says exactly which rows were sent.
#
# Records (every one has "v":1, "event" and "time", UTC ISO-8601):
#   run     a run begins: contentType, rows, resume (true/false)
#   before  a request is about to be sent: row, contentType, source, target, partner
#   after   its outcome: row, contentType, source, outcome, and moveJobId/moveState when started.
#           outcome: Started (the service took it), NotStarted (refused by the engine or the
#           service, or declined at -Confirm: the error is on the error stream), Found (Resume
#           found on the service the move of a "before" without "after")
#   skip    Resume left a row out: row, contentType, source, reason (Started, Found), moveJobId
# A row is identified by its content type and its source key (case-insensitive), as the service
# identifies an active move.
#
# Resume rules: a row whose latest "after" is Started or Found is skipped; a row whose latest
# "before" has no "after" (the process died while the request was in flight) is looked up with
# GetSPOCrossTenantContentMoveState by its key: a move created since that "before" (with ten
# minutes of clock tolerance) or still active means it was started (recorded as Found, skipped);
# none means it was not, and it is started; if the service then refuses that start with
# MnAMoveAlreadyExists, the earlier request landed after the look-up (it was still in flight):
# the row is recorded as Found, with no error. When the look-up fails, the row is NOT started (a
# non-terminating JournalLookupFailed error; run again). Rows NotStarted and rows never seen
# are started. A torn last line (the process died while writing it) is ignored: it can only be
# a record whose request had not been sent yet.

$script:SpoJournalVersion = 1
# How far the client's clock may be behind the service's when matching a "before" to a move.
$script:SpoJournalClockTolerance = [timespan]::FromMinutes(10)

function Get-SpoJournalKey {
    param([string]$ContentType, [string]$Source)
    "$ContentType|$($Source.ToLowerInvariant())"
}

function Open-SpoMoveJournal {
    # Opens (or creates) the journal at $Path for appending and reads what it holds.
    # Returns @{ Path; Stream; Writer; Entries = key -> @{ Before; After } }; a journal that
    # already holds rows without -Resume is refused (JournalExists), so that a second run of the
    # same command cannot start the rows twice by mistake.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Path, [bool]$Resume)
    $file = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path) } catch { $null }
    if (-not $file -or -not [System.IO.Directory]::Exists([System.IO.Path]::GetDirectoryName($file))) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalFolderNotFound -ParameterName JournalPath -TargetObject $Path `
                    -Message "The folder of the journal '$Path' does not exist. Nothing was sent. Give a path in an existing folder, e.g. ./users.journal.jsonl."))
    }
    $entries = @{}
    $endsWithNewLine = $true
    if ([System.IO.File]::Exists($file)) {
        $text = try { [System.IO.File]::ReadAllText($file) } catch {
            $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalUnreadable -ParameterName JournalPath -TargetObject $Path `
                        -Message "The journal '$file' could not be read: $($_.Exception.Message) Nothing was sent."))
        }
        $endsWithNewLine = $text.Length -eq 0 -or $text.EndsWith("`n")
        $lines = $text -split "`r?`n"
        for ($index = 0; $index -lt $lines.Count; $index++) {
            $line = $lines[$index]
            if (-not $line.Trim()) { continue }
            $record = try { ConvertFrom-Json -InputObject $line } catch { $null }
            if (-not $record -or -not $record.event) {
                if ($index -ge $lines.Count - 2) { continue }   # a torn last line
                $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalInvalid -ParameterName JournalPath -TargetObject $Path `
                            -Message "Line $($index + 1) of the journal '$file' is not a journal record. Nothing was sent. Give the journal this command wrote, or a new path."))
            }
            if ($record.event -notin 'before', 'after') { continue }
            $key = Get-SpoJournalKey $record.contentType $record.source
            $entry = $entries[$key]
            if (-not $entry) { $entry = @{ Before = $null; After = $null }; $entries[$key] = $entry }
            if ($record.event -eq 'before') { $entry.Before = $record; $entry.After = $null } else { $entry.After = $record }
        }
        if ($entries.Count -and -not $Resume) {
            $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalExists -ParameterName JournalPath -TargetObject $Path `
                        -Message "The journal '$file' already records $($entries.Count) row(s) of an earlier run. Nothing was sent. Add -Resume to start only the rows not yet started, or give another -JournalPath."))
        }
    }
    try {
        $stream = [System.IO.FileStream]::new($file, [System.IO.FileMode]::Append, [System.IO.FileAccess]::Write, [System.IO.FileShare]::Read)
    } catch {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id JournalUnwritable -ParameterName JournalPath -TargetObject $Path `
                    -Message "The journal '$file' could not be opened for writing: $($_.Exception.Message) Nothing was sent."))
    }
    $writer = [System.IO.StreamWriter]::new($stream, [System.Text.UTF8Encoding]::new($false))
    $writer.NewLine = "`n"
    if (-not $endsWithNewLine) { $writer.WriteLine() }
    @{ Path = $file; Stream = $stream; Writer = $writer; Entries = $entries }
}

function Write-SpoMoveJournalRecord {
    # Appends one record and flushes it to disk before returning.
    param([hashtable]$Journal, [string]$Event, [System.Collections.Specialized.OrderedDictionary]$Fields)
    $record = [ordered]@{ v = $script:SpoJournalVersion; event = $Event; time = [datetime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture) }
    foreach ($entry in $Fields.GetEnumerator()) { $record[$entry.Key] = $entry.Value }
    $Journal.Writer.WriteLine((ConvertTo-Json -InputObject $record -Compress))
    $Journal.Writer.Flush()
    $Journal.Stream.Flush($true)
}

function Close-SpoMoveJournal {
    param([hashtable]$Journal)
    if ($Journal -and $Journal.Writer) { $Journal.Writer.Dispose(); $Journal.Writer = $null }
}

function Find-SpoInterruptedMoves {
    # -Resume: the rows whose earlier request was in flight when its run stopped ("before" with no
    # "after"), all looked up on the service before the batch goes on, up to -ThrottleLimit at a
    # time (a run killed with 32 requests in flight leaves 32 look-ups). Returns key -> the probe
    # (@{ Output; Error }) that Find-SpoJournaledMove reads.
    param([hashtable]$Run)
    $requests = [System.Collections.Generic.List[hashtable]]::new()
    $asked = @{}
    foreach ($row in $Run.Batch.Rows) {
        $kind = Get-SpoMoveKind $row.ContentType
        $key = Get-SpoJournalKey $kind.ContentType ([string]$row[$kind.SourceParameter])
        $entry = $Run.Journal.Entries[$key]
        if (-not $entry -or -not $entry.Before -or $entry.After -or $asked.ContainsKey($key)) { continue }
        $asked[$key] = $true
        $requests.Add(@{ Method = 'GetSPOCrossTenantContentMoveState'; Arguments = (New-SpoMoveStateQuery -Kind $kind -Partner $row.TargetCrossTenantHostUrl -Source $row[$kind.SourceParameter]); Key = $key })
    }
    $lookups = @{}
    if (-not $requests.Count) { return $lookups }
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    foreach ($answer in (Invoke-SpoTenantProbeWindow -Cmdlet $Run.Cmdlet -Requests $requests -ThrottleLimit $Run.Throttle -Verbose $verbose)) {
        $lookups[$answer.Request.Key] = $answer.Probe
    }
    $lookups
}

function Find-SpoJournaledMove {
    # For a row whose "before" has no "after": the moves of that key on the service ($Probe, when
    # Find-SpoInterruptedMoves already asked; otherwise asked now). Returns @{ State = the move
    # that request started, or $null } or @{ Error = ErrorRecord }.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [hashtable]$Kind, [System.Collections.Specialized.OrderedDictionary]$Row, [psobject]$Before, [hashtable]$Probe)
    $probe = if ($Probe) { $Probe } else { Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method GetSPOCrossTenantContentMoveState -Arguments (New-SpoMoveStateQuery -Kind $Kind -Partner $Row.TargetCrossTenantHostUrl -Source $Row[$Kind.SourceParameter]) }
    if ($probe.Error) { return @{ Error = $probe.Error } }
    # ConvertFrom-Json may already have read the time as a [datetime].
    $time = $Before.time
    $sent = if ($time -is [datetime]) { if ($time.Kind -eq 'Local') { $time.ToUniversalTime() } else { $time } }
    else { [datetime]::Parse([string]$time, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]'AdjustToUniversal, AssumeUniversal') }
    $since = $sent - $script:SpoJournalClockTolerance
    $match = $null
    foreach ($state in $probe.Output) {
        $active = $state.MoveState -notin 'Success', 'Failed', 'Stopped'
        if ($active -or ($state.CreatedTime -and $state.CreatedTime -ge $since)) { $match = $state }
    }
    @{ State = $match }
}
