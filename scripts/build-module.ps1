#!/usr/bin/env pwsh
<#
.SYNOPSIS
Builds the installable SPOCrossTenant module: dist/SPOCrossTenant/<version>/, and optionally its .nupkg.

.DESCRIPTION
The one build step of the module (scripts/build-module.sh runs it; so do scripts/test.sh and CI):

 1. cargo builds the native engine (release, or debug with -Configuration Debug).
 2. dotnet builds the binding, module/Binding/*.cs, into SPOCrossTenant.dll (net8.0, so
    PowerShell 7.4 and later), then loads it here, binds the library just built, checks its ABI
    version, asks it for its enums (spo_describe) and builds SPOCrossTenant.Enums.dll from them.
 3. Writes dist/SPOCrossTenant/<version>/ (version: [package] version of Cargo.toml):
      SPOCrossTenant.psd1          generated: version, FunctionsToExport from Public/ file names,
                                   AliasesToExport from their [Alias()] attributes, format/type files
      SPOCrossTenant.psm1          what import needs: the Private files of $eagerPrivate (argument
                                   completers, import errors) then module/Public/*.ps1, each in ordinal
                                   path order, the loader of the private code and its stubs, then a
                                   short footer (bind, export)
      SPOCrossTenant.Private.ps1   the other module/Private/**/*.ps1 (ordinal path order), loaded into
                                   module scope by the first command that calls into them: import
                                   does not parse or compile them
      *.format.ps1xml, *.types.ps1xml, en-US/   copied from module/; en-US/SPOCrossTenant-help.xml
                                   is the commands' comment-based help as MAML (not parsed at import)
      bin/SPOCrossTenant.dll, bin/SPOCrossTenant.Enums.dll
      bin/<rid>/<native library>   this machine's, plus any given with -NativeDirectory
    Nothing in it refers to the source tree.
 4. With -Package: Publish-PSResource of that folder into a local folder repository
    (dist/repository unless -RepositoryPath), which makes SPOCrossTenant.<version>.nupkg.

.PARAMETER Configuration
Release (cargo --release; what a package ships) or Debug (target/debug; faster, for tests).
The layout of the module folder is the same.

.PARAMETER OutputRoot
Where SPOCrossTenant/<version>/ is written; dist/ of the checkout by default.

.PARAMETER NativeDirectory
A folder with <rid>/<native library> subfolders built on other platforms (CI), copied into bin/.

.PARAMETER NoCargo
Use the library already in target/<profile>/ instead of running cargo first.

.PARAMETER LibraryPath
Package this native library (built for this machine) instead of target/<profile>/'s; implies -NoCargo.

.PARAMETER Package
Also publish the module folder as a .nupkg into a local folder repository.

.PARAMETER NoExternalHelp
Keep the comment-based help in the script module instead of converting it to en-US/SPOCrossTenant-help.xml.

.PARAMETER RepositoryPath
The folder repository -Package publishes into; <OutputRoot>/repository by default.

.EXAMPLE
./scripts/build-module.sh
./scripts/build-module.sh -Configuration Debug -Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')][string]$Configuration = 'Release',
    [string]$OutputRoot,
    [string]$NativeDirectory,
    [switch]$NoCargo,
    [string]$LibraryPath,
    [switch]$Package,
    [switch]$NoExternalHelp,
    [string]$RepositoryPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$repoRoot = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '..'))
$moduleSource = Join-Path $repoRoot 'module'
if (-not $OutputRoot) { $OutputRoot = Join-Path $repoRoot 'dist' }
$OutputRoot = [System.IO.Path]::GetFullPath($OutputRoot)
$utf8 = [System.Text.UTF8Encoding]::new($false)
$clock = [System.Diagnostics.Stopwatch]::StartNew()
function Write-Step([string]$Text) { Write-Host ("[{0,5:N1}s] {1}" -f $clock.Elapsed.TotalSeconds, $Text) }

# --- Facts: version, platform, file names --------------------------------------------------------
$cargoToml = Get-Content -Raw -LiteralPath (Join-Path $repoRoot 'Cargo.toml')
$packageSection = [regex]::Match($cargoToml, '(?ms)^\[package\]\s*$(.*?)(?=^\[|\z)').Groups[1].Value
$version = [regex]::Match($packageSection, '(?m)^version\s*=\s*"([^"]+)"').Groups[1].Value
if ($version -notmatch '^\d+\.\d+\.\d+$') { throw "Cargo.toml: [package] version '$version' is not MAJOR.MINOR.PATCH." }
$os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
$rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
$libraryFiles = @('spo_crosstenant.dll', 'libspo_crosstenant.dylib', 'libspo_crosstenant.so')
$libraryFile = if ($IsWindows) { $libraryFiles[0] } elseif ($IsMacOS) { $libraryFiles[1] } else { $libraryFiles[2] }
$cargoProfile = $Configuration.ToLowerInvariant()
$library = Join-Path $repoRoot "target/$cargoProfile/$libraryFile"
if ($LibraryPath) { $library = [System.IO.Path]::GetFullPath($LibraryPath); $NoCargo = $true }
Write-Step "SPOCrossTenant $version, $Configuration, $rid"

