# The manifest of the module's SOURCE tree (module/), and the template of the package's manifest:
# scripts/build-module.ps1 copies the descriptive fields and fills in ModuleVersion (Cargo.toml),
# FunctionsToExport and AliasesToExport (module/Public), FormatsToProcess and TypesToProcess.
# PowerShellVersion 7.4: the compiled binding targets .NET 8, the runtime of PowerShell 7.4.
@{
    RootModule           = 'SPOCrossTenant.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f6d1e-2f4c-4f1a-9a53-6c2f4e8d7a31'
    Author               = 'SPOCrossTenant contributors'
    Copyright            = '(c) SPOCrossTenant contributors. MIT License.'
    Description          = 'SharePoint Online cross-tenant trust and migration (Set-SPOCrossTenantRelationship, identity maps, OneDrive, site and group moves, readiness reports) on PowerShell 7 on Windows, Linux and macOS, with the command names of Microsoft''s module, backed by a native engine.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = '*'
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = '*'
    FormatsToProcess     = @('SPOCrossTenant.format.ps1xml')
    TypesToProcess       = @('SPOCrossTenant.types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags = @('SharePoint', 'SharePointOnline', 'CrossTenant', 'Migration', 'OneDrive', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
        }
    }
}
