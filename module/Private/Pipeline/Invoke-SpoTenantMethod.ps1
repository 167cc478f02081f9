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
    # them (enums are sent by name).
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments)

    # The caller's preferences, unless the matching common parameter was given (see
    # CallerPreference.ps1; written out because this runs on every call). They are set in this
    # scope, where $Cmdlet.WriteError/WriteVerbose/ShouldProcess look them up.
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
    $target = if ($Arguments.Contains('PartnerCrossTenantHostUrl')) { $Arguments.PartnerCrossTenantHostUrl } else { $connection.AdminUrl }

    $text = [string[]]::new($Arguments.Count)
    $index = 0
    foreach ($entry in $Arguments.GetEnumerator()) {
        $value = [string]$entry.Value
        # The engine takes NUL-terminated text: an embedded NUL would cut the value short unseen.
        if ($value.IndexOf([char]0) -ge 0) {
            $record = New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName $entry.Key -TargetObject $entry.Value `
                -Message "The $($entry.Key) contains a NUL character, which cannot be sent."
            if ($fromPipeline) { $Cmdlet.WriteError($record); return }
            $Cmdlet.ThrowTerminatingError($record)
        }
        $text[$index++] = $value
    }

    $spec = $script:SpoTenantMethods[$Method]
    if ($spec.Changes -or $verbose) { $call = Format-SpoMethodCall $Method $Arguments }
    if ($spec.Changes -and -not $Cmdlet.ShouldProcess($target, "Send $call to $($connection.AdminUrl)")) { return }
    if ($verbose) {
        $where = if ($spec.Rest) { "the SharePoint REST API of $($connection.AdminUrl)" } else { $connection.ProcessQueryUrl }
        $Cmdlet.WriteVerbose("Sending $call to $where.")
    }

    $result = Invoke-SpoNativeCall $connection.Handle $Method $text
    if ($debug) { $Cmdlet.WriteDebug("$Method finished: status $($result.Status), sent $($result.Sent), HTTP $($result.HttpStatus); value '$($result.Value)'.") }
    if ($result.Succeeded) {
        if ($verbose) { $Cmdlet.WriteVerbose("$Method succeeded; TraceCorrelationId $(if ($result.CorrelationId) { $result.CorrelationId } else { '(none)' }).") }
        if ($spec.Output) { & $spec.Output $Cmdlet $result $Arguments $connection }
        return
    }
    if ($verbose -and $result.CorrelationId) { $Cmdlet.WriteVerbose("$Method failed; TraceCorrelationId $($result.CorrelationId).") }
    $record = New-SpoErrorRecord -Result $result -Arguments $Arguments -TargetObject $target -AdminUrl $connection.AdminUrl
    # Input the engine refused (nothing was sent) stops the command, unless it came from the
    # pipeline. A request that failed is a non-terminating error, like a cmdlet failing on one item.
    if ($result.Kind -eq 'InvalidArgument' -and -not $fromPipeline) { $Cmdlet.ThrowTerminatingError($record) }
    $Cmdlet.WriteError($record)
}

function Format-SpoMethodCall {
    # "Method(Name=value, Text='value')" for -Verbose and ShouldProcess.
    param([string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments)
    $parts = foreach ($entry in $Arguments.GetEnumerator()) {
        if ($entry.Value -is [string]) { "$($entry.Key)='$($entry.Value)'" } else { "$($entry.Key)=$($entry.Value)" }
    }
    "$Method($($parts -join ', '))"
}
