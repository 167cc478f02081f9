# Test-SPOCrossTenantMigrationReadiness's work: the checks, in the order an admin fixes them.
#
# Tenant checks first (trust from the source, compatibility, and with a target connection the
# target's host URL and its side of the trust), then the rows: with a target connection each user
# row's entry in the target's identity map is read (GetTenantUserIdentityMappingItem, the method of
# Get-SPOTenantIdentityMappingUser), while each well-formed row gets a validation-only start (the
# service's own checks: trust, source, licence, identity map, an active move, the target), and
# each site row a long-path check against its new URL. The rows'
# shape and the batch limit ($script:SpoMoveBatchLimit, MoveBatch.ps1) are checked locally, before
# anything is sent. Each finding is written as soon as it is known; the summary and the report
# come at the end.

function Invoke-SpoMigrationReadiness {
    # $Cmdlet is the command's $PSCmdlet; $InputRows the piped objects; the rest its parameters.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Partner, [System.Collections.Generic.List[object]]$InputRows,
        [string]$Path, [string]$TargetAdminUrl, [object]$TargetAccessToken, [string]$ReportPath, [int]$ThrottleLimit = 4)
    $null = [SPOCrossTenant.CallerPreference]::Copy($Cmdlet, $ExecutionContext.SessionState)   # the caller's preferences, into this scope
    # The token lives on only in this function until the target connection holds it: dropped from
    # the command's scope and bound parameters, which error records would otherwise carry.
    Remove-Variable -Name TargetAccessToken -Scope 1 -ErrorAction Ignore
    $null = $Cmdlet.MyInvocation.BoundParameters.Remove('TargetAccessToken')
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $connection = $script:SpoConnection
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    if ($TargetAdminUrl -and -not $TargetAccessToken) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id TargetAccessTokenMissing -ParameterName TargetAccessToken -TargetObject $TargetAdminUrl `
                    -Message 'The target-side checks need -TargetAccessToken (an access token for the target tenant admin site) with -TargetAdminUrl.'))
    }
    if ($TargetAccessToken -and -not $TargetAdminUrl) {
        $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id TargetAdminUrlMissing -ParameterName TargetAdminUrl -TargetObject $null `
                    -Message 'The target-side checks need -TargetAdminUrl (the target tenant admin site, e.g. https://fabrikam-admin.sharepoint.com) with -TargetAccessToken.'))
    }

    # The rows: piped objects, then the CSV's.
    $rows = [System.Collections.Generic.List[object]]::new()
    foreach ($item in $InputRows) { $rows.Add($item) }
    if ($Path) {
        $file = try { $Cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path) } catch { $Path }
        if (-not [System.IO.File]::Exists($file)) {
            $Cmdlet.ThrowTerminatingError((New-SpoArgumentErrorRecord -Id ReadinessFileNotFound -ParameterName Path -TargetObject $Path `
                        -Message "The file '$file' was not found. Give the CSV of the moves (columns as the Start-SPOCrossTenant*ContentMove commands take them)."))
        }
        foreach ($item in @(Import-Csv -LiteralPath $file)) { $rows.Add($item) }
    }
    $reportFiles = $null
    if ($ReportPath) {
        $reportFiles = Resolve-SpoReportPath -Cmdlet $Cmdlet -ReportPath $ReportPath -Example readiness.html
    }

    $findings = [System.Collections.Generic.List[object]]::new()
    $emit = { param($Finding) $findings.Add($Finding); $Finding }
    $started = [System.Diagnostics.Stopwatch]::StartNew()
    $targetConnection = $null
    $activity = "Checking readiness for moves to $Partner"
    try {
        # --- tenant checks ---
        $sourceTarget = "source tenant ($($connection.AdminUrl))"
        $trustOk = $false
        $trust = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method VerifySPOTenantOrgRelation -Arguments ([ordered]@{ Scenario = 'MnA'; PartnerRole = 'Target'; PartnerCrossTenantHostUrl = $Partner }) -Verbose $verbose
        if ($trust.Error -and $trust.Error.CategoryInfo.Category -eq 'InvalidArgument' -and $trust.Error.Exception -is [System.ArgumentException]) {
            # The partner URL itself was refused before anything was sent: nothing else can be checked.
            $Cmdlet.ThrowTerminatingError($trust.Error)
        }
        $hostProbe = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method GetMySiteHostUrl -Arguments ([ordered]@{}) -Verbose $verbose
        if ($hostProbe.Error) {
            & $emit (New-SpoReadinessFinding -Check Connection -Target $sourceTarget -Result Fail -Reason (Get-SpoProbeMessage $hostProbe.Error) `
                    -Fix (Get-SpoProbeFix $hostProbe.Error 'Run Connect-SPOService again for the source tenant, then run this check again.') -TraceCorrelationId (Get-SpoProbeCorrelationId $hostProbe.Error))
            return
        }
        $sourceHost = [string]$hostProbe.Output[0]
        $companyId = Get-SpoTenantCompanyId $connection

        if ($trust.Error) {
            & $emit (New-SpoReadinessFinding -Check SourceTrust -Target $sourceTarget -Result Fail -Reason (Get-SpoProbeMessage $trust.Error) `
                    -Fix (Get-SpoProbeFix $trust.Error "Use the partner's host URL exactly as its admins get it with Get-SPOCrossTenantHostUrl on the target tenant, then run this check again.") `
                    -TraceCorrelationId (Get-SpoProbeCorrelationId $trust.Error))
        } else {
            $status = [string]$trust.Output[0]
            $trustOk = $status -eq 'GoodToProceed'
            & $emit (Get-SpoTrustFinding -Side Source -Status $status -Target $sourceTarget -Partner $Partner -SourceHost $sourceHost -CorrelationId $trust.Output[0].TraceCorrelationId)
        }

        $compatibility = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method XTenantMoveCompatibilityCheck -Arguments ([ordered]@{ PartnerCrossTenantHostUrl = $Partner }) -Verbose $verbose
        if ($compatibility.Error) {
            & $emit (New-SpoReadinessFinding -Check Compatibility -Target $sourceTarget -Result Fail -Reason (Get-SpoProbeMessage $compatibility.Error) `
                    -Fix (Get-SpoProbeFix $compatibility.Error "Run Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $Partner on the source tenant to see the error again.") `
                    -TraceCorrelationId (Get-SpoProbeCorrelationId $compatibility.Error))
        } else {
            $value = $compatibility.Output[0]
            $finding = switch ([string]$value) {
                'Compatible' { New-SpoReadinessFinding -Check Compatibility -Target $sourceTarget -Result Pass -Reason "The source and target tenants are compatible for cross-tenant moves." }
                'Warning' {
                    New-SpoReadinessFinding -Check Compatibility -Target $sourceTarget -Result Warning -Reason 'The service reports a compatibility warning: moves may go on, but some features may not carry over.' `
                        -Fix "Read the warning with Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $Partner | Format-List *; moves may start."
                }
                default {
                    New-SpoReadinessFinding -Check Compatibility -Target $sourceTarget -Result Fail -Reason 'The tenants are not compatible yet: the service refuses moves until they are.' `
                        -Fix "Make sure trust is set on both sides, wait up to 24 hours, then run Get-SPOCrossTenantCompatibilityStatus -PartnerCrossTenantHostUrl $Partner until it says Compatible; if it still says Incompatible, open a support case."
                }
            }
            $finding.TraceCorrelationId = $value.TraceCorrelationId
            & $emit $finding
        }

        # --- target side, on a connection of its own ---
        if ($TargetAdminUrl) {
            $targetName = "target tenant ($TargetAdminUrl)"
            $opened = Open-SpoSideConnection -AdminUrl $TargetAdminUrl -AccessToken $TargetAccessToken
            $TargetAccessToken = $null
            if ($opened.Error) {
                & $emit (New-SpoReadinessFinding -Check TargetConnection -Target $targetName -Result Fail -Reason "Could not sign in to the target tenant: $($opened.Error)" `
                        -Fix "Get a new access token for $TargetAdminUrl (for example Get-AzAccessToken -ResourceUrl $TargetAdminUrl) and give it with -TargetAccessToken.")
            } else {
                $targetConnection = $opened.Connection
                $targetHost = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method GetMySiteHostUrl -Arguments ([ordered]@{}) -Connection $targetConnection -Verbose $verbose
                if ($targetHost.Error) {
                    # The token is checked by the first request; the fix is about -TargetAccessToken, not Connect-SPOService.
                    & $emit (New-SpoReadinessFinding -Check TargetConnection -Target $targetName -Result Fail -Reason "The target tenant refused the request: $(Get-SpoProbeMessage $targetHost.Error)" `
                            -Fix "Check -TargetAdminUrl, and give with -TargetAccessToken a valid access token for $TargetAdminUrl (for example Get-AzAccessToken -ResourceUrl $TargetAdminUrl), from an account that is a SharePoint Administrator of the target tenant." `
                            -TraceCorrelationId (Get-SpoProbeCorrelationId $targetHost.Error))
                    Close-SpoSideConnection $targetConnection; $targetConnection = $null
                } else {
                    $actual = [string]$targetHost.Output[0]
                    & $emit (New-SpoReadinessFinding -Check TargetConnection -Target $targetName -Result Pass -Reason "Signed in to the target tenant for the target-side checks.")
                    if ((Get-SpoNormalizedUrl $actual) -eq (Get-SpoNormalizedUrl $Partner)) {
                        & $emit (New-SpoReadinessFinding -Check TargetHostUrl -Target $targetName -Result Pass -Reason "The partner URL $Partner is the target tenant's host URL.")
                    } else {
                        & $emit (New-SpoReadinessFinding -Check TargetHostUrl -Target $targetName -Result Fail -Reason "The target tenant's host URL is $actual, not ${Partner}: the moves would go to another tenant, or nowhere." `
                                -Fix "Use -PartnerCrossTenantHostUrl $actual (and TargetCrossTenantHostUrl $actual in the CSV), or give the admin URL of the tenant that $Partner belongs to.")
                    }
                    $targetTrust = Invoke-SpoTenantProbe -Cmdlet $Cmdlet -Method VerifySPOTenantOrgRelation -Arguments ([ordered]@{ Scenario = 'MnA'; PartnerRole = 'Source'; PartnerCrossTenantHostUrl = $sourceHost }) `
                        -Connection $targetConnection -Verbose $verbose
                    if ($targetTrust.Error) {
                        & $emit (New-SpoReadinessFinding -Check TargetTrust -Target $targetName -Result Fail -Reason (Get-SpoProbeMessage $targetTrust.Error) `
                                -Fix (Get-SpoProbeFix $targetTrust.Error 'Run this check again.') -TraceCorrelationId (Get-SpoProbeCorrelationId $targetTrust.Error))
                    } else {
                        & $emit (Get-SpoTrustFinding -Side Target -Status ([string]$targetTrust.Output[0]) -Target $targetName -Partner $Partner -SourceHost $sourceHost `
                                -CorrelationId $targetTrust.Output[0].TraceCorrelationId)
                    }
                }
            }
        }

        # --- rows: shape, duplicates, batch size (nothing sent) ---
        $entries = [System.Collections.Generic.List[hashtable]]::new()
        $seen = @{}
        $perKind = [ordered]@{}
        for ($index = 0; $index -lt $rows.Count; $index++) {
            $entry = ConvertTo-SpoReadinessRow -InputObject $rows[$index] -Row ($index + 1) -Partner $Partner
            if (-not $entry.Problem -and $entry.Kind) {
                $key = "$($entry.Kind)|$($entry.Source.ToLowerInvariant())"
                if ($seen.ContainsKey($key)) {
                    $first = $seen[$key]
                    $entry.Problem = @{ Reason = "Row $($entry.Row) moves the same $($script:SpoMoveKinds[$entry.Kind].Noun) as row ${first}: the second start would fail with MnAMoveAlreadyExists."
                        Fix = "Delete row $($entry.Row) (or row $first) from the CSV." }
                } else { $seen[$key] = $entry.Row }
            }
            if ($entry.Kind) { $perKind[$entry.Kind] = 1 + [int]$perKind[$entry.Kind] }   # Start- counts every row of the batch
            if ($entry.Problem) {
                & $emit (New-SpoReadinessFinding -Check Row -Target (Get-SpoReadinessRowTarget $entry) -Result Fail -Reason $entry.Problem.Reason -Fix $entry.Problem.Fix `
                        -Row $entry.Row -Kind $(if ($entry.Kind) { $entry.Kind } else { 'Row' }) -SourceKey $entry.Source)
                continue
            }
            $entries.Add($entry)
        }
        foreach ($kindName in $perKind.Keys) {
            $count = $perKind[$kindName]
            $kind = $script:SpoMoveKinds[$kindName]
            $batchTarget = "batch of $kindName rows"
            if ($count -gt $script:SpoMoveBatchLimit) {
                & $emit (New-SpoReadinessFinding -Check BatchSize -Target $batchTarget -Result Fail -Kind $kindName `
                        -Reason "The input holds $count $($kind.Noun) moves; the service takes at most $($script:SpoMoveBatchLimit) in one batch, and Start-SPOCrossTenant${kindName}ContentMove refuses the whole batch." `
                        -Fix "Split the CSV into batches of at most $($script:SpoMoveBatchLimit) rows: `$rows = Import-Csv moves.csv; for (`$i = 0; `$i -lt `$rows.Count; `$i += $($script:SpoMoveBatchLimit)) { `$rows[`$i..([Math]::Min(`$i + $($script:SpoMoveBatchLimit), `$rows.Count) - 1)] | Export-Csv ""moves-`$(`$i / $($script:SpoMoveBatchLimit) + 1).csv"" -NoTypeInformation }")
            } else {
                & $emit (New-SpoReadinessFinding -Check BatchSize -Target $batchTarget -Result Pass -Kind $kindName -Reason "$count $($kind.Noun) move(s): within the service's limit of $($script:SpoMoveBatchLimit) per batch.")
            }
        }

        # --- rows: the target's identity map and the service's checks ---
        if ($entries.Count -and -not $trustOk) {
            & $emit (New-SpoReadinessFinding -Check Validation -Target "$($entries.Count) row(s)" -Result Warning `
                    -Reason 'The rows were not validated by the service: it checks trust before anything else, so every row would fail with the trust finding above.' `
                    -Fix 'Fix the SourceTrust finding, then run this check again.')
        }
        # Per row: with a target connection, a user's entry in the target's identity map (read
        # there); a validation-only start; a site's long-path check. The map reads go to the target
        # tenant while the other requests go to the source, so both run at once, up to
        # $ThrottleLimit in flight on each; findings come out in row order. A row whose entry is
        # missing or maps elsewhere gets its IdentityMap finding from the read, with the exact
        # Add- command; its validation-only start would only repeat it.
        $mapFailed = [System.Collections.Generic.HashSet[int]]::new()
        $requests = [System.Collections.Generic.List[hashtable]]::new()
        foreach ($entry in $entries) {
            $kind = $script:SpoMoveKinds[$entry.Kind]
            if ($targetConnection -and $entry.Kind -eq 'User') {
                $requests.Add(@{ Method = 'GetTenantUserIdentityMappingItem'; Entry = $entry; Connection = $targetConnection
                        Arguments = [ordered]@{ Field = 'SourceUserKey'; Value = $entry.Source } })
            }
            if ($trustOk) {
                $requests.Add(@{ Method = 'StartSPOCrossTenantContentMove'; Entry = $entry; Kind = $kind
                        Arguments = [ordered]@{ ContentType = $kind.ContentType; $kind.SourceParameter = $entry.Source; $kind.TargetParameter = $entry.Target
                            TargetCrossTenantHostUrl = $Partner; PreferredMoveBeginDate = $null; PreferredMoveEndDate = $null; ValidationOnly = $true; Force = $false } })
            }
            if ($entry.Kind -eq 'Site') {
                $requests.Add(@{ Method = 'GetSPOCrossTenantLongFilePathsForSiteRename'; Entry = $entry; Kind = $kind
                        Arguments = [ordered]@{ OldSiteUrl = $entry.Source; NewSiteUrl = $entry.Target } })
            }
        }
        $done = 0
        $shown = [System.Diagnostics.Stopwatch]::StartNew()
        if ($requests.Count) {
            Invoke-SpoTenantProbeWindow -Cmdlet $Cmdlet -Requests $requests -ThrottleLimit $ThrottleLimit -Verbose $verbose | ForEach-Object {
                $request, $probe = $_.Request, $_.Probe
                $entry = $request.Entry
                $target = Get-SpoReadinessRowTarget $entry
                $finding = switch ($request.Method) {
                    'GetTenantUserIdentityMappingItem' { Get-SpoIdentityMapFinding -Probe $probe -Entry $entry -CompanyId $companyId }
                    'StartSPOCrossTenantContentMove' { Get-SpoValidationFinding -Probe $probe -Entry $entry -Kind $request.Kind -Target $target -Partner $Partner -CompanyId $companyId }
                    default { Get-SpoLongPathFinding -Probe $probe -Entry $entry -Target $target }
                }
                if ($request.Connection) {
                    # The map read comes before the row's start: a failure here silences the start's repeat of it.
                    if ($finding.Result -eq 'Fail') { $null = $mapFailed.Add([int]$entry.Row) }
                    if ($finding) { & $emit $finding }
                } elseif (-not ($finding.Check -eq 'IdentityMap' -and $mapFailed.Contains([int]$entry.Row))) { & $emit $finding }
                $done++
                # At most ten updates a second: a progress bar per answer would cost more than the checks.
                if ($requests.Count -gt 1 -and ($done -eq $requests.Count -or $shown.ElapsedMilliseconds -ge 100)) {
                    $shown.Restart()
                    Write-Progress -Activity $activity -Status "$done of $($requests.Count) checks: row $($entry.Row), $($entry.Source)" -PercentComplete ([int](100 * $done / $requests.Count))
                }
            }
        }
    } finally {
        Write-Progress -Activity $activity -Completed
        Close-SpoSideConnection $targetConnection
        if ($findings.Count) {
            $elapsed = $started.Elapsed
            if ($reportFiles) { Write-SpoReadinessReport -Findings $findings -Files $reportFiles -Partner $Partner -Source $connection.AdminUrl -Rows $rows.Count }
            Write-SpoReadinessSummary -Findings $findings -Rows $rows.Count -Partner $Partner -Elapsed $elapsed -Files $reportFiles -TargetChecked ([bool]$TargetAdminUrl)
        }
    }
}

