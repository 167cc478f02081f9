# The parameter contract each command must keep, checked by Contract.Tests.ps1 against Get-Command.
#
# Set-SPOCrossTenantRelationship: copied from Microsoft's official help page for the cmdlet
# (learn.microsoft.com/powershell/module/sharepoint-online/set-spocrosstenantrelationship, the
# SYNTAX block and the YAML block of each parameter: Type, Parameter Sets (All), Aliases (none),
# Accepted values, Required, Position, Accept pipeline input False, Accept wildcard characters False).
# Scripts written for Microsoft's module must bind the same way against ours.
#
# Connect-SPOService and Disconnect-SPOService: this module's own design (token-based sign-in),
# recorded here so that changing it is a deliberate act. Url at position 0 follows the real cmdlet.
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
    'Connect-SPOService'             = @{
        SupportsShouldProcess = $false
        ParameterSetCount     = 1
        Parameters            = @(
            @{ Name = 'Url'; Type = 'System.String'; Position = 0; Mandatory = $true }
            @{ Name = 'AccessToken'; Type = 'System.Object'; Position = $null; Mandatory = $true }
            @{ Name = 'ClientTag'; Type = 'System.String'; Position = $null; Mandatory = $false }
            @{ Name = 'TimeoutSeconds'; Type = 'System.Int32'; Position = $null; Mandatory = $false }
        )
    }
    'Disconnect-SPOService'          = @{
        SupportsShouldProcess = $false
        ParameterSetCount     = 1
        Parameters            = @()
    }
}