# --- 1. The native engine ---------------------------------------------------------------------------
if (-not $NoCargo) {
    Write-Step 'cargo build (engine library)'
    $cargoArguments = @('build', '--package', 'spo-crosstenant', '--lib', '--quiet') + $(if ($Configuration -eq 'Release') { '--release' })
    & cargo @cargoArguments
    if ($LASTEXITCODE) { throw "cargo build failed ($LASTEXITCODE)." }
}
if (-not (Test-Path -LiteralPath $library)) { throw "No native library at '$library'; run without -NoCargo." }

# --- 2. The binding and the enums ---------------------------------------------------------------------
function Build-DotnetProject {
    # dotnet build of one project into target/dotnet/<Configuration>/<name>/, skipped when nothing it
    # depends on changed since the last build (a stamp of the inputs' contents and the properties).
    param([string]$Project, [string[]]$Inputs, [string[]]$Property = @(), [string]$Name)
    $assemblyName = if ($Name) { $Name } else { (Select-Xml -LiteralPath $Project -XPath '//AssemblyName').Node.InnerText }
    $name = if ($Name) { $Name } else { [System.IO.Path]::GetFileNameWithoutExtension($Project) }
    $out = Join-Path $repoRoot "target/dotnet/$Configuration/$name"
    $hasher = [System.Security.Cryptography.IncrementalHash]::CreateHash('SHA256')
    foreach ($file in @($Project, (Join-Path $moduleSource 'Binding/Directory.Build.props')) + $Inputs) {
        $hasher.AppendData([System.IO.File]::ReadAllBytes($file))
    }
    $hasher.AppendData($utf8.GetBytes(($Property -join ';') + ";$version"))
    $stamp = [System.Convert]::ToHexString($hasher.GetHashAndReset())
    $stampFile = "$out.stamp"
    $assembly = Join-Path $out "$assemblyName.dll"
    if ((Test-Path -LiteralPath $assembly) -and (Test-Path -LiteralPath $stampFile) -and (Get-Content -Raw -LiteralPath $stampFile) -eq $stamp) {
        Write-Step "dotnet build ${name}: up to date"
        return $assembly
    }
    Write-Step "dotnet build $name"
    # No build server or node reuse: nothing is left running after the build.
    $arguments = @('build', $Project, '--configuration', $Configuration, '--output', $out, '--nologo', '-verbosity:quiet',
        '-nodeReuse:false', '-p:UseSharedCompilation=false', "-p:SpoVersion=$version") + @($Property | ForEach-Object { "-p:$_" })
    $output = & dotnet @arguments 2>&1
    if ($LASTEXITCODE) { $output | Write-Host; throw "dotnet build of $Project failed ($LASTEXITCODE)." }
    [System.IO.File]::WriteAllText($stampFile, $stamp)
    $assembly
}

$bindingProject = Join-Path $moduleSource 'Binding/SPOCrossTenant.Binding.csproj'
$bindingSources = @(Select-Xml -LiteralPath $bindingProject -XPath '//Compile/@Include').Node.Value -split ';' |
    ForEach-Object { Join-Path $moduleSource "Binding/$_" }
$bindingAssembly = Build-DotnetProject -Project $bindingProject -Inputs $bindingSources

# Load the binding just built and ask the library just built for its facts: this checks both.
$null = [System.Reflection.Assembly]::LoadFrom($bindingAssembly)
$reported = [SPOCrossTenant.Native]::Bind($library)
if ($reported -ne [SPOCrossTenant.Native]::AbiVersion) {
    throw "The library '$library' speaks ABI version $reported, but the binding (module/Binding/Native.cs) is written for ABI version $([SPOCrossTenant.Native]::AbiVersion)."
}
$missing = [SPOCrossTenant.Native]::MissingExports()
if ($missing) { throw "The library '$library' lacks exports the binding declares: $($missing -join ', ')." }
$pointer = [IntPtr]::Zero
$null = [SPOCrossTenant.Native]::spo_describe([ref]$pointer)
$describe = [SPOCrossTenant.NativeResult]::Take($pointer)
if (-not $describe -or -not $describe.Succeeded) { throw "spo_describe of '$library' failed: $($describe.Message)" }
. (Join-Path $moduleSource 'Binding/EnumSource.ps1')
# Two assemblies: the enums in Microsoft's namespaces (loaded only when Microsoft's module has not
# loaded them) and the module's own (always loaded).
$allEnumNames = @((ConvertFrom-Json $describe.Value -AsHashtable).enums.Keys | Sort-Object -CaseSensitive)
$enumNames = @($allEnumNames -like 'Microsoft.*')
$enumsProject = Join-Path $moduleSource 'Binding/Enums/SPOCrossTenant.Enums.csproj'
$enumAssemblies = @()
foreach ($set in @(@{ Namespace = 'Microsoft'; Assembly = 'SPOCrossTenant.Enums'; Names = $enumNames },
        @{ Namespace = 'Own'; Assembly = 'SPOCrossTenant.ModuleEnums'; Names = @($allEnumNames -notlike 'Microsoft.*') })) {
    if (-not $set.Names) { continue }
    $generated = Join-Path $repoRoot "target/dotnet/generated/$($set.Assembly).g.cs"
    $enumSource = ConvertTo-SpoEnumSource -Describe $describe.Value -Namespace $set.Namespace
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $generated)
    if (-not (Test-Path -LiteralPath $generated) -or (Get-Content -Raw -LiteralPath $generated) -cne $enumSource) {
        [System.IO.File]::WriteAllText($generated, $enumSource, $utf8)
    }
    $enumAssemblies += Build-DotnetProject -Project $enumsProject -Inputs $generated -Name $set.Assembly `
        -Property "SpoEnumSource=$generated", "AssemblyName=$($set.Assembly)"
}
$ownEnums = if ($enumAssemblies | Where-Object { $_ -like '*SPOCrossTenant.ModuleEnums.dll' }) { '"$PSScriptRoot/bin/SPOCrossTenant.ModuleEnums.dll"' } else { '$null' }
$microsoftEnums = if ($enumNames) { '"$PSScriptRoot/bin/SPOCrossTenant.Enums.dll"' } else { '$null' }

# --- 3. The module folder ----------------------------------------------------------------------------
function Get-ParsedText {
    # The AST and tokens of a script's text; fails the build on a syntax error. Offsets are into $Text.
    param([string]$Text, [string]$Path)
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, $Path, [ref]$tokens, [ref]$errors)
    if ($errors) { throw "$Path`: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber))" }
    [pscustomobject]@{ Ast = $ast; Tokens = $tokens }
}
function Get-ParsedFile([string]$Path) { (Get-ParsedText ([System.IO.File]::ReadAllText($Path)) $Path).Ast }

