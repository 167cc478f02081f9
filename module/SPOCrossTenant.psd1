@{
    RootModule           = 'SPOCrossTenant.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f6d1e-2f4c-4f1a-9a53-6c2f4e8d7a31'
    Author               = 'SPOCrossTenant contributors'
    Copyright            = '(c) SPOCrossTenant contributors. MIT License.'
    Description          = 'SharePoint Online cross-tenant trust (Set-SPOCrossTenantRelationship and related commands) on PowerShell 7 on Windows, Linux and macOS, backed by a native engine.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Connect-SPOService', 'Disconnect-SPOService', 'Get-SPOCrossTenantConnection', 'Set-SPOCrossTenantRelationship',
        'Get-SPOCrossTenantHostUrl', 'Test-SPOCrossTenantRelationship', 'Remove-SPOCrossTenantRelationship',
        'Get-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantRelationshipByScenario')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @('Verify-SPOCrossTenantRelationship')
    FormatsToProcess     = @('SPOCrossTenant.format.ps1xml')
    TypesToProcess       = @('SPOCrossTenant.types.ps1xml')
    PrivateData          = @{
        PSData = @{
            Tags = @('SharePoint', 'SharePointOnline', 'CrossTenant', 'Migration', 'OneDrive', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
        }
    }
}
