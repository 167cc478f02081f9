# Tab completion of -PartnerCrossTenantHostUrl, and the per-connection memory of URLs it offers.
#
# The enum parameters (-Scenario, -PartnerRole) complete by themselves. Partner URLs cannot be
# guessed, so the module remembers, per tenant admin site, the partner URLs it has seen: in the
# output of the Get-SPOCrossTenantRelationship* commands and in Test-SPOCrossTenantRelationship
# calls. The first completion on a connection also asks the server once for the relations it
# holds (GetSPOTenantOrgRelationAll), with a short time limit, so relations set earlier (by
# Set-SPOCrossTenantRelationship or in another session) are offered too. Nothing is sent at
# import: registering a completer is a table entry in this session.
#
# The memory is per admin URL (it survives connecting again to the same tenant with a new token),
# in module scope, and gone when the module is removed. It holds URLs only, never tokens.

# Admin URL (lower case, no trailing slash) -> [ordered] normalized partner URL -> entry
# @{ Url = as seen first; Roles = partner roles seen; Note = tooltip text }.
$script:SpoKnownPartners = @{}
# Admin URL (as above) -> this tenant's own host URL, once Get-SPOCrossTenantHostUrl has run.
$script:SpoKnownHostUrls = @{}
# Connection handles whose relations the completer has already asked the server for.
$script:SpoCompletionQueried = @{}
# How long the completer may wait for that one request before giving up (tab completion must
# stay responsive; the request is cancelled).
$script:SpoCompletionQueryMs = 1500

# The commands whose -PartnerCrossTenantHostUrl gets the completer (the alias is resolved to the
# function by PowerShell, and registered as well in case a host looks it up by the typed name).
$script:SpoPartnerUrlCommands = @(
    'Set-SPOCrossTenantRelationship', 'Test-SPOCrossTenantRelationship', 'Verify-SPOCrossTenantRelationship',
    'Remove-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantCompatibilityStatus'
)

function Get-SpoConnectionKey {
    # The key of the per-connection memory: the admin URL in lower case without a trailing slash.
    param([psobject]$Connection)
    if (-not $Connection) { return $null }
    $Connection.AdminUrl.TrimEnd('/').ToLowerInvariant()
}

function Get-SpoNormalizedUrl {
    # URLs compare in lower case without a trailing slash, as the service does.
    param([string]$Url)
    $Url.Trim().TrimEnd('/').ToLowerInvariant()
}

function Add-SpoKnownPartner {
    # Remembers a partner URL for the connection's tenant; $Role and $Note are optional.
    param([psobject]$Connection, [string]$Url, [string]$Role, [string]$Note)
    $key = Get-SpoConnectionKey $Connection
    if (-not $key -or [string]::IsNullOrWhiteSpace($Url)) { return }
    $known = $script:SpoKnownPartners[$key]
    if (-not $known) { $known = [ordered]@{}; $script:SpoKnownPartners[$key] = $known }
    $normalized = Get-SpoNormalizedUrl $Url
    $entry = $known[$normalized]
    if (-not $entry) { $entry = @{ Url = $Url.Trim(); Roles = [System.Collections.Generic.List[string]]::new(); Note = '' }; $known[$normalized] = $entry }
    if ($Role -and -not $entry.Roles.Contains($Role)) { $entry.Roles.Add($Role) }
    if ($Note) { $entry.Note = $Note }
}

function Add-SpoKnownRelations {
    # Remembers the partners of SPOCrossTenant.Relationship objects.
    param([psobject]$Connection, [object[]]$Relation)
    foreach ($item in $Relation) {
        $note = "$($item.Scenario) relationship; the partner is the $($item.PartnerRole)"
        if ($item.CreatedTime) { $note += "; created $($item.CreatedTime.ToString('u'))" }
        Add-SpoKnownPartner -Connection $Connection -Url $item.PartnerCrossTenantHostUrl -Role $item.PartnerRole -Note $note
    }
}

function Set-SpoKnownHostUrl {
    # Remembers this tenant's own host URL (used by the verification advice, and never offered
    # as a partner).
    param([psobject]$Connection, [string]$Url)
    $key = Get-SpoConnectionKey $Connection
    if ($key -and $Url) { $script:SpoKnownHostUrls[$key] = $Url }
}

