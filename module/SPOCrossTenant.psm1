# Root module: loads one file per concept, then Initialize.ps1 finds the native engine, declares
# the types and binds the engine; then the commands are defined and exported.
# Only language features and .NET calls run at import: the first use of a cmdlet from another
# module (Join-Path, Where-Object...) would auto-load that module and cost more than all the rest.
# The files are listed one per line rather than looped over: a loop this long gets compiled by
# PowerShell on the spot, which costs more import time than it saves.

. "$PSScriptRoot/Private/NativeStatus.ps1"
. "$PSScriptRoot/Private/NativeLibrary.ps1"
. "$PSScriptRoot/Private/NativeText.ps1"
. "$PSScriptRoot/Private/NativeSecret.ps1"
. "$PSScriptRoot/Private/NativeError.ps1"
. "$PSScriptRoot/Private/Enums.ps1"
. "$PSScriptRoot/Private/ServerException.ps1"
. "$PSScriptRoot/Private/TypeCache.ps1"
. "$PSScriptRoot/Private/ErrorRecords.ps1"
. "$PSScriptRoot/Private/Invoke-NativeOperation.ps1"
. "$PSScriptRoot/Private/SignIn.ps1"
. "$PSScriptRoot/Private/Connection.ps1"
. "$PSScriptRoot/Private/CallerPreference.ps1"
. "$PSScriptRoot/Private/RelationPayload.ps1"
. "$PSScriptRoot/Private/VerificationAdvice.ps1"
. "$PSScriptRoot/Private/StatusValue.ps1"
. "$PSScriptRoot/Private/ArgumentCompleters.ps1"
. "$PSScriptRoot/Private/Initialize.ps1"

. "$PSScriptRoot/Public/Connect-SPOService.ps1"
. "$PSScriptRoot/Public/Disconnect-SPOService.ps1"
. "$PSScriptRoot/Public/Get-SPOCrossTenantConnection.ps1"
. "$PSScriptRoot/Public/Set-SPOCrossTenantRelationship.ps1"
. "$PSScriptRoot/Public/Get-SPOCrossTenantHostUrl.ps1"
. "$PSScriptRoot/Public/Test-SPOCrossTenantRelationship.ps1"
. "$PSScriptRoot/Public/Remove-SPOCrossTenantRelationship.ps1"
. "$PSScriptRoot/Public/Get-SPOCrossTenantRelationship.ps1"
. "$PSScriptRoot/Public/Get-SPOCrossTenantRelationshipByPartner.ps1"
. "$PSScriptRoot/Public/Get-SPOCrossTenantRelationshipByScenario.ps1"

# Removing the module releases the connection, so the library wipes the token right away.
$ExecutionContext.SessionState.Module.OnRemove = { Close-SpoConnection }

Export-ModuleMember -Function 'Connect-SPOService', 'Disconnect-SPOService', 'Get-SPOCrossTenantConnection', 'Set-SPOCrossTenantRelationship',
    'Get-SPOCrossTenantHostUrl', 'Test-SPOCrossTenantRelationship', 'Remove-SPOCrossTenantRelationship',
    'Get-SPOCrossTenantRelationship', 'Get-SPOCrossTenantRelationshipByPartner', 'Get-SPOCrossTenantRelationshipByScenario' `
    -Alias 'Verify-SPOCrossTenantRelationship'
