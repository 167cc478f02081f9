# What to do about a failed move, decided from the service's error code in one table.
#
# The code is the state object's ErrorCode when it is a name (MnAIdentityMappingNotFound, ...),
# else the name a server message ends with in parentheses, else the number; a move the service
# will not do (MoveState NotSupported) without a code has the code NotSupported. A fix is the
# exact next step for that one move, then the command that starts it again, unless starting it
# again cannot help; a code the table does not know gets that start alone, with -Force (a move
# that failed part-way may have left part of its content on the target). The names are the MnA
# status names of docs/migration-wire.md.

# Each entry, matched in order against the code (a wildcard pattern: the trust codes are a
# family): Summary, what the code means and what to do, in one sentence for every move of it (the
# wave report's failures are grouped by code); Step, the exact next step for one move (a block
# that reads $Move, $Kind and $Context from Get-SpoMoveFailureFix, which runs it); Restart, whether
# a start again follows, and Force, whether it adds -Force. The last entry ('*') matches any code.
$script:SpoMoveFailureFixes = [ordered]@{
    MnAIdentityMappingNotFound = @{ Restart = $true; Force = $false
        Summary = 'The target tenant''s identity map has no entry for the user or group: add it on the target tenant, then start the move again.'
        Step = {
            # The single entry (Add-SPOTenantIdentityMapping*, the same commands as readiness's fix), or
            # the CSV line for an admin who keeps the whole map in one file (protocol.md section 9:
            # a group line's fifth column is the target group's object id, as Microsoft's guide says).
            $source = $Move.SourceContentKey; $target = $Move.TargetContentKey
            $companyId = Get-SpoSourceCompanyId -Move $Move -Context $Context
            if ($Kind.Name -eq 'User') {
                $command = Get-SpoUserMappingCommand -CompanyId $companyId -Source $source -Target $target
                $line = "User,$companyId,$source,$target,$target,RegularUser"
            } elseif ($Kind.Name -eq 'Group') {
                $command = Get-SpoGroupMappingCommand -CompanyId $companyId -Source $source -Target $target
                $targetId = "<object id of group '$target' in the target tenant>"
                $line = "Group,$companyId,<object id of group '$source' in the source tenant>,$targetId,$targetId,O365Group"
            } else {
                return 'On the target tenant, add the users and groups of this site to the identity map with Add-SPOTenantIdentityMappingUser and Add-SPOTenantIdentityMappingGroup.'
            }
            "On the target tenant, run:`n$command`n" +
            "Or add this line to the identity map CSV (it must hold everyone: an upload replaces the whole map) and upload it with Add-SPOTenantIdentityMap -IdentityMapPath <that CSV>:`n$line"
        }
    }
    MnAUserNotLicensed = @{ Restart = $true; Force = $false
        Summary = 'The user has no licence that includes Cross-Tenant User Data Migration on the source tenant: assign one, then start the move again.'
        Step = {
            "On the source tenant, assign $($Move.SourceContentKey) a licence that includes Cross-Tenant User Data Migration " +
            "(e.g. Set-MgUserLicense -UserId $($Move.SourceContentKey) -AddLicenses @{ SkuId = '<SkuId>' } -RemoveLicenses @())."
        }
    }
    MnATargetSiteConflict = @{ Restart = $true; Force = $false
        Summary = 'The target already exists on the target tenant: remove it and start the move again, or start it again with -Force to move into what is there.'
        Step = {
            $target = if ($Move.TargetSiteUrl) { $Move.TargetSiteUrl } else { $Move.TargetContentKey }
            $what = if ($Kind.Name -eq 'Group') { "the group $($Move.TargetContentKey) or its site $target already exists: remove it, or give the move another TargetGroupAlias" }
            else { "$target already exists: remove it (Remove-SPOSite -Identity $target, then Remove-SPODeletedSite -Identity $target)" }
            "On the target tenant, $what. To move into what is there instead, add -Force to the command below."
        }
    }
    MnASourceNotFound = @{ Restart = $true; Force = $false
        Summary = 'The source is no longer on the source tenant (deleted or renamed): restore it or correct the key, then start the move again.'
        Step = {
            "The $($Kind.Noun) $($Move.SourceContentKey) is no longer on the source tenant (deleted or renamed): restore it, or correct the key."
        }
    }
    MnAMoveBatchLimitExceeded = @{ Restart = $true; Force = $false
        Summary = 'The source tenant had as many active moves as the service runs at once: wait until fewer are active, then start the move again.'
        Step = {
            "The source tenant had $($script:SpoMoveBatchLimit) active moves, the most the service runs at once: wait until fewer are active (Get-SPOCrossTenantMigrationStatus)."
        }
    }
    'MnATrust*' = @{ Restart = $true; Force = $false
        Summary = 'The trust between the tenants is not GoodToProceed: verify it on the source tenant and follow its Explanation, then start the move again.'
        Step = {
            "The trust with the target tenant is not GoodToProceed: on the source tenant, run Verify-SPOCrossTenantRelationship " +
            "-Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $($Move.TargetCrossTenantHostUrl) and follow its Explanation."
        }
    }
    NotSupported = @{ Restart = $false; Force = $false
        Summary = 'The service does not support this move: starting it again will not help.'
        Step = {
            "The service does not support moving the $($Kind.Noun) $($Move.SourceContentKey) (NotSupported), so starting it again will not help. " +
            "Microsoft's cross-tenant migration guide lists what it does not move (for example some site templates and features): move what it holds " +
            "another way, or, if it should be supported, open a support case with the TraceCorrelationId $($Move.TraceCorrelationId)."
        }
    }
    '*' = @{ Restart = $true; Force = $true
        Summary = 'No known cause: start the move again with -Force; if it fails again the same way, open a support case with its TraceCorrelationId.'
        Step = {
            'Nothing to fix first: -Force because the move may have left part of its content on the target. If it fails again the same way, open a support case with the TraceCorrelationId.'
        }
    }
}

