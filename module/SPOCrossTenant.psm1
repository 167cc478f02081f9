# The script module of the SOURCE tree, for working on the module without building it (e.g.
# scripts/demo.sh imports module/SPOCrossTenant.psd1). The installable module is built by
# scripts/build-module.ps1 from the same files, each in ordinal order of their paths: a script
# module of what import needs (Public/*.ps1, the argument completers, the import errors, the same
# footer as below) and SPOCrossTenant.Private.ps1, the rest of Private/, which its first command
# loads. It compiles the binding (module/Binding/) instead of the in-memory compile done here.
#
# Rules for the files: Private/ and Public/ files only define functions and set script variables
# ($script:Name); nothing in them may depend on the order they are loaded in. Each
# Public/<Verb-Noun>.ps1 defines the function <Verb-Noun>, which is exported, with its [Alias()] names.

foreach ($folder in 'Private', 'Public') {
    $files = [System.IO.Directory]::GetFiles("$PSScriptRoot/$folder", '*.ps1', $(if ($folder -eq 'Private') { 'AllDirectories' } else { 'TopDirectoryOnly' }))
    [System.Array]::Sort($files, [System.StringComparer]::Ordinal)
    foreach ($file in $files) { . $file }
}
# The built module loads most of Private/ on first use through this function; here it is loaded.
function Import-SpoPrivateCode { }
. "$PSScriptRoot/Binding/SourceBinding.ps1"
Add-SpoSourceBinding -Root $PSScriptRoot

# The footer (scripts/build-module.ps1 writes the same, with the enum names and the exports filled in).
# Called here at the top level: ModuleLoader reaches Import-Module's -Verbose through $ExecutionContext.
try {
    $script:SpoNativePath = [SPOCrossTenant.ModuleLoader]::Initialize($PSScriptRoot, $ExecutionContext,
        $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, $null, $null, $null)
} catch { throw (ConvertTo-SpoImportError $_) }
Add-SpoSourceEnums
$ExecutionContext.SessionState.Module.OnRemove = { if ($script:SpoConnection) { Close-SpoConnection } }
Export-ModuleMember -Function @(foreach ($file in [System.IO.Directory]::GetFiles("$PSScriptRoot/Public", '*.ps1')) {
        [System.IO.Path]::GetFileNameWithoutExtension($file) }) -Alias '*'