function Get-SpoKnownHostUrl {
    # This tenant's own host URL if Get-SPOCrossTenantHostUrl has run on it, else $null.
    param([psobject]$Connection)
    $key = Get-SpoConnectionKey $Connection
    if ($key) { $script:SpoKnownHostUrls[$key] }
}

function Read-SpoRelationsForCompletion {
    # Asks the server once for this tenant's relations, giving up (and cancelling the request)
    # after $TimeoutMs. Returns the relations, or nothing on any failure: completion stays quiet.
    param([psobject]$Connection, [int]$TimeoutMs)
    $method = [System.Text.Encoding]::UTF8.GetBytes('GetSPOTenantOrgRelationAll' + [char]0)
    $operation = [IntPtr]::Zero; $record = [IntPtr]::Zero
    $null = [SPOCrossTenant.Native]::spo_call($Connection.Handle, $method, [string[]]@(), [UIntPtr]::Zero, [uint32]$TimeoutMs, [ref]$operation, [ref]$record)
    $result = [SPOCrossTenant.NativeResult]::Take($record)
    # Still running after the time limit: cancelled, and nothing offered.
    if ($operation -ne [IntPtr]::Zero) {
        [SPOCrossTenant.Native]::spo_operation_cancel($operation)
        [SPOCrossTenant.Native]::spo_operation_free($operation)
        return
    }
    if ($result.Succeeded) {
        $parsed = ConvertFrom-SpoRelationPayload $result.Value
        if ($parsed.Understood) { $parsed.Relations }
    }
}

function Get-SpoPartnerUrlCompletion {
    # The completions for -PartnerCrossTenantHostUrl: known partner URLs of the current
    # connection's tenant that start with (then: contain) what was typed; with -PartnerRole
    # already typed, the partners known in that role come first.
    param([string]$WordToComplete, [System.Collections.IDictionary]$FakeBoundParameters)
    $connection = $script:SpoConnection
    $key = Get-SpoConnectionKey $connection
    if (-not $key) { return }
    if (-not $script:SpoCompletionQueried.ContainsKey($connection.Handle)) {
        $script:SpoCompletionQueried[$connection.Handle] = $true
        $relations = @(Read-SpoRelationsForCompletion -Connection $connection -TimeoutMs $script:SpoCompletionQueryMs)
        Add-SpoKnownRelations -Connection $connection -Relation $relations
    }
    $known = $script:SpoKnownPartners[$key]
    if (-not $known) { return }
    $word = $WordToComplete.Trim([char[]]"'`"")
    $own = Get-SpoKnownHostUrl $connection
    $ownNormalized = if ($own) { Get-SpoNormalizedUrl $own }
    $role = if ($FakeBoundParameters -and $FakeBoundParameters.Contains('PartnerRole')) { "$($FakeBoundParameters['PartnerRole'])" }
    # Rank 0: starts with what was typed; 2: contains it; +1 when known in another role only.
    $ranked = foreach ($normalized in $known.Keys) {
        $entry = $known[$normalized]
        if ($normalized -eq $ownNormalized) { continue }
        if (-not $word -or $entry.Url.StartsWith($word, [System.StringComparison]::OrdinalIgnoreCase)) { $rank = 0 }
        elseif ($entry.Url.IndexOf($word, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { $rank = 2 }
        else { continue }
        if ($role -and -not $entry.Roles.Contains($role)) { $rank++ }
        @{ Rank = $rank; Entry = $entry }
    }
    # By rank, keeping the order in which the URLs were first seen within a rank.
    foreach ($wanted in 0..3) {
        foreach ($item in $ranked) {
            if ($item.Rank -ne $wanted) { continue }
            $url = $item.Entry.Url
            $text = if ($url -match '[\s''"`$&(){};,|@#<>]') { "'" + $url.Replace("'", "''") + "'" } else { $url }
            $tip = if ($item.Entry.Note) { "$url ($($item.Entry.Note))" } else { $url }
            [System.Management.Automation.CompletionResult]::new($text, $url, 'ParameterValue', $tip)
        }
    }
}

# Registered at import: cheap (no request, no other module loaded). The script block belongs to
# this module, so it sees the module's connection and memory.
Register-ArgumentCompleter -CommandName $script:SpoPartnerUrlCommands -ParameterName PartnerCrossTenantHostUrl -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-SpoPartnerUrlCompletion -WordToComplete $wordToComplete -FakeBoundParameters $fakeBoundParameters
}
