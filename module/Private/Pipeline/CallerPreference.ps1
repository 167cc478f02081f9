# Honouring the caller's preference variables.
#
# A function in a script module reads preference variables from the module's scope chain (which
# ends in the global scope), not from its caller: a script that sets $ErrorActionPreference = 'Stop'
# or $WhatIfPreference = $true in its own scope would be ignored, unlike with compiled cmdlets
# (PowerShell issue #4568). Each public command therefore dot-sources this block first, which copies
# the caller's values into the command's own scope unless the matching common parameter was given.
# Except on the hot path: Invoke-SpoTenantMethod has its own inline copy of these lines (to save the
# dot-sourcing on every request), so a change here must be made there too.

# Dot-source with the command's $PSCmdlet: . $script:SpoUseCallerPreference $PSCmdlet
# Dot-sourcing runs it in the command's scope, so the assignments below create the command's own
# preference variables. Written out line by line because it runs on every call.
$script:SpoUseCallerPreference = {
    param([System.Management.Automation.PSCmdlet]$SpoCaller)
    $SpoBound = $SpoCaller.MyInvocation.BoundParameters
    $SpoCallerVariables = $SpoCaller.SessionState.PSVariable
    if (-not $SpoBound.ContainsKey('ErrorAction')) { $ErrorActionPreference = $SpoCallerVariables.GetValue('ErrorActionPreference') }
    if (-not $SpoBound.ContainsKey('WarningAction')) { $WarningPreference = $SpoCallerVariables.GetValue('WarningPreference') }
    if (-not $SpoBound.ContainsKey('Verbose')) { $VerbosePreference = $SpoCallerVariables.GetValue('VerbosePreference') }
    if (-not $SpoBound.ContainsKey('Debug')) { $DebugPreference = $SpoCallerVariables.GetValue('DebugPreference') }
    if (-not $SpoBound.ContainsKey('WhatIf')) { $WhatIfPreference = $SpoCallerVariables.GetValue('WhatIfPreference') }
    if (-not $SpoBound.ContainsKey('Confirm')) { $ConfirmPreference = $SpoCallerVariables.GetValue('ConfirmPreference') }
}
