# End-to-end tests of the migration commands (issues 13 and 19) through the module, the engine and
# the emulator over real HTTP: the identity map (encodings, a corpus of bad files, one request, what
# an upload replaces, the request limit, parts read back), its entries one at a time (add, get,
# update, remove, from the pipeline), user, site and group moves watched to Success, CSV batches
# with a bad row, the 4,000 limit, -WhatIf, stops, the documented failures (trust, map, conflict),
# state queries and long paths after a rename.
#
# The emulator's default content (emulator/README.md): users alex, bianca, chen (licensed, with a
# OneDrive), dana, emil (licensed, no OneDrive), farah (not licensed); sites marketing, finance and
# projects (finance has files whose URLs are 390, 395 and 400 characters long); groups sales, hr.
# Every tenant has the same names, so alex@contoso moves to dana@fabrikam (alex@fabrikam exists).

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
    Import-ModuleUnderTest
    # Each state lasts 300 ms: a move goes from NotStarted to Success in about two seconds.
    $script:Emulator = Start-TestEmulator -ExtraArgument '--move-step', '300ms'
    $script:Contoso = $script:Emulator.Tenants.contoso
    $script:Fabrikam = $script:Emulator.Tenants.fabrikam
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) "spo-migration-$PID"
    $null = New-Item -ItemType Directory -Force -Path $script:Work

    function Connect-Tenant { param($Tenant) Connect-SPOService -Url $Tenant.adminUrl -AccessToken $Tenant.accessToken }

    function Get-Upn { param($Tenant, [string]$Name) @($Tenant.users | Where-Object { $_.upn -like "$Name@*" })[0].upn }

    function Set-Trust {
        # Both sides set (the emulator runs with no waiting period).
        Connect-Tenant $script:Fabrikam
        Set-SPOCrossTenantRelationship MnA Source $script:Contoso.hostUrl
        Connect-Tenant $script:Contoso
        Set-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl
    }

    function New-MapFile {
        # Writes identity map lines to a file in the given encoding; returns its path.
        param([string[]]$Line, [string]$Name = 'map.csv', [string]$Encoding = 'utf8NoBOM', [string]$NewLine = "`r`n")
        $path = Join-Path $script:Work $Name
        $text = ($Line -join $NewLine) + $NewLine
        $bytes = switch ($Encoding) {
            'utf8NoBOM' { [System.Text.UTF8Encoding]::new($false).GetBytes($text) }
            'utf8BOM' { [System.Text.UTF8Encoding]::new($true).GetPreamble() + [System.Text.UTF8Encoding]::new($true).GetBytes($text) }
            'utf16LE' { [System.Text.UnicodeEncoding]::new($false, $true).GetPreamble() + [System.Text.UnicodeEncoding]::new($false, $true).GetBytes($text) }
            'utf16BE' { [System.Text.UnicodeEncoding]::new($true, $true).GetPreamble() + [System.Text.UnicodeEncoding]::new($true, $true).GetBytes($text) }
        }
        [System.IO.File]::WriteAllBytes($path, [byte[]]$bytes)
        $path
    }

    function Invoke-InOwnRunspace {
        # Runs $Script in a runspace of its own, with the module imported and connected to $Tenant,
        # where progress records are collected (not drawn, as here): @{ Output; Errors; Progress }.
        param([scriptblock]$Script, $Tenant, [object[]]$ArgumentList = @())
        $shell = [powershell]::Create()
        try {
            $null = $shell.AddScript({ param($Manifest, $Url, $Token) Import-Module $Manifest -ErrorAction Stop; Connect-SPOService -Url $Url -AccessToken $Token }).
                AddArgument($script:ModuleManifest).AddArgument($Tenant.adminUrl).AddArgument($Tenant.accessToken)
            $null = $shell.Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddScript($Script.ToString())
            foreach ($argument in $ArgumentList) { $null = $shell.AddArgument($argument) }
            $output = $shell.Invoke()
            @{ Output = $output; Errors = @($shell.Streams.Error); Progress = @($shell.Streams.Progress) }
        } finally { $shell.Dispose() }
    }

    function Get-UserMapLine { param([string]$Source, [string]$Target) "User,$($script:Contoso.companyId),$Source,$Target,$Target,RegularUser" }

    function Get-GroupMapLine {
        param([string]$Alias)
        $group = @($script:Contoso.groups | Where-Object alias -EQ $Alias)[0]
        "Group,$($script:Contoso.companyId),$($group.objectId),$([guid]::NewGuid()),$Alias,O365Group"
    }

    function Get-EmulatorMapCount {
        # How many users and groups the tenant's identity map holds, read from the emulator.
        param([string]$Tenant)
        $map = Invoke-RestMethod "$($script:Emulator.BaseUrl)/_emulator/tenants/$Tenant/identity-map"
        @($map.users).Count + @($map.groups).Count
    }

    function Wait-MoveState {
        # Polls the source tenant until the move of $Key reaches one of $Until (or 20 s pass).
        param([string]$Kind, [string]$Key, [string[]]$Until = @('Success', 'Failed', 'Stopped'))
        $keyParameter = @{ User = 'SourceUserPrincipalName'; Site = 'SourceSiteUrl'; Group = 'SourceGroupAlias' }[$Kind]
        $deadline = [DateTime]::UtcNow.AddSeconds(20)
        do {
            $query = @{ PartnerCrossTenantHostUrl = $script:Fabrikam.hostUrl; $keyParameter = $Key }
            $state = & "Get-SPOCrossTenant${Kind}ContentMoveState" @query
            if ($state.MoveState -in $Until) { return $state }
            Start-Sleep -Milliseconds 100
        } while ([DateTime]::UtcNow -lt $deadline)
        throw "The move of $Key did not reach $($Until -join '/') in 20 s: $($state.MoveState)"
    }
}

