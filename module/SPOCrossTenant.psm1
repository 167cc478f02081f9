# The script module of the SOURCE tree, for working on the module without building it (e.g.
# scripts/demo.sh imports module/SPOCrossTenant.psd1). The installable module is built by
# scripts/build-module.ps1, which writes ONE script module from the same files (Private/**/*.ps1,
# then Public/*.ps1, each in ordinal order of their paths) followed by the same footer as below,
# and compiles the binding instead of the in-memory compile SourceBinding.ps1 does here.
#
# Rules for the files: Private/ and Public/ files only define functions and set script variables;
# nothing in them may depend on the order they are loaded in. Each Public/<Verb-Noun>.ps1 defines the
# function <Verb-Noun>, which is exported, with its [Alias()] names.

$script:SpoSourceMode = $true
foreach ($folder in 'Private', 'Public') {
    $files = [System.IO.Directory]::GetFiles("$PSScriptRoot/$folder", '*.ps1', $(if ($folder -eq 'Private') { 'AllDirectories' } else { 'TopDirectoryOnly' }))
    [System.Array]::Sort($files, [System.StringComparer]::Ordinal)
    foreach ($file in $files) { . $file }
}
. "$PSScriptRoot/Binding/SourceBinding.ps1"

# The footer (scripts/build-module.ps1 writes the same lines, with the names filled in).
# The Import-Module command running this import, for Write-SpoImportVerbose (36: NonPublic, Instance).
try {
    $script:SpoImportCommand = $ExecutionContext.GetType().GetField('_context', 36).GetValue($ExecutionContext)
    $script:SpoImportCommand = $script:SpoImportCommand.GetType().GetProperty('CurrentCommandProcessor', 36).GetValue($script:SpoImportCommand)
    $script:SpoImportCommand = $script:SpoImportCommand.GetType().GetProperty('Command', 36).GetValue($script:SpoImportCommand)
} catch { $script:SpoImportCommand = $null }
Initialize-SpoModule -Root $PSScriptRoot
$script:SpoImportCommand = $null
$ExecutionContext.SessionState.Module.OnRemove = { Close-SpoConnection }
Export-ModuleMember -Function @(foreach ($file in [System.IO.Directory]::GetFiles("$PSScriptRoot/Public", '*.ps1')) {
        [System.IO.Path]::GetFileNameWithoutExtension($file) }) -Alias '*'