function Get-SortedScript {
    param([string]$Folder, [switch]$Recurse)
    $files = [System.IO.Directory]::GetFiles($Folder, '*.ps1', $(if ($Recurse) { 'AllDirectories' } else { 'TopDirectoryOnly' }))
    [System.Array]::Sort($files, [System.StringComparer]::Ordinal)
    $files
}

function Test-InScriptBlock {
    # Whether $Node lies in a script block literal within $Outer (code that runs later, when called).
    param($Node, $Outer)
    for ($parent = $Node.Parent; $parent -and $parent -ne $Outer; $parent = $parent.Parent) {
        if ($parent -is [System.Management.Automation.Language.ScriptBlockExpressionAst]) { return $true }
    }
    $false
}

function Edit-Text {
    # $Text with each edit (@{ Start; End; Text }, offsets into $Text, not overlapping) applied.
    param([string]$Text, [object[]]$Edits)
    foreach ($edit in @($Edits | Sort-Object { $_.Start } -Descending)) {
        $Text = $Text.Substring(0, $edit.Start) + $edit.Text + $Text.Substring($edit.End)
    }
    $Text
}

# Import defines only what import needs: the Public commands, and the Private files listed here (the
# argument completers, registered at import; the conversion of a failed bind into an error record,
# which the footer's catch calls). The other Private files become SPOCrossTenant.Private.ps1, which
# the first command that needs them loads into module scope (Import-SpoPrivateCode, below): parsing
# and compiling them is most of what an import of ONE script module of everything costs.
$eagerPrivate = @('Private/Completion/*', 'Private/Errors/ImportErrors.ps1')
$privateCodeFile = 'SPOCrossTenant.Private.ps1'