AfterAll {
    Stop-TestEmulator $script:Emulator
    Remove-Item -Recurse -Force -LiteralPath $script:Work -ErrorAction SilentlyContinue
}

Describe 'Add-SPOTenantIdentityMap' {
    BeforeEach { Reset-TestEmulator $script:Emulator; Connect-Tenant $script:Fabrikam }

    It 'uploads a map saved as <Encoding> with <Ending> line ends, quoted fields included' -ForEach @(
        @{ Encoding = 'utf8NoBOM'; Ending = 'CRLF'; NewLine = "`r`n" }
        @{ Encoding = 'utf8BOM'; Ending = 'LF'; NewLine = "`n" }
        @{ Encoding = 'utf16LE'; Ending = 'CRLF'; NewLine = "`r`n" }
        @{ Encoding = 'utf16BE'; Ending = 'LF'; NewLine = "`n" }
    ) {
        $alex = Get-Upn $script:Contoso alex; $dana = Get-Upn $script:Fabrikam dana
        $path = New-MapFile -Encoding $Encoding -NewLine $NewLine -Line @(
            (Get-UserMapLine $alex $dana),
            ('"User","{0}","{1}","{2}","{2}","RegularUser"' -f $script:Contoso.companyId, (Get-Upn $script:Contoso bianca), (Get-Upn $script:Fabrikam emil)),
            (Get-GroupMapLine sales))
        $output = Add-SPOTenantIdentityMap -IdentityMapPath $path -ErrorAction Stop
        @($output).Count | Should -Be 0 -Because 'success writes nothing'
        Get-EmulatorMapCount fabrikam | Should -Be 3
    }

    It 'takes a path relative to the current location' {
        $path = New-MapFile -Name 'relative.csv' -Line (Get-UserMapLine (Get-Upn $script:Contoso alex) (Get-Upn $script:Fabrikam dana))
        Push-Location $script:Work
        try { Add-SPOTenantIdentityMap relative.csv -ErrorAction Stop } finally { Pop-Location }
        Get-EmulatorMapCount fabrikam | Should -Be 1
    }

    It 'refuses <Case> naming line(s) <Lines>, and uploads nothing' -ForEach @(
        @{ Case = 'a header row'; Lines = '1'; Content = @('Type,SourceTenantCompanyID,SourceUserUpn,TargetUserUpn,TargetUserEmail,UserType', '{user}') }
        @{ Case = 'five columns'; Lines = '2'; Content = @('{user}', 'User,{company},a@contoso.com,b@fabrikam.com,RegularUser') }
        @{ Case = 'seven columns'; Lines = '1'; Content = @('{user},extra') }
        @{ Case = 'an unknown row type'; Lines = '1'; Content = @('Person,{company},a@contoso.com,b@fabrikam.com,b@fabrikam.com,RegularUser') }
        @{ Case = 'a tenant id that is not a GUID'; Lines = '1'; Content = @('User,contoso,a@contoso.com,b@fabrikam.com,b@fabrikam.com,RegularUser') }
        @{ Case = 'a source UPN without @'; Lines = '1'; Content = @('User,{company},alex,b@fabrikam.com,b@fabrikam.com,RegularUser') }
        @{ Case = 'a bad e-mail'; Lines = '1'; Content = @('User,{company},a@contoso.com,b@fabrikam.com,not an address,RegularUser') }
        @{ Case = 'an unknown user type'; Lines = '1'; Content = @('User,{company},a@contoso.com,b@fabrikam.com,b@fabrikam.com,SuperUser') }
        @{ Case = 'a group object id that is not a GUID'; Lines = '1'; Content = @('Group,{company},sales,{guid},sales,O365Group') }
        @{ Case = 'an unknown group type'; Lines = '1'; Content = @('Group,{company},{guid},{guid},sales,Team') }
        @{ Case = 'a duplicate source user'; Lines = '3'; Content = @('{user}', 'User,{company},b@contoso.com,c@fabrikam.com,c@fabrikam.com,RegularUser', '{user}') }
        @{ Case = 'an unclosed quote'; Lines = '2'; Content = @('{user}', '"User,{company},b@contoso.com,c@fabrikam.com,c@fabrikam.com,RegularUser') }
        @{ Case = 'several bad rows at once'; Lines = '1, 3'; Content = @('User,x,a@contoso.com,b@fabrikam.com,b@fabrikam.com,RegularUser', '{user}', 'User,{company},c@contoso.com,c@fabrikam.com,c@fabrikam.com,Nobody') }
    ) {
        $user = Get-UserMapLine 'alex@contoso.onmicrosoft.com' 'dana@fabrikam.onmicrosoft.com'
        # (Not $lines: PowerShell names ignore case, and $Lines is this case's expected line numbers.)
        $fileLines = foreach ($line in $Content) {
            $line.Replace('{user}', $user).Replace('{company}', $script:Contoso.companyId).Replace('{guid}', [guid]::NewGuid().ToString())
        }
        $path = New-MapFile -Name 'bad.csv' -Line $fileLines
        $before = (Get-TestEmulatorStats $script:Emulator).processQuery
        $thrown = { Add-SPOTenantIdentityMap $path } | Should -Throw -ErrorId 'SPOCrossTenant.IdentityMapInvalid,Add-SPOTenantIdentityMap' -PassThru
        foreach ($number in $Lines -split ', ') { $thrown.Exception.Message | Should -Match "line $number\b" }
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $before -Because 'nothing may be uploaded'
        Get-EmulatorMapCount fabrikam | Should -Be 0
    }

    It 'says clearly that a missing file is missing, sending nothing' {
        $before = (Get-TestEmulatorStats $script:Emulator).processQuery
        { Add-SPOTenantIdentityMap (Join-Path $script:Work 'nowhere.csv') } | Should -Throw -ErrorId 'SPOCrossTenant.IdentityMapFileNotFound,Add-SPOTenantIdentityMap'
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $before
    }

    It 'uploads 5,000 rows in one request, reads its first and last row back, and -WhatIf uploads nothing' {
        $lines = foreach ($i in 1..5000) { Get-UserMapLine "user$i@contoso.onmicrosoft.com" "user$i@fabrikam.onmicrosoft.com" }
        $path = New-MapFile -Name 'large.csv' -Line $lines
        Add-SPOTenantIdentityMap $path -WhatIf
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be 0
        $verbose = & { $ProgressPreference = 'Continue'; Add-SPOTenantIdentityMap $path -ErrorAction Stop -Verbose } 4>&1 6>$null
        $stats = Get-TestEmulatorStats $script:Emulator
        $stats.byMethod.AddOrUpdateTenantIdentityMap | Should -Be 1 -Because 'a map that fits goes in one request'
        $stats.byMethod.GetTenantUserIdentityMappingItem | Should -Be 2 -Because 'its first and last row are read back'
        Get-EmulatorMapCount fabrikam | Should -Be 5000
        ($verbose -join "`n") | Should -Match "5000 row\(s\) in 1 request \([0-9,]+ of at most 2,097,152 bytes\), 5000 taken, 0 refused"
        ($verbose -join "`n") | Should -Match ([regex]::Escape('Read back line 1 (user1@contoso.onmicrosoft.com), line 5000 (user5000@contoso.onmicrosoft.com) from the tenant''s identity map: in place.'))
    }
}