function Get-SpoProbeFix {
    # The fix for a failure that is not a finding of its own: the error's recommended action, else $Default.
    param([System.Management.Automation.ErrorRecord]$ErrorRecord, [string]$Default)
    $action = if ($ErrorRecord.ErrorDetails) { $ErrorRecord.ErrorDetails.RecommendedAction }
    if ($action) { $action } else { $Default }
}

function Get-SpoTrustFinding {
    # The finding for a verification status seen from the source (partner = Target) or from the
    # target (partner = Source); the fix names the tenant each command runs on.
    param([ValidateSet('Source', 'Target')][string]$Side, [string]$Status, [string]$Target, [string]$Partner, [string]$SourceHost, [string]$CorrelationId)
    $onSource = "Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $Partner"
    $onTarget = "Set-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $SourceHost"
    $check = "${Side}Trust"
    $own, $other = if ($Side -eq 'Source') { "On the source tenant, run $onSource", "On the target tenant, run $onTarget" } else { "On the target tenant, run $onTarget", "On the source tenant, run $onSource" }
    $verify = if ($Side -eq 'Source') { "Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $Partner" } else { "Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Source -PartnerCrossTenantHostUrl $SourceHost" }
    $result, $reason, $fix = switch ($Status) {
        'GoodToProceed' { 'Pass', "Trust is GoodToProceed from the $($Side.ToLowerInvariant()) side.", '' }
        'NotEstablished' { 'Fail', "The $($Side.ToLowerInvariant()) tenant has not set its side of the trust (NotEstablished).", "$own." }
        'NotEstablishedByPartner' { 'Fail', "The other tenant has not set its side of the trust (NotEstablishedByPartner).", "$other." }
        'Dormant' { 'Warning', "The $($Side.ToLowerInvariant()) tenant's side of the trust is still in its waiting period (Dormant); moves cannot start until it ends.", "Wait, then run $verify until it says GoodToProceed." }
        'DormantByPartner' { 'Warning', "The other tenant's side of the trust is still in its waiting period (DormantByPartner); moves cannot start until it ends.", "Wait, then run $verify until it says GoodToProceed." }
        'CouldNotContactPartner' { 'Fail', "SharePoint could not reach the partner at $(if ($Side -eq 'Source') { $Partner } else { $SourceHost }) (CouldNotContactPartner).", "Check the partner URL: its admins get it with Get-SPOCrossTenantHostUrl; then run $verify." }
        default { 'Fail', "Trust verification answered $Status.", "Run $verify and follow its Explanation." }
    }
    New-SpoReadinessFinding -Check $check -Target $Target -Result $result -Reason $reason -Fix $fix -TraceCorrelationId $CorrelationId
}