function Get-SpoMoveFailureCode {
    # The error code of a failed move state: a name when the service gives one.
    param([psobject]$Move)
    $code = [string]$Move.ErrorCode
    if ($code -and $code -notmatch '^-?\d+$') { return $code }
    if ([string]$Move.ErrorMessage -match '\((MnA[A-Za-z]+)\)\s*$') { return $Matches[1] }
    if (-not $code -and $Move.MoveState -eq 'NotSupported') { return 'NotSupported' }
    $code
}

function Get-SpoMoveFailureEntry {
    # The entry of the table that matches $Code (the last one matches any).
    param([string]$Code)
    foreach ($pattern in $script:SpoMoveFailureFixes.Keys) {
        if ($Code -like $pattern) { return $script:SpoMoveFailureFixes[$pattern] }
    }
}

function Get-SpoMoveFailureSummary {
    # What the code means and what to do, for every move that failed with it.
    param([string]$Code)
    (Get-SpoMoveFailureEntry $Code).Summary
}

function Get-SpoMoveFailureFix {
    # The fix of one failed move: its entry's step, then the command that starts it again.
    # $Context: Get-SpoStatusContext's (the source tenant's id, for identity-map lines).
    param([psobject]$Move, [hashtable]$Kind, [string]$Code, [hashtable]$Context)
    $entry = Get-SpoMoveFailureEntry $Code
    $step = & $entry.Step
    if (-not $entry.Restart) { return $step }
    "$step`nThen, on the source tenant, start the move again:`n$(Get-SpoRestartCommand $Move $Kind -Force:$entry.Force)"
}

function Get-SpoSourceCompanyId {
    # The source tenant's id for an identity-map line of $Move: this tenant's for a move out, the
    # partner's for a move in (a status read on the target), else where to find it.
    param([psobject]$Move, [hashtable]$Context)
    if ($Move.MoveDirection -ne 'MoveIn') { return $Context.CompanyId }
    if ($Context.PartnerCompanyId) { return $Context.PartnerCompanyId }
    "<the source tenant's ID: (Get-SPOCrossTenantConnection).TenantId, connected to the source tenant>"
}

function Get-SpoRestartCommand {
    # The Start- command line that starts this one move again, as a script would type it.
    param([psobject]$Move, [hashtable]$Kind, [switch]$Force)
    $words = "Start-SPOCrossTenant$($Kind.Name)ContentMove", "-$($Kind.SourceParameter)", (ConvertTo-SpoCommandWord $Move.SourceContentKey),
    "-$($Kind.TargetParameter)", (ConvertTo-SpoCommandWord $Move.TargetContentKey), '-TargetCrossTenantHostUrl', (ConvertTo-SpoCommandWord $Move.TargetCrossTenantHostUrl)
    if ($Force) { $words += '-Force' }
    $words -join ' '
}

function ConvertTo-SpoCommandWord {
    # A value as one argument of a command line: bare when it needs no quotes, else single-quoted.
    param([string]$Value)
    if ($Value -match '^[\w@.:/%~+=-]+$' -and $Value -notmatch '^[-@]') { return $Value }
    "'$($Value -replace "'", "''")'"
}