Describe 'Add-SPOTenantIdentityMap: an upload replaces the map and never loses rows without an error' {
    BeforeAll {
        # 14,000 rows of this shape need two requests of at most 2,097,152 bytes.
        $lines = foreach ($i in 1..14000) { Get-UserMapLine "user$i@contoso.onmicrosoft.com" "user$i@fabrikam.onmicrosoft.com" }
        $script:OverLimit = New-MapFile -Name 'over-limit.csv' -Line $lines
    }
    BeforeEach { Reset-TestEmulator $script:Emulator; Connect-Tenant $script:Fabrikam }

    It 'leaves 10 entries after a 2,500-row map and then a 10-row map' {
        $first = New-MapFile -Name 'first.csv' -Line @(foreach ($i in 1..2500) { Get-UserMapLine "user$i@contoso.onmicrosoft.com" "user$i@fabrikam.onmicrosoft.com" })
        Add-SPOTenantIdentityMap $first -ErrorAction Stop
        Get-EmulatorMapCount fabrikam | Should -Be 2500
        $second = New-MapFile -Name 'second.csv' -Line @(foreach ($i in 1..10) { Get-UserMapLine "late$i@contoso.onmicrosoft.com" "late$i@fabrikam.onmicrosoft.com" })
        Add-SPOTenantIdentityMap $second -ErrorAction Stop
        Get-EmulatorMapCount fabrikam | Should -Be 10
        Get-SPOTenantIdentityMappingUser SourceUserKey user1@contoso.onmicrosoft.com | Should -BeNullOrEmpty
    }

    It 'refuses a map over the request limit before sending anything, with the numbers and the way out' {
        $thrown = { Add-SPOTenantIdentityMap $script:OverLimit } | Should -Throw -ErrorId 'SPOCrossTenant.IdentityMapOverRequestLimit,Add-SPOTenantIdentityMap' -PassThru
        $message = $thrown.Exception.Message
        $message | Should -Match 'has 14,000 rows, which make a request of [0-9,]+ bytes; SharePoint Online accepts at most 2,097,152 bytes'
        $message | Should -Match 'Nothing was sent\.'
        $message | Should -Match 'Split the migration into waves'
        $message | Should -Match '-AllowMultipleRequests'
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be 0
    }

    It 'with -AllowMultipleRequests on a service that replaces the map, fails naming the part that is gone' {
        $thrown = { Add-SPOTenantIdentityMap $script:OverLimit -AllowMultipleRequests -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'SPOCrossTenant.IdentityMapPartsLost,Add-SPOTenantIdentityMap' -PassThru -Because 'a whole-command failure is terminating, whatever -ErrorAction says'
        $thrown.Exception.Message | Should -Match 'went in 2 requests, and 1 of them are gone from the tenant''s map: part 1 \(lines 1-1[0-9,]+\)'
        $thrown.Exception.Message | Should -Match 'line 1 \(user1@contoso.onmicrosoft.com\)'
        $stats = Get-TestEmulatorStats $script:Emulator
        $stats.byMethod.AddOrUpdateTenantIdentityMap | Should -Be 2
        $stats.byMethod.GetTenantUserIdentityMappingItem | Should -Be 8 -Because 'four rows read back, and the two of the lost part twice more'
    }

    It 'with -AllowMultipleRequests on a service that merges, reads back every part and succeeds' {
        $merging = Start-TestEmulator -ExtraArgument '--identity-map-uploads', 'merge'
        try {
            Connect-SPOService -Url $merging.Tenants.fabrikam.adminUrl -AccessToken $merging.Tenants.fabrikam.accessToken
            $verbose = Add-SPOTenantIdentityMap $script:OverLimit -AllowMultipleRequests -ErrorAction Stop -Verbose 4>&1
            ($verbose -join "`n") | Should -Match '14000 row\(s\) in 2 requests'
            ($verbose -join "`n") | Should -Match 'Read back line 1 \(user1@contoso.onmicrosoft.com\), line [0-9]+ .*, line 14000 \(user14000@contoso.onmicrosoft.com\) from the tenant''s identity map: in place\.'
            $stats = Get-TestEmulatorStats $merging
            $stats.byMethod.GetTenantUserIdentityMappingItem | Should -Be 4 -Because 'the first and last row of each of the two parts'
            $map = Invoke-RestMethod "$($merging.BaseUrl)/_emulator/tenants/fabrikam/identity-map"
            @($map.users).Count | Should -Be 14000
        } finally {
            Connect-Tenant $script:Fabrikam
            Stop-TestEmulator $merging
        }
    }
}

Describe 'Add-SPOTenantIdentityMap: refused rows are reported whatever the read-back finds' {
    # A canned server (the emulator refuses no row the engine's checks let through): the upload's
    # answer refuses line 2, then the read-back of lines 1 and 3 goes as each case says.
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Helpers/CannedServer.ps1')
        $script:Company = $script:Contoso.companyId
        $script:ThreeRows = New-MapFile -Name 'three.csv' -Line @(foreach ($i in 1..3) { Get-UserMapLine "u$i@contoso.onmicrosoft.com" "u$i@fabrikam.onmicrosoft.com" })
        function Start-RefusingServer {
            # The upload refuses line 2 (index 1), line 1 is found, and then $Rest answers.
            param([string[]]$Rest)
            $server = Start-TestCannedServer -Response (@((New-TestCsomAnswer upload '["1: no such user in the target tenant"]')
                    (New-TestCsomListAnswer read-1 $script:Company @(@{ Source = 'u1@contoso.onmicrosoft.com'; Target = 'u1@fabrikam.onmicrosoft.com' }))) + $Rest)
            Connect-SPOService -Url $server.AdminUrl -AccessToken 'eyJ0eXAiOiJKV1QifQ.not-a-real-token.sig'
            $server
        }
    }
    AfterAll { Connect-Tenant $script:Fabrikam }

    It 'writes the refused row, then the read-back''s request failure' {
        $server = Start-RefusingServer -Rest (New-TestCsomServerError read-3 'Something went wrong.')
        try {
            Add-SPOTenantIdentityMap $script:ThreeRows -ErrorVariable failed -ErrorAction SilentlyContinue
            @($failed.FullyQualifiedErrorId) | Should -Be @('SPOCrossTenant.IdentityMapRowRejected,Add-SPOTenantIdentityMap', 'SPOCrossTenant.ServerError,Add-SPOTenantIdentityMap')
            $failed[0].Exception.Message | Should -Be "Line 2 of '$($script:ThreeRows)' was refused by the service: no such user in the target tenant (TraceCorrelationId upload)"
            $failed[0].ErrorDetails.RecommendedAction | Should -Match 'then add that one entry with Add-SPOTenantIdentityMappingUser'
            $failed[1].Exception.Message | Should -Match 'reading it back to confirm it is in place failed'
            $server.Received.Count | Should -Be 3
        } finally { Stop-TestCannedServer $server }
    }

    It 'writes the refused row, then stops with IdentityMapNotInPlace when a row is still missing after waiting' {
        $empty = New-TestCsomListAnswer read-3 $script:Company
        $server = Start-RefusingServer -Rest $empty, $empty, $empty
        try {
            $thrown = $null
            $verbose = try { Add-SPOTenantIdentityMap $script:ThreeRows -ErrorVariable failed -ErrorAction Continue -Verbose 2>$null 4>&1 } catch { $thrown = $_ }
            $thrown.FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.IdentityMapNotInPlace,Add-SPOTenantIdentityMap' -Because 'a whole-command failure is terminating'
            $thrown.Exception.Message | Should -Match 'did not find line 3 \(u3@contoso.onmicrosoft.com\) .* also after waiting 3 s'
            @($failed)[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.IdentityMapRowRejected,Add-SPOTenantIdentityMap' -Because 'the refused row comes first'
            ($verbose -join "`n") | Should -Match 'looking again in 1 s, in case the service applies the upload a moment later \(up to 3 s in all\)'
            ($verbose -join "`n") | Should -Match '3 row\(s\) in 1 request .*, 2 taken, 1 refused'
            ($verbose -join "`n") | Should -Not -Match 'in place\.'
            $server.Received.Count | Should -Be 5 -Because 'line 3 is looked up three times'
        } finally { Stop-TestCannedServer $server }
    }
}

Describe 'Identity map entries one at a time' {
    BeforeAll {
        $script:Company = $script:Contoso.companyId
        $script:Alex = Get-Upn $script:Contoso alex
        $script:Dana = Get-Upn $script:Fabrikam dana
        $script:Emil = Get-Upn $script:Fabrikam emil
    }
    BeforeEach { Reset-TestEmulator $script:Emulator; Connect-Tenant $script:Fabrikam }

    It 'adds a user, finds it by each field, updates it, removes it, then finds nothing' {
        $output = Add-SPOTenantIdentityMappingUser -SourceTenantCompanyId $script:Company -SourceUserKey $script:Alex -TargetUserPuid 1003BFFD8 -TargetUserUpn $script:Dana -TargetUserEmail $script:Dana -UserType RegularUser -ErrorAction Stop
        @($output).Count | Should -Be 0 -Because 'success writes nothing'
        foreach ($lookup in @(@('SourceUserKey', $script:Alex.ToUpperInvariant()), @('TargetUserPuid', '1003BFFD8'), @('TargetUserUpn', $script:Dana), @('TargetUserEmail', $script:Dana))) {
            $found = @(Get-SPOTenantIdentityMappingUser -Field $lookup[0] -Value $lookup[1] -ErrorAction Stop)
            $found.Count | Should -Be 1 -Because "found by $($lookup[0])"
            $found[0].PSTypeNames[0] | Should -Be 'SPOCrossTenant.TenantUserIdentityMapping'
            $found[0].SourceUserKey | Should -Be $script:Alex
            $found[0].SourceTenantCompanyId | Should -Be ([guid]$script:Company)
            $found[0].UserType | Should -Be ([Microsoft.SharePoint.Client.Administration.TenantIdentityMappingUserType]::RegularUser)
            "$($found[0].UserType)" | Should -Be 'RegularUser'
            $found[0].TraceCorrelationId | Should -Match '^[0-9a-f-]{36}$'
        }
        # The same key again updates the entry, as the method's name says.
        Add-SPOTenantIdentityMappingUser $script:Company $script:Alex '' $script:Emil $script:Emil AdminUser -ErrorAction Stop
        $found = @(Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex)
        $found.Count | Should -Be 1
        $found[0].TargetUserUpn | Should -Be $script:Emil
        "$($found[0].UserType)" | Should -Be 'AdminUser'
        Get-EmulatorMapCount fabrikam | Should -Be 1
        $table = (Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex | Format-Table | Out-String -Width 300) -replace '\e\[[0-9;]*m', ''
        $table | Should -Match 'SourceUserKey\s+TargetUserUpn\s+TargetUserEmail\s+UserType'
        $table | Should -Match ([regex]::Escape($script:Alex))
        Remove-SPOTenantIdentityMappingUser -Field SourceUserKey -Value $script:Alex -ErrorAction Stop
        $none = Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex
        $none | Should -BeNullOrEmpty
        @($none).Count | Should -Be 0 -Because 'no entry writes nothing'
        if (Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex) { throw 'an unmapped user reads as mapped' }
    }

    It 'finds the entries of an uploaded CSV, users and groups' {
        $sales = @($script:Contoso.groups | Where-Object alias -EQ 'sales')[0]
        $target = [guid]::NewGuid()
        Add-SPOTenantIdentityMap (New-MapFile -Line @((Get-UserMapLine $script:Alex $script:Dana), "Group,$($script:Company),$($sales.objectId),$target,Sales EMEA,O365Group")) -ErrorAction Stop
        (Get-SPOTenantIdentityMappingUser TargetUserUpn $script:Dana).SourceUserKey | Should -Be $script:Alex
        $group = @(Get-SPOTenantIdentityMappingGroup -Field SourceGroupObjectId -Value $sales.objectId)
        $group.Count | Should -Be 1
        $group[0].PSTypeNames[0] | Should -Be 'SPOCrossTenant.TenantGroupIdentityMapping'
        $group[0].TargetGroupObjectId | Should -Be $target
        $group[0].TargetGroupName | Should -Be 'Sales EMEA'
        "$($group[0].GroupType)" | Should -Be 'O365Group'
        @(Get-SPOTenantIdentityMappingGroup TargetGroupName 'sales emea').Count | Should -Be 1
        @(Get-SPOTenantIdentityMappingGroup TargetGroupObjectId $target).Count | Should -Be 1
    }

    It 'adds, updates and removes a group entry, on the map an upload filled' {
        Add-SPOTenantIdentityMap (New-MapFile -Line (Get-UserMapLine $script:Alex $script:Dana)) -ErrorAction Stop
        $source = [guid]::NewGuid(); $target = [guid]::NewGuid()
        Add-SPOTenantIdentityMappingGroup $script:Company $source $target 'Sales, EMEA' O365Group -ErrorAction Stop
        Add-SPOTenantIdentityMappingGroup $script:Company $source $target 'Sales, EMEA' AdminGroup -ErrorAction Stop
        $found = @(Get-SPOTenantIdentityMappingGroup SourceGroupObjectId $source)
        $found.Count | Should -Be 1
        $found[0].TargetGroupName | Should -Be 'Sales, EMEA' -Because 'a single entry may hold a comma, unlike a CSV row'
        "$($found[0].GroupType)" | Should -Be 'AdminGroup'
        Get-EmulatorMapCount fabrikam | Should -Be 2 -Because 'the uploaded user entry stays'
        Remove-SPOTenantIdentityMappingGroup TargetGroupObjectId $target -ErrorAction Stop
        Get-SPOTenantIdentityMappingGroup SourceGroupObjectId $source | Should -BeNullOrEmpty
    }

    It 'keeps a group name that looks like a date as the text it is' {
        $source = [guid]::NewGuid()
        Add-SPOTenantIdentityMappingGroup $script:Company $source ([guid]::NewGuid()) '2024-05-01T10:00:00' RegularGroup -ErrorAction Stop
        $found = @(Get-SPOTenantIdentityMappingGroup SourceGroupObjectId $source)
        $found[0].TargetGroupName | Should -BeOfType [string]
        $found[0].TargetGroupName | Should -BeExactly '2024-05-01T10:00:00'
        @(Get-SPOTenantIdentityMappingGroup TargetGroupName '2024-05-01T10:00:00').Count | Should -Be 1
    }

    It 'refuses <Case> naming -<Parameter>, and sends nothing' -ForEach @(
        @{ Case = 'a source key that is not a UPN'; Parameter = 'SourceUserKey'; Id = 'SourceUserKeyInvalid'; Command = { Add-SPOTenantIdentityMappingUser $script:Company alex '' $script:Dana $script:Dana RegularUser } }
        @{ Case = 'a target e-mail that is not an address'; Parameter = 'TargetUserEmail'; Id = 'TargetUserEmailInvalid'; Command = { Add-SPOTenantIdentityMappingUser $script:Company $script:Alex '' $script:Dana 'dana at fabrikam' RegularUser } }
        @{ Case = 'user type None'; Parameter = 'UserType'; Id = 'UserTypeInvalid'; Command = { Add-SPOTenantIdentityMappingUser $script:Company $script:Alex '' $script:Dana $script:Dana None } }
        @{ Case = 'an empty group name'; Parameter = 'TargetGroupName'; Id = 'TargetGroupNameInvalid'; Command = { Add-SPOTenantIdentityMappingGroup $script:Company ([guid]::NewGuid()) ([guid]::NewGuid()) ' ' O365Group } }
        @{ Case = 'a look-up value that is not a UPN'; Parameter = 'Value'; Id = 'IdentityMappingValueInvalid'; Command = { Get-SPOTenantIdentityMappingUser SourceUserKey alex } }
        @{ Case = 'a group object id that is not a GUID'; Parameter = 'Value'; Id = 'IdentityMappingValueInvalid'; Command = { Remove-SPOTenantIdentityMappingGroup SourceGroupObjectId sales } }
    ) {
        $commandName = $Command.Ast.EndBlock.Statements[0].PipelineElements[0].GetCommandName()
        $thrown = { & $Command } | Should -Throw -ErrorId "SPOCrossTenant.$Id,$commandName" -PassThru
        $thrown.Exception.ParamName | Should -Be $Parameter
        $thrown.Exception.Message | Should -Match "-$Parameter\b"
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be 0
    }

    It 'removing what is not there is a non-terminating error naming the field and value; -WhatIf removes nothing' {
        Add-SPOTenantIdentityMappingUser $script:Company $script:Alex '' $script:Dana $script:Dana RegularUser -ErrorAction Stop
        Remove-SPOTenantIdentityMappingUser SourceUserKey $script:Alex -WhatIf
        @(Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex).Count | Should -Be 1
        Remove-SPOTenantIdentityMappingUser SourceUserKey nobody@contoso.onmicrosoft.com -ErrorVariable missing -ErrorAction SilentlyContinue
        @($missing).Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.IdentityMappingNotFound,Remove-SPOTenantIdentityMappingUser'
        $missing[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $missing[0].Exception.Message | Should -Be "The identity map has no user entry whose SourceUserKey is 'nobody@contoso.onmicrosoft.com'; nothing was removed."
        $missing[0].TargetObject | Should -Be 'nobody@contoso.onmicrosoft.com'
        { Remove-SPOTenantIdentityMappingGroup TargetGroupName Nothing -ErrorAction Stop } | Should -Throw -ErrorId 'SPOCrossTenant.IdentityMappingNotFound,Remove-SPOTenantIdentityMappingGroup'
        @(Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex).Count | Should -Be 1 -Because 'nothing else was removed'
    }

    It 'takes rows from Import-Csv by property name under a progress bar, and a bad row does not stop the rest' {
        $csv = Join-Path $script:Work 'fixes.csv'
        @(
            [pscustomobject]@{ SourceTenantCompanyId = $script:Company; SourceUserKey = $script:Alex; TargetUserUpn = $script:Dana; TargetUserEmail = $script:Dana; UserType = 'RegularUser' }
            [pscustomobject]@{ SourceTenantCompanyId = $script:Company; SourceUserKey = 'bianca'; TargetUserUpn = $script:Emil; TargetUserEmail = $script:Emil; UserType = 'RegularUser' }
            [pscustomobject]@{ SourceTenantCompanyId = $script:Company; SourceUserKey = (Get-Upn $script:Contoso chen); TargetUserUpn = $script:Emil; TargetUserEmail = $script:Emil; UserType = 'GuestUser' }
        ) | Export-Csv -LiteralPath $csv -NoTypeInformation
        $run = Invoke-InOwnRunspace -Tenant $script:Fabrikam -ArgumentList $csv -Script {
            param($Csv) Import-Csv $Csv | Add-SPOTenantIdentityMappingUser }
        $bad = $run.Errors
        @($bad).Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.SourceUserKeyInvalid,Add-SPOTenantIdentityMappingUser'
        $bad[0].ErrorDetails.Message | Should -Match '^Row 2 \(bianca\): '
        $bars = @($run.Progress | Where-Object Activity -EQ 'Adding users to the identity map')
        $bars[0].StatusDescription | Should -Match '^0 of 3 finished, 0 in flight: ' -Because 'the bar starts with the first row'
        $bars[-1].RecordType | Should -Be 'Completed'
        Get-EmulatorMapCount fabrikam | Should -Be 2
        "$((Get-SPOTenantIdentityMappingUser SourceUserKey (Get-Upn $script:Contoso chen)).UserType)" | Should -Be 'GuestUser'
        (Get-TestEmulatorStats $script:Emulator).byMethod.AddOrUpdateTenantSingleUserIdentityMappingItem | Should -Be 2
    }

    It 'ends a key piped several times with its last row, on a service whose answers take uneven times' {
        Add-TestEmulatorFault $script:Emulator 'latency:ms=40:jitter=35'
        $rows = foreach ($n in 1..8) {
            [pscustomobject]@{ SourceTenantCompanyId = $script:Company; SourceUserKey = $script:Alex; TargetUserUpn = "alex.$n@fabrikam.onmicrosoft.com"
                TargetUserEmail = "alex.$n@fabrikam.onmicrosoft.com"; UserType = 'RegularUser' }
        }
        $rows | Add-SPOTenantIdentityMappingUser -ErrorAction Stop
        $found = @(Get-SPOTenantIdentityMappingUser SourceUserKey $script:Alex)
        $found.Count | Should -Be 1
        $found[0].TargetUserUpn | Should -Be 'alex.8@fabrikam.onmicrosoft.com' -Because 'the last row wins, however long each answer took'
        (Get-TestEmulatorStats $script:Emulator).byMethod.AddOrUpdateTenantSingleUserIdentityMappingItem | Should -Be 8
    }
}

Describe 'Moves' {
    BeforeAll {
        $script:Alex = Get-Upn $script:Contoso alex
        $script:Dana = Get-Upn $script:Fabrikam dana
    }
    BeforeEach {
        Reset-TestEmulator $script:Emulator
        Set-Trust
        Connect-Tenant $script:Fabrikam
        $map = New-MapFile -Line @((Get-UserMapLine $script:Alex $script:Dana), (Get-UserMapLine (Get-Upn $script:Contoso bianca) (Get-Upn $script:Fabrikam emil)), (Get-GroupMapLine sales))
        Add-SPOTenantIdentityMap $map -ErrorAction Stop
        Connect-Tenant $script:Contoso
    }

    It 'moves a OneDrive to Success, with a readable state object at every step' {
        $started = Start-SPOCrossTenantUserContentMove $script:Alex $script:Dana $script:Fabrikam.hostUrl -ErrorAction Stop
        @($started).Count | Should -Be 1
        $started.PSTypeNames[0] | Should -Be 'SPOCrossTenant.ContentMoveState'
        $started.MoveState | Should -BeIn 'NotStarted', 'Scheduled'
        $started.MoveJobId | Should -BeOfType [guid]
        $started.SourceContentKey | Should -Be $script:Alex
        $started.TraceCorrelationId | Should -Match '^[0-9a-f-]{36}$'
        $done = Wait-MoveState User $script:Alex
        $done.MoveState | Should -Be 'Success'
        "$($done.MoveState)" | Should -BeExactly 'Success'
        $done.PercentComplete | Should -Be 100
        $done.TargetSiteUrl | Should -Match 'fabrikam'
        $done.TimeStamp | Should -BeOfType [datetime]
        ($done | Out-String) | Should -Match 'Success'
        # The target tenant sees the same move coming in.
        Connect-Tenant $script:Fabrikam
        $incoming = @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Contoso.hostUrl -MoveDirection MoveIn)
        $incoming.Count | Should -Be 1
        $incoming[0].MoveDirection | Should -Be 'MoveIn'
    }

    It 'validates without moving with -ValidationOnly' {
        $checked = Start-SPOCrossTenantUserContentMove $script:Alex $script:Dana $script:Fabrikam.hostUrl -ValidationOnly -ErrorAction Stop
        $checked.ValidationOnly | Should -BeTrue
        @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl).Count | Should -Be 0 -Because 'a validation is not kept'
    }

    It 'moves a site and a group' {
        $site = @($script:Contoso.sites | Where-Object { $_ -match 'marketing' })[0]
        $target = $site -replace 'contoso', 'fabrikam' -replace 'marketing', 'contoso-marketing'
        $null = Start-SPOCrossTenantSiteContentMove $site $target $script:Fabrikam.hostUrl -ErrorAction Stop
        $null = Start-SPOCrossTenantGroupContentMove sales sales-contoso $script:Fabrikam.hostUrl -ErrorAction Stop
        (Wait-MoveState Site $site).MoveState | Should -Be 'Success'
        (Wait-MoveState Group sales).MoveState | Should -Be 'Success'
    }

    It 'starts a batch from CSV rows, goes past a bad row with an error that names it, and shows progress' {
        $rows = @(
            [pscustomobject]@{ SourceUserPrincipalName = $script:Alex; TargetUserPrincipalName = $script:Dana }
            [pscustomobject]@{ SourceUserPrincipalName = 'not-a-upn'; TargetUserPrincipalName = $script:Dana }
            [pscustomobject]@{ SourceUserPrincipalName = (Get-Upn $script:Contoso bianca); TargetUserPrincipalName = (Get-Upn $script:Fabrikam emil) }
        )
        $csv = Join-Path $script:Work 'users.csv'
        $rows | Export-Csv -LiteralPath $csv -NoTypeInformation
        $started = Import-Csv $csv | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Fabrikam.hostUrl -ErrorVariable refused -ErrorAction SilentlyContinue
        @($started).Count | Should -Be 2
        @($refused).Count | Should -Be 1
        $refused[0].ErrorDetails.Message | Should -Match '^Row 2 \(not-a-upn\): '
        $refused[0].TargetObject | Should -Be 'not-a-upn'
    }

    It 'refuses a batch of more than 4,000 moves before sending anything' {
        $before = (Get-TestEmulatorStats $script:Emulator).processQuery
        $rows = foreach ($i in 1..4001) { [pscustomobject]@{ SourceUserPrincipalName = "u$i@contoso.onmicrosoft.com"; TargetUserPrincipalName = "u$i@fabrikam.onmicrosoft.com" } }
        { $rows | Start-SPOCrossTenantUserContentMove -TargetCrossTenantHostUrl $script:Fabrikam.hostUrl } |
            Should -Throw -ErrorId 'SPOCrossTenant.MoveBatchTooLarge,Start-SPOCrossTenantUserContentMove'
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $before
    }

    It 'sends nothing with -WhatIf' {
        $before = (Get-TestEmulatorStats $script:Emulator).processQuery
        Start-SPOCrossTenantUserContentMove $script:Alex $script:Dana $script:Fabrikam.hostUrl -WhatIf
        (Get-TestEmulatorStats $script:Emulator).processQuery | Should -Be $before
    }

    It 'stops a scheduled move, and refuses to stop one in progress with the service''s message' {
        $later = [DateTime]::UtcNow.AddHours(2)
        $null = Start-SPOCrossTenantUserContentMove $script:Alex $script:Dana $script:Fabrikam.hostUrl -PreferredMoveBeginDate $later -ErrorAction Stop
        $stopped = Stop-SPOCrossTenantUserContentMove $script:Alex -ErrorAction Stop
        $stopped.MoveState | Should -Be 'Stopped'

        $bianca = Get-Upn $script:Contoso bianca
        $null = Start-SPOCrossTenantUserContentMove $bianca (Get-Upn $script:Fabrikam emil) $script:Fabrikam.hostUrl -ErrorAction Stop
        $null = Wait-MoveState User $bianca -Until InProgress
        $thrown = { Stop-SPOCrossTenantUserContentMove $bianca -ErrorAction Stop } | Should -Throw -PassThru
        $thrown.Exception.Message | Should -Match 'MnAMoveCannotBeStopped'
        $thrown.Exception.CorrelationId | Should -Match '^[0-9a-f-]{36}$'
    }

    It 'fails with the service''s text when <Case>, terminating under -ErrorAction Stop' -ForEach @(
        @{ Case = 'the trust is not set'; Code = 'MnATrustNoSetupForPartner' }
        @{ Case = 'the user is not in the identity map'; Code = 'MnAIdentityMappingNotFound' }
        @{ Case = 'the target OneDrive exists'; Code = 'MnATargetSiteConflict' }
    ) {
        $source = $script:Alex; $target = $script:Dana
        switch ($Case) {
            'the trust is not set' { Remove-SPOCrossTenantRelationship MnA Target $script:Fabrikam.hostUrl }
            'the user is not in the identity map' { $source = Get-Upn $script:Contoso chen; $target = Get-Upn $script:Fabrikam chen }
            'the target OneDrive exists' { $target = Get-Upn $script:Fabrikam alex }
        }
        if ($Case -eq 'the target OneDrive exists') {
            Connect-Tenant $script:Fabrikam
            Add-SPOTenantIdentityMap (New-MapFile -Name 'conflict.csv' -Line (Get-UserMapLine $source $target)) -ErrorAction Stop
            Connect-Tenant $script:Contoso
        }
        $thrown = { Start-SPOCrossTenantUserContentMove $source $target $script:Fabrikam.hostUrl -ErrorAction Stop } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServerError,Start-SPOCrossTenantUserContentMove'
        $thrown.Exception.Message | Should -Match $Code
        $thrown.Exception.Message | Should -Match 'TraceCorrelationId [0-9a-f-]{36}'
        if ($Case -eq 'the target OneDrive exists') {
            (Start-SPOCrossTenantUserContentMove $source $target $script:Fabrikam.hostUrl -Force -ErrorAction Stop).MoveState | Should -BeIn 'NotStarted', 'Scheduled'
        }
    }

    It 'writes nothing when no move matches, and filters by state' {
        @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl).Count | Should -Be 0
        @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl -SourceUserPrincipalName $script:Alex).Count | Should -Be 0
        $null = Start-SPOCrossTenantUserContentMove $script:Alex $script:Dana $script:Fabrikam.hostUrl -ErrorAction Stop
        $job = (Wait-MoveState User $script:Alex).MoveJobId
        @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl -MoveState Success).Count | Should -Be 1
        @(Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl -MoveState Failed).Count | Should -Be 0
        (Get-SPOCrossTenantUserContentMoveState -PartnerCrossTenantHostUrl $script:Fabrikam.hostUrl -SiteMoveId $job).MoveJobId | Should -Be $job
    }
}

Describe 'Find-SPOCrossTenantLongFilePathsForSiteRename' {
    BeforeAll { Connect-Tenant $script:Contoso; $script:Finance = @($script:Contoso.sites | Where-Object { $_ -match 'finance' })[0] }

    It 'lists the <Count> file(s) whose URL would pass 400 characters when the URL grows by <Longer>' -ForEach @(
        @{ Longer = -4; Count = 0 }
        @{ Longer = 1; Count = 1 }
        @{ Longer = 11; Count = 3 }
    ) {
        $newUrl = if ($Longer -lt 0) { $script:Finance.Substring(0, $script:Finance.Length + $Longer) } else { $script:Finance + ('x' * $Longer) }
        $paths = @(Find-SPOCrossTenantLongFilePathsForSiteRename -OldSiteUrl $script:Finance -NewSiteUrl $newUrl -ErrorAction Stop)
        $paths.Count | Should -Be $Count
        foreach ($path in $paths) { $path.Length | Should -BeGreaterThan 400; $path | Should -BeOfType [string] }
    }
}
