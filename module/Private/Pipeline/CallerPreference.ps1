# Honouring the caller's preference variables (the why, and the list, are in
# module/Binding/CallerPreference.cs): each public command that does not go through
# Invoke-SpoTenantMethod, which copies them itself, dot-sources this block first.

# Dot-source with the command's $PSCmdlet: . $script:SpoUseCallerPreference $PSCmdlet
# Dot-sourcing runs it in the command's scope, which is the current scope of $ExecutionContext's
# session state there, so that is where the caller's values are copied.
$script:SpoUseCallerPreference = {
    param([System.Management.Automation.PSCmdlet]$SpoCaller)
    $null = [SPOCrossTenant.CallerPreference]::Copy($SpoCaller, $ExecutionContext.SessionState)
}
