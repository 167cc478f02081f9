<#
.SYNOPSIS
Runs a script as 'pwsh -File' does, with this checkout's modules first on the module path.

.DESCRIPTION
scripts/rehearse.sh runs every rehearsed script through this file; on Windows and macOS run it
yourself (README.md, "Rehearse your own script"):

    pwsh -NoProfile -File scripts/rehearsal/Invoke-RehearsedScript.ps1 ./my-script.ps1 [script arguments]

It puts two folders first on the module path of the session, then runs the script with its
arguments as they came (parameter names included):

  dist/       the SPOCrossTenant that scripts/build-module.sh built, so 'Import-Module
              SPOCrossTenant', '#Requires -Modules SPOCrossTenant' and autoloading find it and
              not an installed one;
  Modules/    (next to this file) Microsoft.Online.SharePoint.PowerShell, a manifest that loads
              that SPOCrossTenant and exports its commands under Microsoft's module name, so a
              production script's 'Import-Module Microsoft.Online.SharePoint.PowerShell' and
              '#Requires -Modules Microsoft.Online.SharePoint.PowerShell' run unchanged. It is for
              rehearsals only.

This has to happen inside the session: pwsh puts the user's, the shared and $PSHOME's module
folders ahead of PSModulePath's own entries when it starts, so a folder set in the environment
beforehand comes after them. Set here, the order also holds for every pwsh the script starts.

The script file is only read. The exit code is the one 'pwsh -File' gives: N for 'exit N' in
the script, 1 when the script ends with an error, 0 otherwise; 125 when dist/ has no module.
#>

# No param block: $args keeps the script's arguments exactly, '-Name' tokens included.
$SpoRehearsalDist = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../dist'))
if (-not (Test-Path -LiteralPath (Join-Path $SpoRehearsalDist 'SPOCrossTenant'))) {
    [Console]::Error.WriteLine("rehearse: there is no module in $SpoRehearsalDist; build it first: ./scripts/build-module.sh")
    exit 125
}
foreach ($SpoRehearsalFolder in $env:PSModulePath -split [System.IO.Path]::PathSeparator) {
    if ($SpoRehearsalFolder -and $SpoRehearsalFolder.TrimEnd('/', '\') -ne $SpoRehearsalDist -and
        (Test-Path -LiteralPath (Join-Path $SpoRehearsalFolder 'SPOCrossTenant'))) {
        [Console]::Error.WriteLine("rehearse: SPOCrossTenant is also installed in $SpoRehearsalFolder; this rehearsal uses the one in $SpoRehearsalDist.")
    }
}
$env:PSModulePath = @($SpoRehearsalDist, (Join-Path $PSScriptRoot 'Modules'), $env:PSModulePath) -join [System.IO.Path]::PathSeparator

$SpoRehearsedScript = $args[0]
if (Test-Path -LiteralPath $SpoRehearsedScript -PathType Leaf) {
    $SpoRehearsedScript = (Resolve-Path -LiteralPath $SpoRehearsedScript).ProviderPath
}
# Copied, not taken by pipeline or slicing, which would lose the mark of a '-Name' token.
$SpoRehearsedArguments = [object[]]::new($args.Count - 1)
[array]::Copy($args, 1, $SpoRehearsedArguments, 0, $SpoRehearsedArguments.Length)
& $SpoRehearsedScript @SpoRehearsedArguments
# 'exit N' in the script leaves $? false and N in $LASTEXITCODE; an error it ends with has
# already stopped this file (exit code 1); anything else ends with 0, as with 'pwsh -File'.
if (-not $?) { exit $LASTEXITCODE }
