# Many runspaces use the module at once, as ForEach-Object -Parallel and thread jobs do: each
# imports it, connects and calls; every call succeeds and reaches the emulator exactly once.

Describe 'Runspaces using the module at once' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
        . (Join-Path $PSScriptRoot 'Helpers/Emulator.ps1')
        Import-ModuleUnderTest
        $script:Emulator = Start-TestEmulator
        $script:Manifest = (Get-Module SPOCrossTenant).Path -replace '\.psm1$', '.psd1'
    }
    AfterAll { Stop-TestEmulator $script:Emulator }

    It 'serves 6 parallel runspaces x 20 calls, each to its own tenant connection, without errors' {
        Reset-TestEmulator $script:Emulator
        $before = (Get-TestEmulatorStats $script:Emulator).processQuery
        $contoso = $script:Emulator.Tenants.contoso
        $fabrikam = $script:Emulator.Tenants.fabrikam
        $results = 1..6 | ForEach-Object -ThrottleLimit 6 -Parallel {
            $ErrorActionPreference = 'Stop'
            Import-Module $using:Manifest
            $tenant = if ($_ % 2) { $using:contoso } else { $using:fabrikam }
            $partner = if ($_ % 2) { $using:fabrikam } else { $using:contoso }
            Connect-SPOService -Url $tenant.adminUrl -AccessToken $tenant.accessToken
            $hosts = for ($i = 0; $i -lt 10; $i++) {
                Set-SPOCrossTenantRelationship MnA Target $partner.hostUrl
                Get-SPOCrossTenantHostUrl
            }
            Disconnect-SPOService
            [pscustomobject]@{ Expected = $tenant.hostUrl; Hosts = $hosts }
        }
        @($results).Count | Should -Be 6
        foreach ($result in $results) {
            @($result.Hosts).Count | Should -Be 10
            $result.Hosts | Should -Be (@($result.Expected) * 10)
        }
        (Get-TestEmulatorStats $script:Emulator).processQuery - $before | Should -Be 120
    }
}
