#!/usr/bin/env pwsh
<#
.SYNOPSIS
Runs the SPOCrossTenant Pester suites and exits non-zero when any test fails.

.DESCRIPTION
Expects the built module and the emulator: run './scripts/build-module.sh -Configuration Debug'
and 'cargo build --workspace' first (scripts/test.sh does both). The suites import
dist/SPOCrossTenant/<version>/ (SPO_TEST_MODULE names another manifest) and start
target/debug/spo-emulator. Output is Pester's Detailed view, readable in CI logs; -ResultPath
also writes NUnit XML for CI test reporting.

.PARAMETER Path
Test files or folders to run; defaults to this folder.

.PARAMETER ResultPath
Where to write an NUnit XML report; none when omitted.

.EXAMPLE
pwsh -NoProfile -File tests/pester/Invoke-Tests.ps1

.EXAMPLE
pwsh -NoProfile -File tests/pester/Invoke-Tests.ps1 -Path tests/pester/Contract.Tests.ps1
#>
[CmdletBinding()]
param(
    [string[]]$Path = @($PSScriptRoot),
    [string]$ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.7 -ErrorAction Stop
# 'pwsh -File' passes 'a.Tests.ps1,b.Tests.ps1' as one string; accept that form too.
$Path = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object Trim | Where-Object { $_ })

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.Exit = $false
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Output.CIFormat = 'Auto'
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = 'NUnitXml'
    $configuration.TestResult.OutputPath = $ResultPath
}

$result = Invoke-Pester -Configuration $configuration
if (-not $result) { Write-Host 'SPOCrossTenant Pester: no result (see the errors above).'; exit 1 }
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host ("SPOCrossTenant Pester suites ran in {0:N1} s." -f $result.Duration.TotalSeconds)
# The summary line alone, in the plain form CI reads.
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $failed, $result.SkippedCount)
if ($result.PassedCount -eq 0) { Write-Host 'No test ran.'; exit 1 }
exit ([int]($failed -gt 0 -or $result.Result -ne 'Passed'))
