# Move states made by hand, and the status and report of them through the module's own code
# (module scope), for tests that need no emulator. Dot-source after Import-ModuleUnderTest
# -WithPrivateCode.

$script:TestCompanyId = '11111111-2222-3333-4444-555555555555'

function New-TestMoveState {
    # One SPOCrossTenant.ContentMoveState as the Get- commands write it. $Key: a short name (a UPN,
    # a site URL or the alias itself by $Kind).
    param([string]$Key, [ValidateSet('User', 'Site', 'Group')][string]$Kind = 'User', [string]$State, [string]$Code, [string]$Message,
        [datetime]$Created, [object]$Completed, [string]$Direction = 'MoveOut')
    $keys = @{
        User  = @("$Key@contoso.com", "$Key@fabrikam.com", 'Odb')
        Site  = @("https://contoso.sharepoint.com/sites/$Key", "https://fabrikam.sharepoint.com/sites/$Key-new", 'RegSite')
        Group = @($Key, "$Key-new", 'Group')
    }[$Kind]
    if (-not $Message -and $Code) { $Message = "The move failed ($Code)" }
    [pscustomobject]@{
        PSTypeName = 'SPOCrossTenant.ContentMoveState'; MoveJobId = [guid]::NewGuid(); ContentType = $keys[2]; SourceContentKey = $keys[0]; TargetContentKey = $keys[1]
        SourceSiteUrl = $null; TargetSiteUrl = $null; TargetCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com/'; MoveDirection = $Direction
        MoveState = $State; MovePhase = $null; PercentComplete = $(if ($Completed) { 100 } else { 40 }); ValidationOnly = $false
        ErrorCode = $Code; ErrorMessage = $Message; SourceDataLocation = $null; DestinationDataLocation = $null
        PreferredMoveBeginDate = $null; PreferredMoveEndDate = $null; CreatedTime = $Created; StartedTime = $Created; CompletedTime = $Completed; TimeStamp = $Completed
        TraceCorrelationId = [guid]::NewGuid().ToString()
    }
}

function New-TestStatus {
    # The status of $States, generated at $script:Generated, with this tenant's id $script:TestCompanyId.
    param([object[]]$States)
    & (Get-Module SPOCrossTenant) { param($s, $g, $c) New-SpoMigrationStatus -States $s -Partner 'https://fabrikam-my.sharepoint.com/' -Context @{ CompanyId = $c } -GeneratedAt $g } `
        ([System.Collections.Generic.List[object]]@($States)) $script:Generated $script:TestCompanyId
}

function Write-TestStatusReport {
    # Writes the report of $States to $Path (and the CSV beside it) as Get-SPOCrossTenantMigrationStatus
    # would; returns what was not written (if anything), then the status.
    param([object[]]$States, [string]$Path, [datetime]$GeneratedAt)
    & (Get-Module SPOCrossTenant) {
        param($s, $p, $g, $c)
        $status = New-SpoMigrationStatus -States $s -Partner 'https://fabrikam-my.sharepoint.com/' -Context @{ CompanyId = $c } -GeneratedAt $g
        Write-SpoStatusReport -Status $status -Files @{ Html = $p; Csv = [System.IO.Path]::ChangeExtension($p, '.csv') }
        $status
    } ([System.Collections.Generic.List[object]]@($States)) $Path $GeneratedAt $script:TestCompanyId
}