$privateFiles = @(Get-SortedScript (Join-Path $moduleSource 'Private') -Recurse)
$publicFiles = @(Get-SortedScript (Join-Path $moduleSource 'Public'))
$functions = [System.Collections.Generic.List[string]]::new()
$aliases = [System.Collections.Generic.List[string]]::new()
$usings = [System.Collections.Generic.List[string]]::new()
$sources = [System.Collections.Generic.List[object]]::new()
foreach ($file in $privateFiles + $publicFiles) {
    $raw = [System.IO.File]::ReadAllText($file)
    $parsed = Get-ParsedText $raw $file
    $ast = $parsed.Ast
    $relative = [System.IO.Path]::GetRelativePath($moduleSource, $file) -replace '\\', '/'
    $lazy = $file -in $privateFiles -and -not @($eagerPrivate | Where-Object { $relative -like $_ })
    $edits = [System.Collections.Generic.List[object]]::new()
    # 'using' statements must open a script: they are moved to the top of the generated ones.
    foreach ($statement in $ast.UsingStatements) {
        if (-not $usings.Contains($statement.Extent.Text)) { $usings.Add($statement.Extent.Text) }
        $edits.Add(@{ Start = $statement.Extent.StartOffset; End = $statement.Extent.EndOffset; Text = "# (moved to the top) $($statement.Extent.Text)" })
    }
    $name = $null
    $defines = @(); $assigns = @()
    if ($lazy) {
        # Loaded by dot-sourcing inside a function: only what means the same there may stand at the
        # top level. Functions become 'function script:Name' (else they would vanish with the
        # loader's scope); script variables keep their meaning; anything else (a plain variable, a
        # command that acts) would act later or elsewhere than at import, so it fails the build.
        if ($ast.ParamBlock -or $ast.BeginBlock -or $ast.ProcessBlock -or $ast.DynamicParamBlock -or $ast.EndBlock.Traps) {
            throw "$relative`: a file loaded on first use may hold only functions and `$script: assignments at its top level (it has a param, begin, process or trap block)."
        }
        $tokens = $parsed.Tokens
        foreach ($statement in $ast.EndBlock.Statements) {
            if ($statement -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
                # The name is the first token after the 'function' (or 'filter') keyword.
                $at = 0
                while ($tokens[$at].Extent.StartOffset -lt $statement.Extent.StartOffset) { $at++ }
                do { $at++ } while ($tokens[$at].Kind -in 'Comment', 'NewLine', 'LineContinuation')
                if ($tokens[$at].Text -cne $statement.Name) { throw "$relative`: cannot find the name of function $($statement.Name) (line $($statement.Extent.StartLineNumber))." }
                $edits.Add(@{ Start = $tokens[$at].Extent.StartOffset; End = $tokens[$at].Extent.EndOffset; Text = "script:$($statement.Name)" })
                $defines += $statement.Name
                continue
            }
            $target = if ($statement -is [System.Management.Automation.Language.AssignmentStatementAst] -and $statement.Operator -eq 'Equals') {
                $left = $statement.Left
                if ($left -is [System.Management.Automation.Language.ConvertExpressionAst]) { $left = $left.Child }
                if ($left -is [System.Management.Automation.Language.VariableExpressionAst] -and $left.VariablePath.IsScript) { $left }
            }
            if (-not $target) {
                throw "$relative (line $($statement.Extent.StartLineNumber)): '$(($statement.Extent.Text -split "`n")[0])' would run on first use inside the loader, not at import. A file loaded on first use holds only functions and `$script: assignments; one that must act at import belongs in `$eagerPrivate (scripts/build-module.ps1)."
            }
            # Its value may read script variables and constants, not the loader's locals (nested script blocks run later: any).
            $reads = @($statement.Right.FindAll({ param($node) $node -is [System.Management.Automation.Language.VariableExpressionAst] -and
                        -not $node.VariablePath.IsScript -and $node.VariablePath.UserPath -notin 'true', 'false', 'null' }, $false) |
                    Where-Object { -not (Test-InScriptBlock $_ $statement) })
            if ($reads) { throw "$relative (line $($statement.Extent.StartLineNumber)): $($reads[0].Extent.Text) read at the top level would be the loader's variable in a file loaded on first use; use `$script:." }
            $assigns += [pscustomobject]@{ Name = $target.VariablePath.UserPath.Substring('script:'.Length); Statement = $statement }
        }
    }
    if ($file -in $publicFiles) {
        $name = [System.IO.Path]::GetFileNameWithoutExtension($file)
        $function = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $name }, $false)
        if (-not $function) { throw "$relative must define the function $name (each Public file defines the command it is named after)." }
        $functions.Add($name)
        $attributes = @(if ($function.Body.ParamBlock) { $function.Body.ParamBlock.Attributes })
        foreach ($attribute in $attributes | Where-Object { $_.TypeName.Name -in 'Alias', 'AliasAttribute', 'System.Management.Automation.Alias', 'System.Management.Automation.AliasAttribute' }) {
            foreach ($argument in $attribute.PositionalArguments) {
                foreach ($value in @($argument.FindAll({ param($node) $node -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true))) {
                    $aliases.Add($value.Value)
                }
            }
        }
    }
    $sources.Add([pscustomobject]@{ Relative = $relative; Raw = $raw; Ast = $ast; Edits = $edits; Command = $name; Lazy = $lazy; Defines = $defines; Assigns = $assigns })
}
if (-not $functions.Count) { throw 'module/Public has no commands.' }

