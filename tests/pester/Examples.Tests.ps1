# Every example a user may copy: the PowerShell blocks and the inline commands of README.md, the
# command lines of about_SPOCrossTenant, and the examples in the help of every command. Each is read
# with the PowerShell parser (nothing runs): it must parse, and every command of this module in it
# must bind its arguments as written: parameter names that exist, positional values where the
# command takes them (StaticParameterBinder). A placeholder such as <partner host URL> stands for
# one value.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    $manifest = Import-PowerShellDataFile -LiteralPath $script:ModuleManifest
    $script:CommandNames = @($manifest.FunctionsToExport)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest
    $module = Get-Module SPOCrossTenant
    $script:Ours = @($module.ExportedFunctions.Keys) + @($module.ExportedAliases.Keys)

    function Test-Example {
        # What is wrong with one example (nothing when it is right), each line naming $Where.
        param([string]$Where, [string]$Code)
        $text = $Code -replace '<[^<>\r\n]+>', 'placeholder'
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$tokens, [ref]$errors)
        foreach ($problem in $errors) { "${Where}: does not parse ($($problem.Message)): $Code" }
        if ($errors) { return }
        $commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            if ($command.GetCommandName() -notin $script:Ours) { continue }
            $bound = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($command, $true)
            foreach ($failure in $bound.BindingExceptions.GetEnumerator()) {
                "${Where}: $($failure.Value.BindingException.ErrorId) ($($failure.Key)) in: $($command.Extent.Text)"
            }
        }
    }

    function Get-Line {
        # The line number of $Index in $Text.
        param([string]$Text, [int]$Index)
        ($Text.Substring(0, $Index) -split "`n").Count
    }
}

Describe 'The examples of README.md' {
    It 'parse, and bind as written' {
        $readme = [System.IO.File]::ReadAllText((Join-Path $script:RepoRoot 'README.md'))
        $checked = 0
        $problems = @(
            foreach ($block in [regex]::Matches($readme, '(?ms)^```powershell[^\n]*\n(.*?)^```')) {
                $checked++
                Test-Example "README.md line $(Get-Line $readme $block.Index)" $block.Groups[1].Value
            }
            # Inline code that holds one of this module's commands, e.g. `Get-SPOCrossTenantMigrationStatus <partner host URL>`.
            $prose = [regex]::Replace($readme, '(?ms)^```.*?^```', { param($match) "`n" * ($match.Value -split "`n").Count })
            $names = ($script:Ours | ForEach-Object { [regex]::Escape($_) }) -join '|'
            foreach ($span in [regex]::Matches($prose, '(?<!`)`([^`]+)`(?!`)')) {
                if ($span.Groups[1].Value -notmatch "(?<![\w-])($names)(?![\w{-])") { continue }
                $checked++
                Test-Example "README.md line $(Get-Line $prose $span.Index)" ($span.Groups[1].Value -replace '\s*\r?\n\s*', ' ')
            }
        )
        $checked | Should -BeGreaterThan 15
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'The examples of about_SPOCrossTenant' {
    It 'parse, and bind as written' {
        $lines = [System.IO.File]::ReadAllLines((Join-Path $script:RepoRoot 'module/en-US/about_SPOCrossTenant.help.txt'))
        # The command lines are indented eight spaces (a pipeline goes on more deeply), after the list of commands.
        $start = [array]::IndexOf($lines, @($lines | Where-Object { $_ -match '^\s+THE WORKFLOW' })[0])
        $blocks = [System.Collections.Generic.List[object]]::new()
        for ($index = $start; $index -lt $lines.Count; $index++) {
            if ($lines[$index] -notmatch '^ {8}\S') { continue }
            $block = @{ Line = $index + 1; Text = [System.Collections.Generic.List[string]]::new() }
            while ($index -lt $lines.Count -and $lines[$index] -match '^ {8}') { $block.Text.Add($lines[$index]); $index++ }
            $blocks.Add($block)
        }
        $code = @($blocks | Where-Object { @($_.Text | Where-Object { $_ -notmatch '^\s*#' })[0] -match '^\s*(\$\w+\s*=\s*)?\(?(Import-Csv|''|[A-Z][a-z]+-SPO)' })
        $code.Count | Should -BeGreaterThan 10
        $problems = @(foreach ($block in $code) { Test-Example "about_SPOCrossTenant line $($block.Line)" ($block.Text -join "`n") })
        $problems | Should -BeNullOrEmpty
    }
}

Describe 'The help examples of <_>' -ForEach $script:CommandNames {
    It 'parse, and bind as written' {
        $help = Get-Help -Name $_ -Full
        $problems = @(foreach ($example in $help.Examples.Example) { Test-Example "$_ $($example.Title.Trim('- '))" $example.Code })
        $problems | Should -BeNullOrEmpty
    }
}
