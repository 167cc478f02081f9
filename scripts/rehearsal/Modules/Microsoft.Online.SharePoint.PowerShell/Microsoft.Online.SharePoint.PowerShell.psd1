# For rehearsals only (scripts/rehearsal/Invoke-RehearsedScript.ps1 puts this folder on the
# module path of a rehearsed script, never anywhere else): SPOCrossTenant under the name of
# Microsoft's SharePoint Online Management Shell module, so that a production script's
# 'Import-Module Microsoft.Online.SharePoint.PowerShell' or '#Requires -Modules
# Microsoft.Online.SharePoint.PowerShell' runs unchanged against the emulator. SPOCrossTenant is
# loaded once: a later 'Import-Module SPOCrossTenant' finds the same module and connection.
@{
    # Any 16.0 version a script asks for with #Requires (a minimum) is met.
    ModuleVersion     = '16.0.65535.0'
    GUID              = '70243351-6075-4136-b9e6-f0df6b225a04'
    Author            = 'SPOCrossTenant'
    Description       = 'Rehearsals only: SPOCrossTenant standing in for Microsoft.Online.SharePoint.PowerShell.'
    PowerShellVersion = '7.4'
    NestedModules     = @('SPOCrossTenant')
    FunctionsToExport = '*'
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = '*'
}