function Get-SpoValidationFinding {
    # The finding of one validation-only start: Pass, or the check the service refused it for.
    param([hashtable]$Probe, [hashtable]$Entry, [hashtable]$Kind, [string]$Target, [string]$Partner, [string]$CompanyId)
    $common = @{ Target = $Target; Row = $Entry.Row; Kind = $Entry.Kind; SourceKey = $Entry.Source }
    if (-not $Probe.Error) {
        return New-SpoReadinessFinding @common -Check Validation -Result Pass -TraceCorrelationId $Probe.Output[0].TraceCorrelationId `
            -Reason "The service's checks pass: trust, source, $(if ($Kind.Name -eq 'User') { 'licence, ' })identity map and target."
    }
    $record = $Probe.Error
    $message = Get-SpoProbeMessage $record
    $common.TraceCorrelationId = Get-SpoProbeCorrelationId $record
    $row = "row $($Entry.Row)"
    $start = "Start-SPOCrossTenant$($Kind.Name)ContentMove"
    if ($record.Exception -is [System.ArgumentException]) {
        # The engine refused the row's values before sending (a UPN, URL or alias shape).
        $column = if ($record.Exception.ParamName) { $record.Exception.ParamName } else { 'values' }
        return New-SpoReadinessFinding @common -Check Row -Result Fail -Reason $message -Fix "Correct the $column column of $row."
    }
    switch (Get-SpoMnAStatusName $record) {
        'MnAIdentityMappingNotFound' {
            $fix = switch ($Kind.Name) {
                'User' { "On the target tenant, run $(Get-SpoUserMappingCommand -CompanyId $CompanyId -Source $Entry.Source -Target $Entry.Target)" }
                'Group' { "On the target tenant, run $(Get-SpoGroupMappingCommand -CompanyId $CompanyId -Source $Entry.Source -Target $Entry.Target)" }
                default {
                    "On the target tenant, add the site's users and groups to the identity map with Add-SPOTenantIdentityMappingUser and Add-SPOTenantIdentityMappingGroup (an upload with Add-SPOTenantIdentityMap replaces the whole map, so its CSV must hold everyone)."
                }
            }
            return New-SpoReadinessFinding @common -Check IdentityMap -Result Fail -Fix $fix `
                -Reason "The target tenant's identity map has no entry mapping $($Entry.Source) to $($Entry.Target) for this source tenant."
        }
        'MnAUserNotLicensed' {
            return New-SpoReadinessFinding @common -Check Licence -Result Fail -Reason "$($Entry.Source) has no licence for cross-tenant migration on the source tenant." `
                -Fix "Assign $($Entry.Source) a licence that includes Cross-Tenant User Data Migration on the source tenant (e.g. Set-MgUserLicense -UserId $($Entry.Source) -AddLicenses @{ SkuId = '<SkuId>' } -RemoveLicenses @()), or delete $row."
        }
        'MnATargetSiteConflict' {
            return New-SpoReadinessFinding @common -Check TargetConflict -Result Fail -Reason "The target $($Entry.Target) already exists on the target tenant, so the service refuses the move." `
                -Fix "Change $($Kind.TargetParameter) of $row to a $($Kind.Noun) that does not exist yet on the target tenant, or start this row with -Force to move into the existing one: $start $($Entry.Source) $($Entry.Target) $Partner -Force"
        }
        'MnASourceNotFound' {
            return New-SpoReadinessFinding @common -Check Source -Result Fail -Reason "The source tenant has no $($Kind.Noun) $($Entry.Source)$(if ($Kind.Name -eq 'User') { ' with a OneDrive' }) to move." `
                -Fix "Correct $($Kind.SourceParameter) of $row (spelling, tenant domain), or delete the row."
        }
        'MnAMoveAlreadyExists' {
            return New-SpoReadinessFinding @common -Check ExistingMove -Result Warning -Reason "A move of $($Entry.Source) is already under way; starting it again would fail." `
                -Fix "Delete $row from the CSV and follow the move with Get-SPOCrossTenant$($Kind.Name)ContentMoveState -PartnerCrossTenantHostUrl $Partner -$($Kind.SourceParameter) $($Entry.Source)."
        }
        'MnAMoveBatchLimitExceeded' {
            return New-SpoReadinessFinding @common -Check BatchSize -Result Fail -Reason "The source tenant already has $($script:SpoMoveBatchLimit.ToString('N0', [cultureinfo]::InvariantCulture)) active moves, the most the service runs at once." `
                -Fix "Wait until moves finish (Get-SPOCrossTenant$($Kind.Name)ContentMoveState -PartnerCrossTenantHostUrl $Partner -MoveState InProgress), then start this row."
        }
        { $_ -like 'MnATrust*' } {
            return New-SpoReadinessFinding @common -Check SourceTrust -Result Fail -Reason $message -Fix "Run Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $Partner and follow its Explanation."
        }
    }
    if ($record.Exception -is [SPOCrossTenant.ServerException] -and $record.Exception.ServerErrorTypeName -like 'System.Argument*') {
        return New-SpoReadinessFinding @common -Check Row -Result Fail -Reason $message -Fix "Correct the values of $row as the message says."
    }
    New-SpoReadinessFinding @common -Check Validation -Result Warning -Reason "The row could not be checked: $message" `
        -Fix (Get-SpoProbeFix $record 'Run Test-SPOCrossTenantMigrationReadiness again.')
}

function Get-SpoIdentityMapFinding {
    # The finding of one user row's entry in the target tenant's identity map, read on the target
    # connection: Pass, or Fail (no entry; mapped to another target; mapped for another source
    # tenant) with the Add- command that adds or corrects it. $null when the row's UPN itself was
    # refused before sending: its Validation finding names that.
    param([hashtable]$Probe, [hashtable]$Entry, [string]$CompanyId)
    $common = @{ Check = 'IdentityMap'; Target = (Get-SpoReadinessRowTarget $Entry); Row = $Entry.Row; Kind = $Entry.Kind; SourceKey = $Entry.Source }
    if ($Probe.Error) {
        if ($Probe.Error.Exception -is [System.ArgumentException]) { return }
        return New-SpoReadinessFinding @common -Result Warning -Reason "The target tenant's identity map could not be read: $(Get-SpoProbeMessage $Probe.Error)" `
            -Fix (Get-SpoProbeFix $Probe.Error "On the target tenant, run Get-SPOTenantIdentityMappingUser -Field SourceUserKey -Value $($Entry.Source) to see the error again.") `
            -TraceCorrelationId (Get-SpoProbeCorrelationId $Probe.Error)
    }
    $found = @($Probe.Output)
    $company = [guid]::Empty
    $ours = if ([guid]::TryParse($CompanyId, [ref]$company)) { @($found | Where-Object SourceTenantCompanyId -EQ $company) } else { $found }
    $same = @($ours | Where-Object { $_.TargetUserUpn -eq $Entry.Target })
    if ($same.Count) {
        return New-SpoReadinessFinding @common -Result Pass -Reason "The target tenant's identity map maps $($Entry.Source) to $($Entry.Target)." -TraceCorrelationId $same[0].TraceCorrelationId
    }
    $userType = if ($found.Count) { [string]$found[0].UserType } else { 'RegularUser' }
    # Add- adds the entry, or updates the one the map holds for this source key.
    $run = "On the target tenant, run $(Get-SpoUserMappingCommand -CompanyId $CompanyId -Source $Entry.Source -Target $Entry.Target -UserType $userType)"
    $common.TraceCorrelationId = if ($found.Count) { $found[0].TraceCorrelationId }
    if (-not $found.Count) {
        $reason = "The target tenant's identity map has no entry for $($Entry.Source): the move would fail with MnAIdentityMappingNotFound."
    } elseif ($ours.Count) {
        $reason = "The target tenant's identity map maps $($Entry.Source) to $($ours[0].TargetUserUpn), not to $($Entry.Target) (the row's target): the move would fail."
    } else {
        $reason = "The target tenant's identity map maps $($Entry.Source) for another source tenant ($($found[0].SourceTenantCompanyId)), not for this one ($CompanyId): the move would fail."
    }
    New-SpoReadinessFinding @common -Result Fail -Reason $reason -Fix $run
}

function Get-SpoUserMappingCommand {
    # The Add-SPOTenantIdentityMappingUser command that maps $Source to $Target (its e-mail taken to be its UPN).
    param([string]$CompanyId, [string]$Source, [string]$Target, [string]$UserType = 'RegularUser')
    $company, $sourceKey, $targetUpn, $type = @($CompanyId, $Source, $Target, $UserType).ForEach({ Format-SpoCommandValue $_ })
    "Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId $company -SourceUserKey $sourceKey -TargetUserUpn $targetUpn -TargetUserEmail $targetUpn -UserType $type"
}

function Get-SpoGroupMappingCommand {
    # The Add-SPOTenantIdentityMappingGroup command that maps group $Source to group $Target (aliases:
    # their object ids are for the admin to fill in).
    param([string]$CompanyId, [string]$Source, [string]$Target)
    "Add-SPOTenantIdentityMappingGroup -SourceTenantCompanyId $(Format-SpoCommandValue $CompanyId) -SourceGroupObjectId <object id of group '$Source' in the source tenant> " +
    "-TargetGroupObjectId <object id of group '$Target' in the target tenant> -TargetGroupName $(Format-SpoCommandValue $Target) -GroupType O365Group"
}

function Format-SpoCommandValue {
    # A value as a fix's command line takes it: in single quotes, its own quotes escaped, so that
    # o'brien@contoso.com runs as written. A <placeholder> stays as it is, for the admin to fill in.
    param([string]$Value)
    if ($Value.StartsWith('<') -and $Value.EndsWith('>')) { return $Value }
    "'$([System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($Value))'"
}

function Get-SpoLongPathFinding {
    # The finding of a site row's long-path check against its new URL.
    param([hashtable]$Probe, [hashtable]$Entry, [string]$Target)
    $common = @{ Check = 'LongPaths'; Target = $Target; Row = $Entry.Row; Kind = $Entry.Kind; SourceKey = $Entry.Source }
    if ($Probe.Error) {
        return New-SpoReadinessFinding @common -Result Warning -Reason "The paths could not be checked: $(Get-SpoProbeMessage $Probe.Error)" `
            -Fix (Get-SpoProbeFix $Probe.Error "Run Find-SPOCrossTenantLongFilePathsForSiteRename -OldSiteUrl $($Entry.Source) -NewSiteUrl $($Entry.Target) to see the error again.") `
            -TraceCorrelationId (Get-SpoProbeCorrelationId $Probe.Error)
    }
    $paths = @($Probe.Output)
    if (-not $paths.Count) {
        return New-SpoReadinessFinding @common -Result Pass -Reason 'No file path would exceed 400 characters under the new URL.'
    }
    $longest = ($paths | Measure-Object -Property Length -Maximum).Maximum
    $shorter = $longest - 400
    New-SpoReadinessFinding @common -Result Fail `
        -Reason "$($paths.Count) file(s) would have paths longer than 400 characters under the new URL (the longest by $shorter), and would not move: $($paths[0])$(if ($paths.Count -gt 1) { ' ...' })" `
        -Fix "Choose a TargetSiteUrl for row $($Entry.Row) at least $shorter character(s) shorter than $($Entry.Target), or shorten those paths on the source (Find-SPOCrossTenantLongFilePathsForSiteRename -OldSiteUrl $($Entry.Source) -NewSiteUrl $($Entry.Target) lists them)."
}
