# Contract tests of the migration commands (issues 13 and 19), read from Get-Command and Get-Help
# metadata like the other contract suites: Microsoft's names, parameter names, types, positions,
# parameter sets and mandatory flags; pipeline binding; ShouldProcess; output types; help.
# "Mandatory" is read from metadata, never tested by leaving an argument out (that would prompt).

BeforeDiscovery {
    $text = 'System.String'
    $date = 'System.DateTime'
    $switch = 'System.Management.Automation.SwitchParameter'
    $state = 'SPOCrossTenant.ContentMoveState'
    $guid = 'System.Guid'
    $administration = 'Microsoft.SharePoint.Client.Administration'
    # Each parameter: Name, Type, Position (-1: named), Mandatory, Pipeline (by property name), Sets ('*': every set),
    # ByValue (the whole piped object).
    # Aliases: the other property names it binds from (issue 20: a move state object's), none by default.
    function P($Name, $Type, $Position = -1, $Mandatory = $false, $Pipeline = $false, $Sets = @('*'), $ByValue = $false, $Aliases = @()) {
        @{ Name = $Name; Type = $Type; Position = $Position; Mandatory = $Mandatory; Pipeline = $Pipeline; Sets = $Sets; ByValue = $ByValue; Aliases = $Aliases }
    }
    $contracts = [ordered]@{
        'Add-SPOTenantIdentityMap' = @{ ShouldProcess = $true; Output = @('System.Void'); DefaultSet = '__AllParameterSets'
            Parameters = @((P IdentityMapPath $text 0 $true), (P AllowMultipleRequests $switch)) }
        # Issue 19: single identity-map entries, as Microsoft's reference pages give their syntax
        # (/work/shared/docs/protocol.md section 10); Add- also binds rows from the pipeline by property name.
        'Add-SPOTenantIdentityMappingUser' = @{ ShouldProcess = $true; Output = @('System.Void'); DefaultSet = '__AllParameterSets'
            Parameters = @((P SourceTenantCompanyId $guid 0 $true $true), (P SourceUserKey $text 1 $true $true), (P TargetUserPuid $text 2 $false $true),
                (P TargetUserUpn $text 3 $true $true), (P TargetUserEmail $text 4 $true $true), (P UserType "$administration.TenantIdentityMappingUserType" 5 $true $true)) }
        'Add-SPOTenantIdentityMappingGroup' = @{ ShouldProcess = $true; Output = @('System.Void'); DefaultSet = '__AllParameterSets'
            Parameters = @((P SourceTenantCompanyId $guid 0 $true $true), (P SourceGroupObjectId $guid 1 $true $true), (P TargetGroupObjectId $guid 2 $true $true),
                (P TargetGroupName $text 3 $true $true), (P GroupType "$administration.TenantIdentityMappingGroupType" 4 $true $true)) }
        'Find-SPOCrossTenantLongFilePathsForSiteRename' = @{ ShouldProcess = $false; Output = @('System.String'); DefaultSet = '__AllParameterSets'
            Parameters = @((P OldSiteUrl $text 0 $true), (P NewSiteUrl $text 1 $true)) }
        # Issue 14: readiness before the first move, and waiting for a batch.
        'Test-SPOCrossTenantMigrationReadiness' = @{ ShouldProcess = $false; Output = @('SPOCrossTenant.ReadinessFinding'); DefaultSet = '__AllParameterSets'
            Parameters = @((P PartnerCrossTenantHostUrl $text 0 $true), (P InputObject 'System.Management.Automation.PSObject' -1 $false $false @('*') $true),
                (P Path $text), (P TargetAdminUrl $text), (P TargetAccessToken 'System.Object'), (P ReportPath $text), (P ThrottleLimit 'System.Int32')) }
        'Wait-SPOCrossTenantContentMove' = @{ ShouldProcess = $false; Output = @($state); DefaultSet = '__AllParameterSets'
            Parameters = @((P InputObject 'System.Management.Automation.PSObject' 0 $true $false @('*') $true), (P PartnerCrossTenantHostUrl $text),
                (P Timeout 'System.Int32'), (P PollIntervalSeconds 'System.Double'), (P ReportPath $text)) }
        # Issue 20: the status of a wave.
        'Get-SPOCrossTenantMigrationStatus' = @{ ShouldProcess = $false; Output = @('SPOCrossTenant.MigrationStatus'); DefaultSet = '__AllParameterSets'
            Parameters = @((P PartnerCrossTenantHostUrl $text 0 $true), (P MoveDirection 'Microsoft.Online.SharePoint.PowerShell.MoveDirection' 1),
                (P ReportPath $text)) }
    }
    foreach ($kind in 'User', 'Group') {
        $field = @((P Field "$administration.TenantIdentityMapping${kind}Field" 0 $true), (P Value $text 1 $true))
        $contracts["Get-SPOTenantIdentityMapping$kind"] = @{ ShouldProcess = $false; Output = @("SPOCrossTenant.Tenant${kind}IdentityMapping")
            DefaultSet = '__AllParameterSets'; Parameters = $field }
        $contracts["Remove-SPOTenantIdentityMapping$kind"] = @{ ShouldProcess = $true; Output = @('System.Void'); DefaultSet = '__AllParameterSets'; Parameters = $field }
    }
    foreach ($kind in @(
            @{ Name = 'User'; Source = 'SourceUserPrincipalName'; Target = 'TargetUserPrincipalName' }
            @{ Name = 'Site'; Source = 'SourceSiteUrl'; Target = 'TargetSiteUrl' }
            @{ Name = 'Group'; Source = 'SourceGroupAlias'; Target = 'TargetGroupAlias' })) {
        $contracts["Start-SPOCrossTenant$($kind.Name)ContentMove"] = @{ ShouldProcess = $true; Output = @($state); DefaultSet = '__AllParameterSets'
            Parameters = @((P $kind.Source $text 0 $true $true -Aliases SourceContentKey), (P $kind.Target $text 1 $true $true -Aliases TargetContentKey),
                (P TargetCrossTenantHostUrl $text 2 $true $true),
                (P PreferredMoveBeginDate $date 3 $false $true), (P PreferredMoveEndDate $date 4 $false $true), (P ValidationOnly $switch), (P Force $switch),
                (P JournalPath $text), (P Resume $switch), (P ThrottleLimit 'System.Int32')) }
        $contracts["Stop-SPOCrossTenant$($kind.Name)ContentMove"] = @{ ShouldProcess = $true; Output = @($state); DefaultSet = '__AllParameterSets'
            Parameters = @((P $kind.Source $text 0 $true $true -Aliases SourceContentKey), (P ThrottleLimit 'System.Int32')) }
        $contracts["Get-SPOCrossTenant$($kind.Name)ContentMoveState"] = @{ ShouldProcess = $false; Output = @($state); DefaultSet = 'MoveReport'
            Parameters = @((P PartnerCrossTenantHostUrl $text -1 $true), (P PartnerRole 'Microsoft.SharePoint.Client.Administration.OrgRelationRole'),
                (P $kind.Source $text -1 $true $false @($kind.Source)), (P SiteMoveId 'System.Guid' -1 $true $false @('SiteMoveId')),
                (P Limit 'System.UInt32' -1 $false $false @('MoveReport')), (P MoveStartTime $date -1 $false $false @('MoveReport')),
                (P MoveEndTime $date -1 $false $false @('MoveReport')),
                (P MoveState 'Microsoft.Online.SharePoint.PowerShell.MoveState' -1 $false $false @('MoveReport')),
                (P MoveDirection 'Microsoft.Online.SharePoint.PowerShell.MoveDirection' -1 $false $false @('MoveReport'))) }
    }
    $script:CommandCases = foreach ($name in $contracts.Keys) { @{ Name = $name; Contract = $contracts[$name] } }
    $script:ParameterCases = foreach ($name in $contracts.Keys) {
        foreach ($parameter in $contracts[$name].Parameters) { @{ Command = $name; Parameter = $parameter.Name; Expected = $parameter } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest -WithPrivateCode
    $script:CommonParameterNames = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe '<Name>' -ForEach $script:CommandCases {
    BeforeAll {
        $command = Get-Command -Name $Name -Module SPOCrossTenant
        $own = @($command.Parameters.Keys | Where-Object { $_ -notin $script:CommonParameterNames })
        $binding = $command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
    }

    It 'is exported by the module' {
        (Get-Module SPOCrossTenant).ExportedFunctions.Keys | Should -Contain $Name
    }

    It 'has exactly the contracted parameters' {
        ($own | Sort-Object) -join ',' | Should -Be ((@($Contract.Parameters.Name) | Sort-Object) -join ',')
    }

    It 'has the default parameter set <Contract.DefaultSet>' {
        $default = if ($binding.DefaultParameterSetName) { $binding.DefaultParameterSetName } else { '__AllParameterSets' }
        $default | Should -Be $Contract.DefaultSet
    }

    It 'supports ShouldProcess: <Contract.ShouldProcess>, never prompting by default' {
        $binding.SupportsShouldProcess | Should -Be $Contract.ShouldProcess
        if ($Contract.ShouldProcess) { $binding.ConfirmImpact | Should -Be 'Medium' }
    }

    It 'declares its output types: <Contract.Output>' {
        $declared = foreach ($type in $command.OutputType) { if ($type.Type) { $type.Type.FullName } else { $type.Name } }
        @($declared) | Should -Be $Contract.Output
    }

    Context 'help' {
        BeforeAll { $help = Get-Help -Name $Name -Full }

        It 'has a synopsis, a description, and a description of every parameter' {
            $help.Synopsis | Should -Not -Match "^\s*$Name\s*(\[|$)"
            ($help.Description.Text -join ' ') | Should -Match '\w+ \w+ \w+ \w+ \w+'
            foreach ($parameter in $own) {
                (($help.Parameters.Parameter | Where-Object Name -EQ $parameter).Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
            }
        }

        It 'has at least two examples, each explained, and lists its error ids' {
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2
            foreach ($example in $help.Examples.Example) {
                $example.Code | Should -Match ([regex]::Escape($Name))
                ($example.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
            }
            ($help.alertSet.alert.Text -join ' ') | Should -Match 'NotConnected'
            @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_SPOCrossTenant'
        }
    }
}

Describe '-<Parameter> of <Command>' -ForEach $script:ParameterCases {
    BeforeAll {
        $metadata = (Get-Command -Name $Command -Module SPOCrossTenant).Parameters[$Parameter]
        $attributes = @($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
    }

    It 'has type <Expected.Type>' {
        $metadata.ParameterType.FullName | Should -Be $Expected.Type
    }

    It 'is in the sets <Expected.Sets>, at position <Expected.Position>, mandatory: <Expected.Mandatory>, from the pipeline: <Expected.Pipeline>' {
        @($attributes.ParameterSetName | Sort-Object) -join ',' | Should -Be ((@($Expected.Sets | ForEach-Object { if ($_ -eq '*') { '__AllParameterSets' } else { $_ } }) | Sort-Object) -join ',')
        foreach ($attribute in $attributes) {
            $position = if ($attribute.Position -eq [int]::MinValue) { -1 } else { $attribute.Position }
            $position | Should -Be $Expected.Position
            $attribute.Mandatory | Should -Be $Expected.Mandatory
            $attribute.ValueFromPipelineByPropertyName | Should -Be $Expected.Pipeline
            $attribute.ValueFromPipeline | Should -Be $Expected.ByValue
        }
    }

    It 'binds also from the property names <Expected.Aliases>' {
        @($metadata.Aliases) | Should -Be @($Expected.Aliases)
    }
}

Describe 'Dates of the Start- commands (issue 20)' {
    It '-<_> of Start-SPOCrossTenantUserContentMove stays a DateTime and takes a blank or null value as not given' -ForEach 'PreferredMoveBeginDate', 'PreferredMoveEndDate' {
        $metadata = (Get-Command Start-SPOCrossTenantUserContentMove).Parameters[$_]
        $metadata.ParameterType.FullName | Should -Be 'System.DateTime'
        $transform = @($metadata.Attributes | Where-Object { $_.GetType().FullName -eq 'SPOCrossTenant.OptionalDateAttribute' })
        $transform.Count | Should -Be 1
        foreach ($blank in $null, '', '   ', [System.Management.Automation.PSObject]::AsPSObject('')) {
            $transform[0].Transform($ExecutionContext, $blank) | Should -Be ([datetime]::MinValue)
        }
        $date = [datetime]'2026-12-24T22:00:00'
        $transform[0].Transform($ExecutionContext, $date) | Should -Be $date
        $transform[0].Transform($ExecutionContext, '2026-12-24T22:00:00Z') | Should -Be '2026-12-24T22:00:00Z'
    }

    It 'sends DateTime.MinValue, CSOM''s "no date", as not given' {
        [SPOCrossTenant.CallArguments]::ToText([datetime]::MinValue) | Should -Be ''
        [SPOCrossTenant.CallArguments]::ToText([datetime]::new(2026, 12, 24, 22, 0, 0, [System.DateTimeKind]::Utc)) | Should -Be '2026-12-24T22:00:00.000Z'
    }
}

Describe 'Enum parameters of the move state commands' {
    It 'accept exactly the names of MoveState and MoveDirection, Microsoft.Online.SharePoint.PowerShell types as in Microsoft''s module' {
        [System.Enum]::GetNames([Microsoft.Online.SharePoint.PowerShell.MoveState]) |
            Should -Be @('NotStarted', 'InProgress', 'Success', 'Failed', 'Stopped', 'Queued', 'NotSupported', 'Rescheduled', 'All')
        [System.Enum]::GetNames([Microsoft.Online.SharePoint.PowerShell.MoveDirection]) | Should -Be @('MoveOut', 'MoveIn', 'All')
        "$([Microsoft.Online.SharePoint.PowerShell.MoveState]::Failed)" | Should -Be 'Failed'
    }
}

Describe 'Enum parameters of the identity-map entry commands' {
    It 'accept exactly the names of <Type>' -ForEach @(
        @{ Type = 'TenantIdentityMappingUserType'; Names = @('None', 'RegularUser', 'AdminUser', 'GuestUser') }
        @{ Type = 'TenantIdentityMappingGroupType'; Names = @('None', 'RegularGroup', 'AdminGroup', 'O365Group') }
        @{ Type = 'TenantIdentityMappingUserField'; Names = @('SourceUserKey', 'TargetUserPuid', 'TargetUserUpn', 'TargetUserEmail') }
        @{ Type = 'TenantIdentityMappingGroupField'; Names = @('SourceGroupObjectId', 'TargetGroupObjectId', 'TargetGroupName') }) {
        [System.Enum]::GetNames("Microsoft.SharePoint.Client.Administration.$Type" -as [type]) | Should -Be $Names
    }
}

Describe 'Migration commands without a connection' {
    BeforeAll { Disconnect-SPOService }

    It '<Name> stops with SPOCrossTenant.NotConnected' -ForEach @(
        @{ Name = 'Add-SPOTenantIdentityMap'; Arguments = @{ IdentityMapPath = './map.csv' } }
        @{ Name = 'Start-SPOCrossTenantUserContentMove'; Arguments = @{ SourceUserPrincipalName = 'a@contoso.com'; TargetUserPrincipalName = 'a@fabrikam.com'; TargetCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Stop-SPOCrossTenantSiteContentMove'; Arguments = @{ SourceSiteUrl = 'https://contoso.sharepoint.com/sites/a' } }
        @{ Name = 'Get-SPOCrossTenantGroupContentMoveState'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Find-SPOCrossTenantLongFilePathsForSiteRename'; Arguments = @{ OldSiteUrl = 'https://contoso.sharepoint.com/sites/a'; NewSiteUrl = 'https://contoso.sharepoint.com/sites/b' } }
        @{ Name = 'Test-SPOCrossTenantMigrationReadiness'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Wait-SPOCrossTenantContentMove'; Arguments = @{ InputObject = 'a@contoso.com' } }
        @{ Name = 'Get-SPOCrossTenantMigrationStatus'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Start-SPOCrossTenantGroupContentMove'; Arguments = @{ SourceGroupAlias = 'sales'; TargetGroupAlias = 'sales'; TargetCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com'; JournalPath = './j.jsonl' } }
    ) {
        { & $Name @Arguments -ErrorAction SilentlyContinue } | Should -Throw -ErrorId "SPOCrossTenant.NotConnected,$Name"
    }
}

Describe 'Input refused before anything is sent (issue 14)' {
    BeforeAll {
        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-ready-contract-$PID"
        $null = New-Item -ItemType Directory -Force -Path $script:Work
    }
    AfterAll { Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue }

    It 'Test-SPOCrossTenantMigrationReadiness refuses <Case> with <Id>' -ForEach @(
        @{ Case = 'a token without its admin URL'; Id = 'TargetAdminUrlMissing'; Arguments = @{ TargetAccessToken = 'x' } }
        @{ Case = 'an admin URL without a token'; Id = 'TargetAccessTokenMissing'; Arguments = @{ TargetAdminUrl = 'https://fabrikam-admin.sharepoint.com' } }
        @{ Case = 'a missing CSV'; Id = 'ReadinessFileNotFound'; Arguments = @{ Path = '/nonexistent/moves.csv' } }
        @{ Case = 'a report in a missing folder'; Id = 'ReportFolderNotFound'; Arguments = @{ ReportPath = '/nonexistent/r.html' } }
    ) {
        # A placeholder connection object is enough: these are refused before any request.
        & (Get-Module SPOCrossTenant) { $script:SpoConnection = [SPOCrossTenant.TenantConnection]::new([IntPtr]::Zero, 'https://contoso-admin.sharepoint.com', 0, $null) }
        try {
            { Test-SPOCrossTenantMigrationReadiness https://fabrikam-my.sharepoint.com @Arguments } | Should -Throw -ErrorId "SPOCrossTenant.$Id,Test-SPOCrossTenantMigrationReadiness"
        } finally { & (Get-Module SPOCrossTenant) { $script:SpoConnection = $null } }
    }

    It '<Name> refuses -ReportPath <Case> with ReportPathInvalid, writing nothing' -ForEach @(
        @{ Name = 'Get-SPOCrossTenantMigrationStatus'; Case = 'that is a folder'; Path = '.'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Get-SPOCrossTenantMigrationStatus'; Case = 'that names the CSV'; Path = 'wave.csv'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
        @{ Name = 'Wait-SPOCrossTenantContentMove'; Case = 'that is a folder'; Path = '.'; Arguments = @{ InputObject = 'a@contoso.com' } }
        @{ Name = 'Wait-SPOCrossTenantContentMove'; Case = 'without .html'; Path = 'wave'; Arguments = @{ InputObject = 'a@contoso.com' } }
        @{ Name = 'Test-SPOCrossTenantMigrationReadiness'; Case = 'that names the CSV'; Path = 'readiness.csv'; Arguments = @{ PartnerCrossTenantHostUrl = 'https://fabrikam-my.sharepoint.com' } }
    ) {
        $folder = Join-Path $script:Work "report-$([guid]::NewGuid())"
        $null = New-Item -ItemType Directory -Path $folder
        & (Get-Module SPOCrossTenant) { $script:SpoConnection = [SPOCrossTenant.TenantConnection]::new([IntPtr]::Zero, 'https://contoso-admin.sharepoint.com', 0, $null) }
        try {
            $thrown = { & $Name @Arguments -ReportPath (Join-Path $folder $Path) } | Should -Throw -ErrorId "SPOCrossTenant.ReportPathInvalid,$Name" -PassThru
            $thrown.Exception.Message | Should -Match 'Nothing was written\.'
            @(Get-ChildItem -LiteralPath $folder).Count | Should -Be 0
        } finally { & (Get-Module SPOCrossTenant) { $script:SpoConnection = $null } }
    }

    It 'Start- refuses -Resume without -JournalPath, and a journal in a missing folder' {
        & (Get-Module SPOCrossTenant) { $script:SpoConnection = [SPOCrossTenant.TenantConnection]::new([IntPtr]::Zero, 'https://contoso-admin.sharepoint.com', 0, $null) }
        try {
            { Start-SPOCrossTenantUserContentMove a@contoso.com a@fabrikam.com https://fabrikam-my.sharepoint.com -Resume } | Should -Throw -ErrorId 'SPOCrossTenant.JournalPathMissing,Start-SPOCrossTenantUserContentMove'
            { Start-SPOCrossTenantUserContentMove a@contoso.com a@fabrikam.com https://fabrikam-my.sharepoint.com -JournalPath /nonexistent/j.jsonl } | Should -Throw -ErrorId 'SPOCrossTenant.JournalFolderNotFound,Start-SPOCrossTenantUserContentMove'
        } finally { & (Get-Module SPOCrossTenant) { $script:SpoConnection = $null } }
    }

    It 'Start- refuses a journal of an earlier run without -Resume, and one that is not a journal' {
        & (Get-Module SPOCrossTenant) { $script:SpoConnection = [SPOCrossTenant.TenantConnection]::new([IntPtr]::Zero, 'https://contoso-admin.sharepoint.com', 0, $null) }
        try {
            $journal = Join-Path $script:Work 'earlier.jsonl'
            '{"v":1,"event":"before","time":"2026-12-02T00:00:00.000Z","row":1,"contentType":"Odb","source":"a@contoso.com","target":"a@fabrikam.com","partner":"x"}' | Set-Content -LiteralPath $journal
            { Start-SPOCrossTenantUserContentMove a@contoso.com a@fabrikam.com https://fabrikam-my.sharepoint.com -JournalPath $journal } | Should -Throw -ErrorId 'SPOCrossTenant.JournalExists,Start-SPOCrossTenantUserContentMove'
            $other = Join-Path $script:Work 'other.txt'
            'hello', 'world', '' | Set-Content -LiteralPath $other
            { Start-SPOCrossTenantUserContentMove a@contoso.com a@fabrikam.com https://fabrikam-my.sharepoint.com -JournalPath $other -Resume } | Should -Throw -ErrorId 'SPOCrossTenant.JournalInvalid,Start-SPOCrossTenantUserContentMove'
        } finally { & (Get-Module SPOCrossTenant) { $script:SpoConnection = $null } }
    }

    It 'Wait- refuses an object that names no move, without stopping' {
        & (Get-Module SPOCrossTenant) { $script:SpoConnection = [SPOCrossTenant.TenantConnection]::new([IntPtr]::Zero, 'https://contoso-admin.sharepoint.com', 0, $null) }
        try {
            $output = [pscustomobject]@{ Name = 'x' } | Wait-SPOCrossTenantContentMove -ErrorVariable refused -ErrorAction SilentlyContinue
            @($output).Count | Should -Be 0
            $refused[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.MoveInputInvalid,Wait-SPOCrossTenantContentMove'
        } finally { & (Get-Module SPOCrossTenant) { $script:SpoConnection = $null } }
    }
}
