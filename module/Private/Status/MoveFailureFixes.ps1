# What to do about a failed move, decided from the service's error code in one table.
#
# The code is the state object's ErrorCode when it is a name (MnAIdentityMappingNotFound, ...),
# else the name a server message ends with in parentheses, else the number. A fix is the exact
# next step for that one move, then the command that starts it again; a code the table does not
# know gets that start alone, with -Force (a move that failed part-way may have left part of its
# content on the target). The names are the MnA status names of docs/migration-wire.md.

# Each entry: Step, what to do before the move starts again (a block that reads $Move, $Kind and
# $Context from Get-SpoMoveFailureFix, which runs it), and Force, whether that start adds -Force.
$script:SpoMoveFailureFixes = @{
    MnAIdentityMappingNotFound = @{ Force = $false; Step = {
            # The single entry (Add-SPOTenantIdentityMapping*, the same commands as readiness's fix), or
            # the CSV line for an admin who keeps the whole map in one file.
            $source = $Move.SourceContentKey; $target = $Move.TargetContentKey
            if ($Kind.Name -eq 'User') {
                $command = Get-SpoUserMappingCommand -CompanyId $Context.CompanyId -Source $source -Target $target
                $line = "User,$($Context.CompanyId),$source,$target,$target,RegularUser"
            } elseif ($Kind.Name -eq 'Group') {
                $command = Get-SpoGroupMappingCommand -CompanyId $Context.CompanyId -Source $source -Target $target
                $line = "Group,$($Context.CompanyId),<object id of group '$source' in the source tenant>,<object id of group '$target' in the target tenant>,$target,O365Group"
            } else {
                return 'On the target tenant, add the users and groups of this site to the identity map with Add-SPOTenantIdentityMappingUser and Add-SPOTenantIdentityMappingGroup.'
            }
            "On the target tenant, run:`n$command`n" +
            "Or add this line to the identity map CSV (it must hold everyone: an upload replaces the whole map) and upload it with Add-SPOTenantIdentityMap -IdentityMapPath <that CSV>:`n$line"
        }
    }
    MnAUserNotLicensed = @{ Force = $false; Step = {
            "On the source tenant, assign $($Move.SourceContentKey) a licence that includes Cross-Tenant User Data Migration " +
            "(e.g. Set-MgUserLicense -UserId $($Move.SourceContentKey) -AddLicenses @{ SkuId = '<SkuId>' } -RemoveLicenses @())."
        }
    }
    MnATargetSiteConflict = @{ Force = $false; Step = {
            $target = if ($Move.TargetSiteUrl) { $Move.TargetSiteUrl } else { $Move.TargetContentKey }
            $what = if ($Kind.Name -eq 'Group') { "the group $($Move.TargetContentKey) or its site $target already exists: remove it, or give the move another TargetGroupAlias" }
            else { "$target already exists: remove it (Remove-SPOSite -Identity $target, then Remove-SPODeletedSite -Identity $target)" }
            "On the target tenant, $what. To move into what is there instead, add -Force to the command below."
        }
    }
    MnASourceNotFound = @{ Force = $false; Step = {
            "The $($Kind.Noun) $($Move.SourceContentKey) is no longer on the source tenant (deleted or renamed): restore it, or correct the key."
        }
    }
    MnAMoveBatchLimitExceeded = @{ Force = $false; Step = {
            "The source tenant had $($script:SpoMoveBatchLimit) active moves, the most the service runs at once: wait until fewer are active (Get-SPOCrossTenantMigrationStatus)."
        }
    }
    MnATrust = @{ Force = $false; Step = {
            "The trust with the target tenant is not GoodToProceed: on the source tenant, run Verify-SPOCrossTenantRelationship " +
            "-Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $($Move.TargetCrossTenantHostUrl) and follow its Explanation."
        }
    }
    Restart = @{ Force = $true; Step = {
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
    $code
}

function Get-SpoMoveFailureFix {
    # The fix of one failed move: its entry's step, then the command that starts it again.
    # $Context: @{ CompanyId } (the source tenant's id, for identity-map lines).
    param([psobject]$Move, [hashtable]$Kind, [string]$Code, [hashtable]$Context)
    $name = if ($Code -like 'MnATrust*') { 'MnATrust' } elseif ($script:SpoMoveFailureFixes.ContainsKey($Code)) { $Code } else { 'Restart' }
    $entry = $script:SpoMoveFailureFixes[$name]
    "$(& $entry.Step)`nThen, on the source tenant, start the move again:`n$(Get-SpoRestartCommand $Move $Kind -Force:$entry.Force)"
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
