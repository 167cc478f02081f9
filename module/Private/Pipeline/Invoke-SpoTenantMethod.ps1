# The one path of every command that talks to the tenant: the caller's preferences, the
# connection, text the engine cannot take, ShouldProcess, -Verbose narration, the native call, the
# ErrorRecord, and the output. A command file is help, parameters and a call to this.
#
# It runs once per request and its cost is most of what the module adds to one. So the steps every
# request takes (preferences, argument text, ShouldProcess, the -Verbose line, the native call) are
# one call into the binding ([SPOCrossTenant.TenantCall]::Send, module/Binding/TenantCall.cs), and
# this plain function (no [Parameter] attributes, which would make PowerShell bind it like a
# cmdlet) keeps what only some requests need: waiting, output, errors.

function Invoke-SpoTenantMethod {
    # $Cmdlet is the command's $PSCmdlet; $Method the server method (see TenantMethods.ps1);
    # $Arguments the command's parameters in the server method's order, named as the command names
    # them (enums are sent by name, dates as UTC ISO-8601, switches as true/false, $null as "").
    # $Row, when given, is the 1-based position of a piped item, named in its error.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments, [int]$Row)

    $connection = $script:SpoConnection
    if (-not $connection) { $Cmdlet.ThrowTerminatingError((New-SpoNotConnectedErrorRecord)) }
    $spec = $script:SpoTenantMethods[$Method]
    # Copies the caller's preferences into this scope, where $Cmdlet.WriteError and the rest look them up.
    $call = [SPOCrossTenant.TenantCall]::Send($Cmdlet, $ExecutionContext.SessionState, $Method, $spec, $connection, $Arguments, $script:SpoWaitSliceMs)
    if (-not $call.Succeeded) { Complete-SpoTenantCall $Cmdlet $call $Method $Arguments $Row $connection; return }
    if ($spec.Output) { & $spec.Output $Cmdlet $call.Result $Arguments $connection }
}

function Complete-SpoTenantCall {
    # The rest of a call that did not succeed within its first wait: waits for it if it still runs
    # (Wait-SpoNativeResult: in slices, cancelled on Ctrl+C), then writes its error, or its output
    # when it succeeded after all. Move batches (MoveBatch.ps1) call it for each row, in input
    # order, once they have waited for the row themselves. The arguments are Invoke-SpoTenantMethod's.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.TenantCall]$Call, [string]$Method, [System.Collections.Specialized.OrderedDictionary]$Arguments,
        [int]$Row, [SPOCrossTenant.TenantConnection]$Connection)
    if (-not $Call.Result) {
        if ($Call.Declined) { return }
        # Piped objects are items: a refused argument skips that item instead of stopping the pipeline.
        $record = New-SpoTextRefusedErrorRecord $Call.RefusedParameter $Call.RefusedValue
        if ($Row) { Add-SpoRowToErrorRecord $record $Row $Call.Target }
        if ($Call.FromPipeline) { $Cmdlet.WriteError($record); return }
        $Cmdlet.ThrowTerminatingError($record)
    }
    if (-not $Call.Succeeded -and ($Call.Operation -ne [IntPtr]::Zero -or $Call.Result.Progress.Length)) {
        # Wait-SpoNativeResult frees the operation (or cancels and frees it on Ctrl+C).
        try { $Call.Finish((Wait-SpoNativeResult -Operation $Call.Operation -Result $Call.Result)) }
        finally { $Call.Operation = [IntPtr]::Zero }
    }
    $spec = $script:SpoTenantMethods[$Method]
    if (-not $Call.Succeeded) {
        $result = $Call.Result
        # A failure that carries a value says what the command had done first (an identity map
        # upload's refused rows): that output comes before the error.
        if ($result.Value -and $spec.Output) { & $spec.Output $Cmdlet $result $Arguments $Connection }
        $record = New-SpoErrorRecord -Result $result -Arguments $Arguments -TargetObject $Call.Target -AdminUrl $Connection.AdminUrl
        if ($Row) { Add-SpoRowToErrorRecord $record $Row $Call.Target }
        # Input the engine refused (nothing was sent) stops the command, unless it came from the
        # pipeline, and so does a failure of the whole command (the method's Terminating ids). A
        # request that failed is a non-terminating error, like a cmdlet failing on one item.
        if (($result.Kind -eq 'InvalidArgument' -and -not $Call.FromPipeline) -or $spec.Terminating -contains $result.ErrorId) { $Cmdlet.ThrowTerminatingError($record) }
        $Cmdlet.WriteError($record)
        return
    }
    if ($spec.Output) { & $spec.Output $Cmdlet $Call.Result $Arguments $Connection }
}

# The parts of one call that Invoke-SpoTenantMethod and the probes (TenantProbe.ps1) share.

function ConvertTo-SpoCallArguments {
    # $Arguments as the engine takes them (CallArguments.cs): @{ Text = the string[] to send; Target
    # = what the request is about, for ShouldProcess and error records; Refused = $null, or the
    # ErrorRecord of an argument that cannot be sent (nothing is sent then, and Text is $null).
    # $AdminUrl is the connection's, the target of a request no argument names.
    param([System.Collections.Specialized.OrderedDictionary]$Arguments, [string]$AdminUrl)
    $parts = [SPOCrossTenant.CallArguments]::Convert($Arguments, $AdminUrl)
    $refused = if ($null -eq $parts.Text) { New-SpoTextRefusedErrorRecord $parts.RefusedParameter $parts.RefusedValue }
    @{ Text = $parts.Text; Target = $parts.Target; Refused = $refused }
}

function New-SpoTextRefusedErrorRecord {
    # An argument the engine's NUL-terminated text cannot carry: nothing is sent.
    param([string]$ParameterName, [object]$Value)
    New-SpoArgumentErrorRecord -Id TextHasNul -ParameterName $ParameterName -TargetObject $Value `
        -Message "The $ParameterName contains a NUL character, which cannot be sent."
}

function Get-SpoCallDestination {
    # Where a request for $Method goes, as -Verbose says it.
    param([string]$Method, [SPOCrossTenant.TenantConnection]$Connection)
    [SPOCrossTenant.TenantCall]::Destination($script:SpoTenantMethods[$Method], $Connection)
}

function Format-SpoMethodCall {
    # "Method(Name=value, Text='value')" for -Verbose and ShouldProcess.
    param([string]$Method, [System.Collections.IDictionary]$Arguments)
    [SPOCrossTenant.CallArguments]::Format($Method, $Arguments)
}

function Add-SpoRowToErrorRecord {
    # Names the piped item an error is about ("row 3 (alex@contoso.com)"), keeping the message.
    param([System.Management.Automation.ErrorRecord]$Record, [int]$Row, [object]$Target)
    $message = "Row $Row ($Target): $($Record.Exception.Message)"
    $action = if ($Record.ErrorDetails) { $Record.ErrorDetails.RecommendedAction }
    $Record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($message)
    if ($action) { $Record.ErrorDetails.RecommendedAction = $action }
}
