# The one path of every command that talks to the tenant: the caller's preferences, the
# connection, text the engine cannot take, ShouldProcess, -Verbose narration, the native call, the
# ErrorRecord, and the output. A command file is help, parameters and a call to this.
#
# It runs once per request and its cost is most of what the module adds to one, so it is one
# plain function (no [Parameter] attributes, which would make PowerShell bind it like a cmdlet),
# and text for -Verbose and -Debug is built only when it will be shown.

function Invoke-SpoTenantMethod {
    # $Cmdlet is the command's $PSCmdlet; $Method the server method (see TenantMethods.ps1);
    # $Arguments the command's parameters in the server method's order, named as the command names
    # them (enums are sent by name, dates as UTC ISO-8601, switches as true/false, $null as "").
    # $Row, when given, is the 1-based position of a piped item, named in its error.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments, [int]$Row)

    # The caller's preferences, unless the matching common parameter was given: an inline copy of
    # $script:SpoUseCallerPreference (CallerPreference.ps1), kept in step with it by hand because
    # dot-sourcing it costs time on every call. They are set in this scope, where
    # $Cmdlet.WriteError/WriteVerbose/ShouldProcess look them up.
    $bound = $Cmdlet.MyInvocation.BoundParameters
    $callerVariables = $Cmdlet.SessionState.PSVariable
    if (-not $bound.ContainsKey('ErrorAction')) { $ErrorActionPreference = $callerVariables.GetValue('ErrorActionPreference') }
    if (-not $bound.ContainsKey('WarningAction')) { $WarningPreference = $callerVariables.GetValue('WarningPreference') }
    if (-not $bound.ContainsKey('Verbose')) { $VerbosePreference = $callerVariables.GetValue('VerbosePreference') }
    if (-not $bound.ContainsKey('Debug')) { $DebugPreference = $callerVariables.GetValue('DebugPreference') }
    if (-not $bound.ContainsKey('WhatIf')) { $WhatIfPreference = $callerVariables.GetValue('WhatIfPreference') }
    if (-not $bound.ContainsKey('Confirm')) { $ConfirmPreference = $callerVariables.GetValue('ConfirmPreference') }
    $verbose = $VerbosePreference -ne 'SilentlyContinue' -and $VerbosePreference -ne 'Ignore'
    $debug = $DebugPreference -ne 'SilentlyContinue' -and $DebugPreference -ne 'Ignore'

    $connection = $script:SpoConnection
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    # Piped objects are items: a refused argument skips that item instead of stopping the pipeline.
    $fromPipeline = $Cmdlet.MyInvocation.ExpectingInput
    # The argument text, what the request is about (for ShouldProcess and error records), and a
    # refusal when an argument cannot be sent.
    $parts = ConvertTo-SpoCallArguments $Arguments $connection.AdminUrl
    $target = $parts.Target
    if ($parts.Refused) {
        $record = $parts.Refused
        if ($Row) { Add-SpoRowToErrorRecord $record $Row $target }
        if ($fromPipeline) { $Cmdlet.WriteError($record); return }
        $Cmdlet.ThrowTerminatingError($record)
    }
    $text = $parts.Text

    $spec = $script:SpoTenantMethods[$Method]
    # The readable call is built only when someone will read it: -Verbose, -WhatIf, or a
    # confirmation prompt (ConfirmImpact Medium prompts when $ConfirmPreference is Medium or Low).
    $call = $Method
    if ($verbose -or ($spec.Changes -and ($WhatIfPreference -or $ConfirmPreference -eq 'Medium' -or $ConfirmPreference -eq 'Low'))) {
        $call = Format-SpoMethodCall $Method $Arguments
    }
    if ($spec.Changes -and -not $Cmdlet.ShouldProcess($target, "Send $call to $($connection.AdminUrl)")) { return }
    if ($verbose) {
        $Cmdlet.WriteVerbose("Sending $call to $(Get-SpoCallDestination $Method $connection).")
    }

    # The native call, inline: most requests finish within the first wait and need nothing else.
    $name = $script:SpoCommandBytes[$Method]
    if (-not $name) { $name = Get-SpoCommandBytes $Method }
    $operation = [IntPtr]::Zero
    $result = [SPOCrossTenant.NativeResult]::Call($connection.Handle, $name, $text, $script:SpoWaitSliceMs, [ref]$operation)
    if ($operation -ne [IntPtr]::Zero -or $result.Progress.Length) { $result = Wait-SpoNativeResult -Operation $operation -Result $result }
    if ($debug) { $Cmdlet.WriteDebug("$Method finished: status $($result.Status), sent $($result.Sent), HTTP $($result.HttpStatus); value '$($result.Value)'.") }
    if ($result.Succeeded) {
        if ($verbose) { $Cmdlet.WriteVerbose("$Method succeeded; TraceCorrelationId $(if ($result.CorrelationId) { $result.CorrelationId } else { '(none)' }).") }
        if ($spec.Output) { & $spec.Output $Cmdlet $result $Arguments $connection }
        return
    }
    if ($verbose -and $result.CorrelationId) { $Cmdlet.WriteVerbose("$Method failed; TraceCorrelationId $($result.CorrelationId).") }
    $record = New-SpoErrorRecord -Result $result -Arguments $Arguments -TargetObject $target -AdminUrl $connection.AdminUrl
    if ($Row) { Add-SpoRowToErrorRecord $record $Row $target }
    # Input the engine refused (nothing was sent) stops the command, unless it came from the
    # pipeline. A request that failed is a non-terminating error, like a cmdlet failing on one item.
    if ($result.Kind -eq 'InvalidArgument' -and -not $fromPipeline) { $Cmdlet.ThrowTerminatingError($record) }
    $Cmdlet.WriteError($record)
}