function Format-PowerShellList([string[]]$Items) {
    # 'a', 'b' (single-quoted PowerShell string literals).
    (@($Items) | ForEach-Object { "'$($_ -replace "'", "''")'" }) -join ', '
}

# The footer: bind the engine, export. OnRemove closes the connection, if there is one: a module
# removed before its first command has none, and does not load the private code to find that out.
$footer = @"
# Footer: bind the engine (bin/SPOCrossTenant.dll, loaded by the manifest's RequiredAssemblies), export
# the commands (the same lists as the manifest's, so -Verbose names only these).
# At the top level on purpose: ModuleLoader reaches Import-Module's -Verbose through `$ExecutionContext.
try {
    `$script:SpoNativePath = [SPOCrossTenant.ModuleLoader]::Initialize(`$PSScriptRoot, `$ExecutionContext,
        `$ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath, @($(Format-PowerShellList $enumNames)),
        $microsoftEnums, $ownEnums)
} catch { throw (ConvertTo-SpoImportError `$_) }
`$ExecutionContext.SessionState.Module.OnRemove = { if (`$script:SpoConnection) { Close-SpoConnection } }
Export-ModuleMember -Function $(Format-PowerShellList $functions)$(if ($aliases.Count) { " -Alias $(Format-PowerShellList $aliases)" })

"@

# What the code defined at import reaches of the code loaded on first use: the private functions it
# calls get a stub each (which loads the private code, then calls the real function that replaced
# it), and the script variables it reads are set at import instead (constants only).
$lazyFunctions = @{}; $lazyVariables = @{}
foreach ($source in $sources | Where-Object Lazy) {
    foreach ($defined in $source.Defines) { $lazyFunctions[$defined] = $source.Relative }
    foreach ($assigned in $source.Assigns) {
        if (-not $lazyVariables.ContainsKey($assigned.Name)) { $lazyVariables[$assigned.Name] = [System.Collections.Generic.List[object]]::new() }
        $lazyVariables[$assigned.Name].Add([pscustomobject]@{ Source = $source; Statement = $assigned.Statement })
    }
}
$eagerCode = @($sources | Where-Object { -not $_.Lazy } | ForEach-Object { [pscustomobject]@{ Where = $_.Relative; Ast = $_.Ast } }) +
    [pscustomobject]@{ Where = 'the footer'; Ast = (Get-ParsedText $footer 'footer').Ast }
$eagerDefined = @($eagerCode | ForEach-Object { $_.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true) } | ForEach-Object Name)
foreach ($reserved in 'Import-SpoPrivateCode') {
    if ($lazyFunctions.ContainsKey($reserved) -or $reserved -in $eagerDefined) { throw "$reserved is the build's loader of the private code; name the function in module/ otherwise." }
}
$stubs = [System.Collections.Generic.SortedSet[string]]::new([System.StringComparer]::Ordinal)
$hoisted = [System.Collections.Generic.List[object]]::new()
foreach ($code in $eagerCode) {
    foreach ($call in $code.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
        $called = $call.GetCommandName()
        if (-not $called -or -not $lazyFunctions.ContainsKey($called) -or $called -in $eagerDefined) { continue }
        # A stub passes its arguments on with @args: that keeps positional values, '-Name value' and
        # '-Switch', but PowerShell passes '-Switch:$false' on as '-Switch' and a positional $false,
        # and a stub has no pipeline input or caller scope to pass on.
        $where = "$($code.Where) (line $($call.Extent.StartLineNumber)): $called is loaded on first use (${privateCodeFile}), through a stub that"
        if ($call.Parent -is [System.Management.Automation.Language.PipelineAst] -and $call.Parent.PipelineElements.IndexOf($call) -gt 0) { throw "$where takes no pipeline input." }
        if ($call.InvocationOperator -eq 'Dot') { throw "$where cannot be dot-sourced." }
        foreach ($element in $call.CommandElements) {
            if ($element -is [System.Management.Automation.Language.CommandParameterAst] -and $element.Argument) { throw "$where does not pass '$($element.Extent.Text)' on faithfully: write '-$($element.ParameterName) value' or a positional value." }
            if ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) { throw "$where does not pass the splat $($element.Extent.Text) on faithfully." }
        }
        $null = $stubs.Add($called)
    }
    foreach ($read in $code.Ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.VariableExpressionAst] }, $true)) {
        $path = $read.VariablePath
        $variable = if ($path.IsScript) { $path.UserPath.Substring('script:'.Length) } elseif ($path.IsUnscopedVariable) { $path.UserPath }
        if (-not $variable -or -not $lazyVariables.ContainsKey($variable) -or @($hoisted | Where-Object Name -eq $variable)) { continue }
        $assignments = @($lazyVariables[$variable])
        $value = $assignments[0].Statement.Right
        $constant = $assignments.Count -eq 1 -and $value -is [System.Management.Automation.Language.CommandExpressionAst] -and (
            $value.Expression -is [System.Management.Automation.Language.ConstantExpressionAst] -or
            ($value.Expression -is [System.Management.Automation.Language.VariableExpressionAst] -and $value.Expression.VariablePath.UserPath -in 'true', 'false', 'null'))
        if (-not $constant) {
            throw "$($code.Where) (line $($read.Extent.StartLineNumber)) reads `$script:$variable, which $($assignments[0].Source.Relative) sets on first use; only a single constant assignment can move to import. Move the variable to a file loaded at import, or read it in the private code."
        }
        $statement = $assignments[0].Statement
        $hoisted.Add([pscustomobject]@{ Name = $variable; Text = $statement.Extent.Text; Source = $assignments[0].Source.Relative })
        $assignments[0].Source.Edits.Add(@{ Start = $statement.Extent.StartOffset; End = $statement.Extent.EndOffset; Text = "# (set at import, in SPOCrossTenant.psm1) $($statement.Extent.Text)" })
    }
}

function Remove-CommentHelp {
    # The text of a Public file with the comment-based help of its command replaced by a pointer to
    # the external help file (the first <# #> block inside the function that has a .SYNOPSIS).
    param([string]$Text, [string]$Command)
    $tokens = $null; $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
    $function = $ast.Find({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] -and $node.Name -eq $Command }, $false)
    $help = $tokens | Where-Object { $_.Kind -eq 'Comment' -and $_.Text.StartsWith('<#') -and $_.Text -match '(?im)^\s*\.SYNOPSIS\b' -and
        $_.Extent.StartOffset -gt $function.Extent.StartOffset -and $_.Extent.EndOffset -lt $function.Extent.EndOffset } | Select-Object -First 1
    if (-not $help) { return $Text }
    $Text.Substring(0, $help.Extent.StartOffset) + "<#`n    .ExternalHelp SPOCrossTenant-help.xml`n    #>" + $Text.Substring($help.Extent.EndOffset)
}

function Join-ModuleBody {
    # One region per source file (those loaded at import, or those loaded on first use); the commands
    # in $ExternalHelp get their help from the MAML file.
    param([switch]$Lazy, [string[]]$ExternalHelp = @())
    $body = [System.Text.StringBuilder]::new()
    foreach ($source in $sources | Where-Object { $_.Lazy -eq $Lazy.IsPresent }) {
        $text = ((Edit-Text $source.Raw $source.Edits) -replace "`r`n", "`n").TrimEnd()
        if ($source.Command -and $source.Command -in $ExternalHelp) { $text = Remove-CommentHelp $text $source.Command }
        $null = $body.Append("#region $($source.Relative)`n").Append($text).Append("`n#endregion $($source.Relative)`n`n")
    }
    $body.ToString()
}

function New-Psm1Text {
    param([string[]]$ExternalHelp = @())
    $psm1 = [System.Text.StringBuilder]::new()
    foreach ($statement in $usings) { $null = $psm1.Append("$statement`n") }
    $null = $psm1.Append(@"
# SPOCrossTenant ${version}: generated by scripts/build-module.ps1 from module/Public/*.ps1 and the
# module/Private/ files import needs (one region per source file); the rest of module/Private/ is
# $privateCodeFile, loaded on first use. Do not edit here; edit the sources and rebuild.

"@).Append((Join-ModuleBody -ExternalHelp $ExternalHelp)).Append(@"
# The private code: $privateCodeFile, dot-sourced into module scope by the first command that
# needs it (its functions are defined as script:Name for that), once.
`$script:SpoPrivateCodeLoaded = `$false
function Import-SpoPrivateCode {
    if (`$script:SpoPrivateCodeLoaded) { return }
    # Stop on a missing or broken file here: a stub would otherwise call itself.
    `$ErrorActionPreference = 'Stop'
    . "`$PSScriptRoot/$privateCodeFile"
    `$script:SpoPrivateCodeLoaded = `$true
}
# Stubs of the private functions that the code above calls: each loads the private code, which
# replaces the stub with the real function, and calls that.

"@)
    foreach ($stub in $stubs) { $null = $psm1.Append("function $stub { Import-SpoPrivateCode; $stub @args }`n") }
    if ($hoisted.Count) { $null = $psm1.Append("# Script variables of the private code that the code above reads.`n") }
    foreach ($variable in $hoisted) { $null = $psm1.Append("$($variable.Text)   # from $($variable.Source)`n") }
    $null = $psm1.Append("`n").Append($footer)
    $psm1.ToString()
}

function New-PrivateCodeText {
    $text = [System.Text.StringBuilder]::new()
    foreach ($statement in $usings) { $null = $text.Append("$statement`n") }
    $null = $text.Append(@"
# SPOCrossTenant ${version}: generated by scripts/build-module.ps1 from the module/Private/ files that
# SPOCrossTenant.psm1 does not hold (one region per source file; functions renamed script:Name), and
# loaded by its Import-SpoPrivateCode on first use. Do not edit here; edit the sources and rebuild.

"@).Append((Join-ModuleBody -Lazy))
    $text.ToString()
}

# The manifest: the source manifest's descriptive fields, with what the build knows filled in.
$template = Import-PowerShellDataFile -LiteralPath (Join-Path $moduleSource 'SPOCrossTenant.psd1')
$formats = @([System.IO.Directory]::GetFiles($moduleSource, '*.format.ps1xml') | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Sort-Object)
$typeFiles = @([System.IO.Directory]::GetFiles($moduleSource, '*.types.ps1xml') | ForEach-Object { [System.IO.Path]::GetFileName($_) } | Sort-Object)
$manifest = [ordered]@{
    RootModule           = 'SPOCrossTenant.psm1'
    ModuleVersion        = $version
    GUID                 = $template.GUID
    Author               = $template.Author
    CompanyName          = $(if ($template.ContainsKey('CompanyName')) { $template.CompanyName } else { $template.Author })
    Copyright            = $template.Copyright
    Description          = $template.Description
    PowerShellVersion    = $template.PowerShellVersion
    RequiredAssemblies   = @('bin/SPOCrossTenant.dll')
    CompatiblePSEditions = @($template.CompatiblePSEditions)
    FunctionsToExport    = @($functions)
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @($aliases)
    FormatsToProcess     = $formats
    TypesToProcess       = $typeFiles
    PrivateData          = @{ PSData = $template.PrivateData.PSData }
}

function ConvertTo-Psd1 {
    # A PowerShell data file literal of strings, arrays and hashtables.
    param($Value, [int]$Indent = 0)
    $pad = ' ' * (4 * ($Indent + 1))
    if ($Value -is [System.Collections.IDictionary]) {
        $lines = foreach ($key in $Value.Keys) { "$pad$key = $(ConvertTo-Psd1 $Value[$key] ($Indent + 1))" }
        return "@{`n$($lines -join "`n")`n$(' ' * (4 * $Indent))}"
    }
    if ($Value -is [System.Collections.IEnumerable] -and $Value -isnot [string]) { return "@($(Format-PowerShellList @($Value)))" }
    if ($Value -is [bool]) { return "`$$($Value.ToString().ToLowerInvariant())" }
    "'$("$Value" -replace "'", "''")'"
}

$destination = Join-Path $OutputRoot "SPOCrossTenant/$version"
Write-Step "writing $destination"
if (Test-Path -LiteralPath $destination) { Remove-Item -Recurse -Force -LiteralPath $destination }
$null = New-Item -ItemType Directory -Force -Path (Join-Path $destination "bin/$rid")
[System.IO.File]::WriteAllText((Join-Path $destination 'SPOCrossTenant.psm1'), (New-Psm1Text), $utf8)
[System.IO.File]::WriteAllText((Join-Path $destination $privateCodeFile), (New-PrivateCodeText), $utf8)
[System.IO.File]::WriteAllText((Join-Path $destination 'SPOCrossTenant.psd1'),
    "# SPOCrossTenant $version, generated by scripts/build-module.ps1 from module/SPOCrossTenant.psd1.`n$(ConvertTo-Psd1 $manifest)`n", $utf8)
foreach ($file in $formats + $typeFiles) { Copy-Item -LiteralPath (Join-Path $moduleSource $file) -Destination $destination }
foreach ($culture in [System.IO.Directory]::GetDirectories($moduleSource) | Where-Object { (Split-Path -Leaf $_) -match '^[a-z]{2}(-[A-Z]{2})?$' }) {
    Copy-Item -Recurse -LiteralPath $culture -Destination $destination
}
Copy-Item -LiteralPath (@($bindingAssembly) + $enumAssemblies) -Destination (Join-Path $destination 'bin')
Copy-Item -LiteralPath $library -Destination (Join-Path $destination "bin/$rid/$libraryFile")
if ($NativeDirectory) {
    foreach ($folder in [System.IO.Directory]::GetDirectories($NativeDirectory)) {
        $otherRid = Split-Path -Leaf $folder
        if ($otherRid -notmatch '^(win|linux|osx)-(x64|arm64|x86|arm)$') { throw "$folder`: not named after a runtime identifier (e.g. win-arm64)." }
        $otherLibrary = @($libraryFiles | ForEach-Object { Join-Path $folder $_ } | Where-Object { Test-Path -LiteralPath $_ })
        if ($otherLibrary.Count -ne 1) { throw "$folder must hold exactly one of $($libraryFiles -join ', ')." }
        if ($otherRid -eq $rid) { continue }   # this machine's own build wins
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $destination "bin/$otherRid")
        Copy-Item -LiteralPath $otherLibrary[0] -Destination (Join-Path $destination "bin/$otherRid")
    }
}

# External help: the commands' comment-based help becomes en-US/SPOCrossTenant-help.xml (MAML), read
# only by Get-Help, so that import does not parse it. Checked: Get-Help must show the same before and after.
if (-not $NoExternalHelp) {
    $helpWork = Join-Path $repoRoot 'target/help'
    $null = New-Item -ItemType Directory -Force -Path $helpWork
    $maml = Join-Path $destination 'en-US/SPOCrossTenant-help.xml'
    $null = New-Item -ItemType Directory -Force -Path (Split-Path $maml)
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $pwshPrefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { [System.Environment]::GetCommandLineArgs()[0] })
    $helper = Join-Path $PSScriptRoot 'New-ModuleHelp.ps1'
    $manifestFile = Join-Path $destination 'SPOCrossTenant.psd1'
    Write-Step 'external help (MAML) from the comment-based help'
    $savedLibrary = $env:SPO_CROSSTENANT_LIBRARY; $env:SPO_CROSSTENANT_LIBRARY = $null
    try {
        & $pwsh @pwshPrefix -NoProfile -NonInteractive -File $helper -ManifestPath $manifestFile -MamlPath $maml -DumpPath "$helpWork/before.json" 2>&1 | Write-Host
        if ($LASTEXITCODE) { throw "New-ModuleHelp.ps1 failed ($LASTEXITCODE)." }
        $skipped = @(Get-Content -LiteralPath "$maml.skipped" | Where-Object { $_ })
        Remove-Item -LiteralPath "$maml.skipped"
        [System.IO.File]::WriteAllText((Join-Path $destination 'SPOCrossTenant.psm1'), (New-Psm1Text -ExternalHelp @($functions | Where-Object { $_ -notin $skipped })), $utf8)
        & $pwsh @pwshPrefix -NoProfile -NonInteractive -File $helper -ManifestPath $manifestFile -DumpPath "$helpWork/after.json" 2>&1 | Write-Host
        if ($LASTEXITCODE) { throw "New-ModuleHelp.ps1 failed ($LASTEXITCODE)." }
    } finally { $env:SPO_CROSSTENANT_LIBRARY = $savedLibrary }
    $before = Get-Content -Raw -LiteralPath "$helpWork/before.json" | ConvertFrom-Json -AsHashtable
    $after = Get-Content -Raw -LiteralPath "$helpWork/after.json" | ConvertFrom-Json -AsHashtable
    foreach ($name in $before.Keys) {
        $was = $before[$name] | ConvertTo-Json -Depth 6; $now = $after[$name] | ConvertTo-Json -Depth 6
        if ($was -cne $now) {
            $diff = Compare-Object ($was -split "`n") ($now -split "`n") | Select-Object -First 6 | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" }
            throw "The external help of $name differs from its comment-based help:`n$($diff -join "`n")"
        }
    }
    if ($skipped) { Write-Warning "Comment-based help kept (Get-Help could not read it here): $($skipped -join ', ')" }
}

# The result must parse and be a valid manifest.
$null = Get-ParsedFile (Join-Path $destination 'SPOCrossTenant.psm1')
$null = Get-ParsedFile (Join-Path $destination $privateCodeFile)
$checked = Test-ModuleManifest -Path (Join-Path $destination 'SPOCrossTenant.psd1') -ErrorAction Stop
$platforms = @([System.IO.Directory]::GetDirectories((Join-Path $destination 'bin')) | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object)
Write-Step "module $($checked.Name) $($checked.Version): $($functions.Count) commands, $($aliases.Count) aliases, native for $($platforms -join ', ')"
Write-Step ("private code loaded on first use: {0} files through {1} stubs ({2}); set at import: {3}" -f @($sources | Where-Object Lazy).Count,
    $stubs.Count, ($stubs -join ', '), $(if ($hoisted.Count) { ($hoisted | ForEach-Object { "`$script:$($_.Name)" }) -join ', ' } else { 'nothing' }))

# --- 4. The package -----------------------------------------------------------------------------------
if ($Package) {
    if (-not $RepositoryPath) { $RepositoryPath = Join-Path $OutputRoot 'repository' }
    $RepositoryPath = [System.IO.Path]::GetFullPath($RepositoryPath)
    $null = New-Item -ItemType Directory -Force -Path $RepositoryPath
    Remove-Item -Force -LiteralPath (Join-Path $RepositoryPath "SPOCrossTenant.$version.nupkg") -ErrorAction SilentlyContinue
    # Registering a repository writes PSResourceGet's per-user settings: done in a child pwsh whose
    # per-user folders are throwaway ones, so the build leaves the user's settings alone.
    $home_ = Join-Path $repoRoot "target/psresource-home"
    if (Test-Path -LiteralPath $home_) { Remove-Item -Recurse -Force -LiteralPath $home_ }
    $null = New-Item -ItemType Directory -Force -Path $home_
    $script = @'
param($Repository, $Module)
$ErrorActionPreference = 'Stop'
# (On Windows the per-user folders ignore the variables: start and end without a registration.)
Unregister-PSResourceRepository -Name SPOCrossTenantBuild -ErrorAction SilentlyContinue
Register-PSResourceRepository -Name SPOCrossTenantBuild -Uri $Repository -Trusted
try { Publish-PSResource -Path $Module -Repository SPOCrossTenantBuild }
finally { Unregister-PSResourceRepository -Name SPOCrossTenantBuild -ErrorAction SilentlyContinue }
'@
    $scriptFile = Join-Path $home_ 'publish.ps1'
    [System.IO.File]::WriteAllText($scriptFile, $script, $utf8)
    $pwsh = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $prefix = @(if ([System.IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { [System.Environment]::GetCommandLineArgs()[0] })
    $saved = @{}
    foreach ($variable in 'HOME', 'USERPROFILE', 'LOCALAPPDATA', 'APPDATA', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') {
        $saved[$variable] = [System.Environment]::GetEnvironmentVariable($variable)
        # The folders must exist: .NET answers "" for a per-user folder that does not.
        $value = if ($variable -like 'XDG_*') { Join-Path $home_ $variable.ToLowerInvariant() } else { $home_ }
        $null = New-Item -ItemType Directory -Force -Path $value
        [System.Environment]::SetEnvironmentVariable($variable, $value)
    }
    try {
        Write-Step "Publish-PSResource into $RepositoryPath"
        & $pwsh @prefix -NoProfile -NonInteractive -File $scriptFile -Repository $RepositoryPath -Module $destination
        if ($LASTEXITCODE) { throw "Publish-PSResource failed ($LASTEXITCODE)." }
    } finally {
        foreach ($variable in $saved.Keys) { [System.Environment]::SetEnvironmentVariable($variable, $saved[$variable]) }
        Remove-Item -Recurse -Force -LiteralPath $home_ -ErrorAction SilentlyContinue
    }
    $nupkg = Join-Path $RepositoryPath "SPOCrossTenant.$version.nupkg"
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Publish-PSResource made no $nupkg." }
    Write-Step "package $nupkg"
}
Write-Step 'done'
