# What to do about a failed move, decided from the service's error code in one table.
#
# The code is the state object's ErrorCode when it is a name (MnAIdentityMappingNotFound, ...),
# else the name a server message ends with in parentheses, else the number. Each entry writes
# the exact next step for one move, ending with the command that starts it again; a code the
# table does not know gets that restart alone (-Force: a move that failed part-way may have
# left part of its content on the target). The names are the MnA status names of
# docs/migration-wire.md.

$script:SpoMoveFailureFixes = @{
    MnAIdentityMappingNotFound = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        $line = if ($Kind.Name -eq 'User') {
            "User,$($Context.CompanyId),$($Move.SourceContentKey),$($Move.TargetContentKey),$($Move.TargetContentKey),RegularUser"
        } elseif ($Kind.Name -eq 'Group') {
            "Group,$($Context.CompanyId),<object id of group '$($Move.SourceContentKey)' in the source tenant>,<object id of group '$($Move.TargetContentKey)' in the target tenant>,$($Move.TargetContentKey),O365Group"
        }
        $add = if ($line) {
            "On the target tenant, add this line to the identity map CSV (the whole map: an upload replaces the one before) and upload it with Add-SPOTenantIdentityMap -IdentityMapPath <that CSV>:`n$line"
        } else { 'On the target tenant, add the users and groups of this site to the identity map CSV and upload it with Add-SPOTenantIdentityMap -IdentityMapPath <that CSV>.' }
        "$add`nThen, on the source tenant, start the move again:`n$(Get-SpoRestartCommand $Move $Kind)"
    }
    MnAUserNotLicensed = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        "On the source tenant, assign $($Move.SourceContentKey) a licence that includes Cross-Tenant User Data Migration " +
        "(e.g. Set-MgUserLicense -UserId $($Move.SourceContentKey) -AddLicenses @{ SkuId = '<SkuId>' } -RemoveLicenses @()).`n" +
        "Then start the move again:`n$(Get-SpoRestartCommand $Move $Kind)"
    }
    MnATargetSiteConflict = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        $target = if ($Move.TargetSiteUrl) { $Move.TargetSiteUrl } else { $Move.TargetContentKey }
        $clear = if ($Kind.Name -eq 'Group') {
            "On the target tenant, the group $($Move.TargetContentKey) or its site $target already exists: remove it (or give the move another TargetGroupAlias)"
        } else {
            "On the target tenant, $target already exists: remove it (Remove-SPOSite -Identity $target, then Remove-SPODeletedSite -Identity $target)"
        }
        "$clear, then start the move again:`n$(Get-SpoRestartCommand $Move $Kind)`n" +
        "Or, to move into what is there, start it again with -Force:`n$(Get-SpoRestartCommand $Move $Kind -Force)"
    }
    MnASourceNotFound = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        "The $($Kind.Noun) $($Move.SourceContentKey) is no longer on the source tenant (deleted or renamed). " +
        "Restore it, or correct the key, then start the move again:`n$(Get-SpoRestartCommand $Move $Kind)"
    }
    MnAMoveBatchLimitExceeded = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        "The source tenant had $($script:SpoMoveBatchLimit) active moves, the most the service runs at once. When fewer are active " +
        "(Get-SPOCrossTenantMigrationStatus), start the move again:`n$(Get-SpoRestartCommand $Move $Kind)"
    }
    MnATrust = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        "The trust with the target tenant is not GoodToProceed. On the source tenant, run " +
        "Verify-SPOCrossTenantRelationship -Scenario MnA -PartnerRole Target -PartnerCrossTenantHostUrl $($Move.TargetCrossTenantHostUrl) " +
        "and follow its Explanation. Then start the move again:`n$(Get-SpoRestartCommand $Move $Kind)"
    }
    Restart = {
        param([psobject]$Move, [hashtable]$Kind, [hashtable]$Context)
        "Start the move again (-Force: it may have left part of its content on the target); if it fails again the same way, " +
        "open a support case with the TraceCorrelationId:`n$(Get-SpoRestartCommand $Move $Kind -Force)"
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
    # The fix of one failed move; $Context: @{ CompanyId } (the source tenant's id, for map lines).
    param([psobject]$Move, [hashtable]$Kind, [string]$Code, [hashtable]$Context)
    $entry = if ($Code -like 'MnATrust*') { 'MnATrust' } elseif ($script:SpoMoveFailureFixes.ContainsKey($Code)) { $Code } else { 'Restart' }
    & $script:SpoMoveFailureFixes[$entry] $Move $Kind $Context
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