# The parts of one call that Invoke-SpoTenantMethod and the probes (TenantProbe.ps1) share.

function ConvertTo-SpoCallArguments {
    # $Arguments as the engine takes them: @{ Text = the string[] to send; Target = what the request
    # is about, for ShouldProcess and error records; Refused = $null, or the ErrorRecord of an
    # argument that cannot be sent (nothing is sent then, and Text is $null). $AdminUrl is the
    # connection's, the target of a request no argument names.
    param([System.Collections.Specialized.OrderedDictionary]$Arguments, [string]$AdminUrl)
    # The target: the first argument that names it (a source key, the partner, the map file, the
    # site), else the admin site.
    $target = $AdminUrl
    foreach ($key in $Arguments.Keys) {
        if ($key -like 'Source*' -or $key -in 'PartnerCrossTenantHostUrl', 'IdentityMapPath', 'OldSiteUrl') { $target = $Arguments[$key]; break }
    }
    $text = [string[]]::new($Arguments.Count)
    $index = 0
    foreach ($entry in $Arguments.GetEnumerator()) {
        # Text and enums (by name) are most arguments; dates, switches and $null take the slow path.
        $value = $entry.Value
        $value = if ($value -is [string]) { $value } elseif ($value -is [System.Enum]) { $value.ToString() } else { ConvertTo-SpoArgumentText $value }
        # The engine takes NUL-terminated text: an embedded NUL would cut the value short unseen.
        if ($value.IndexOf([char]0) -ge 0) {
            return @{ Text = $null; Target = $target
                Refused = New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName $entry.Key -TargetObject $entry.Value `
                    -Message "The $($entry.Key) contains a NUL character, which cannot be sent." }
        }
        $text[$index++] = $value
    }
    @{ Text = $text; Target = $target; Refused = $null }
}

function Get-SpoCallDestination {
    # Where a request for $Method goes, as -Verbose says it.
    param([string]$Method, [psobject]$Connection)
    if ($script:SpoTenantMethods[$Method].Rest) { "the SharePoint REST API of $($Connection.AdminUrl)" } else { $Connection.ProcessQueryUrl }
}

function Get-SpoCommandBytes {
    # $Method as the NUL-terminated UTF-8 the engine takes, encoded once per name and cached in
    # $script:SpoCommandBytes (the hot path reads the cache itself and calls this on a miss).
    param([string]$Method)
    $name = $script:SpoCommandBytes[$Method]
    if (-not $name) { $name = [System.Text.Encoding]::UTF8.GetBytes($Method + [char]0); $script:SpoCommandBytes[$Method] = $name }
    $name
}

function Format-SpoMethodCall {
    # "Method(Name=value, Text='value')" for -Verbose and ShouldProcess.
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments)
    $parts = foreach ($entry in $Arguments.GetEnumerator()) {
        if ($entry.Value -is [string]) { "$($entry.Key)='$($entry.Value)'" } else { "$($entry.Key)=$($entry.Value)" }
    }
    "$Method($($parts -join ', '))"
}

function ConvertTo-SpoArgumentText {
    # One argument as the engine takes it. Dates are UTC: a date without a kind is taken as UTC
    # already (the migration commands document their dates as UTC), a local one is converted.
    param($Value)
    if ($null -eq $Value) { return '' }
    if ($Value -is [datetime]) {
        $utc = if ($Value.Kind -eq 'Local') { $Value.ToUniversalTime() } else { [datetime]::SpecifyKind($Value, 'Utc') }
        return $utc.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [System.Globalization.CultureInfo]::InvariantCulture)
    }
    if ($Value -is [bool] -or $Value -is [switch]) { return $(if ($Value) { 'true' } else { 'false' }) }
    [string]$Value
}

function Add-SpoRowToErrorRecord {
    # Names the piped item an error is about ("row 3 (alex@contoso.com)"), keeping the message.
    param([System.Management.Automation.ErrorRecord]$Record, [int]$Row, [object]$Target)
    $message = "Row $Row ($Target): $($Record.Exception.Message)"
    $action = if ($Record.ErrorDetails) { $Record.ErrorDetails.RecommendedAction }
    $Record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
    if ($action) { $Record.ErrorDetails.RecommendedAction = $action }
}
