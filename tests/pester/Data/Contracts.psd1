# The parameter contract each command must keep, checked by Contract.Tests.ps1 against Get-Command.
#
# Set-SPOCrossTenantRelationship: copied from Microsoft's official help page for the cmdlet
# (learn.microsoft.com/powershell/module/sharepoint-online/set-spocrosstenantrelationship, the
# SYNTAX block and the YAML block of each parameter: Type, Parameter Sets (All), Aliases (none),
# Accepted values, Required, Position, Accept pipeline input False, Accept wildcard characters False).
# Scripts written for Microsoft's module must bind the same way against ours.
#
# Disconnect-SPOService: this module's own design, recorded here so that changing it is a
# deliberate act. Connect-SPOService has eight parameter sets; its contract is in SignIn.Tests.ps1,
# and the trust workflow commands' contracts are in Relations.Contract.Tests.ps1.
@{
    'Set-SPOCrossTenantRelationship' = @{
        SupportsShouldProcess = $true
        ParameterSetCount     = 1
        Parameters            = @(
            @{ Name = 'Scenario'; Type = 'Microsoft.SharePoint.Client.Administration.OrgRelationScenario'; Position = 0; Mandatory = $true; AcceptedValues = @('None', 'MnA') }
            @{ Name = 'PartnerRole'; Type = 'Microsoft.SharePoint.Client.Administration.OrgRelationRole'; Position = 1; Mandatory = $true; AcceptedValues = @('None', 'Source', 'Target') }
            @{ Name = 'PartnerCrossTenantHostUrl'; Type = 'System.String'; Position = 2; Mandatory = $true }
        )
    }
    'Disconnect-SPOService'          = @{
        SupportsShouldProcess = $false
        ParameterSetCount     = 1
        Parameters            = @()
    }
}
