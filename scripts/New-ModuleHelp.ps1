#!/usr/bin/env pwsh
<#
.SYNOPSIS
Build helper of scripts/build-module.ps1: writes the external (MAML) help of a built module from its
comment-based help, or dumps what Get-Help shows of each command, for comparison.

.DESCRIPTION
Imports the module at -ManifestPath (in this process: run it in a fresh pwsh) and, for each exported
function, reads Get-Help -Full. With -MamlPath it writes that help as MAML (the format Get-Help reads
from en-US/<Module>-help.xml); with -DumpPath it writes a JSON summary of the help (synopsis,
description, parameters, inputs, outputs, notes, examples, links). The build dumps the help before and
after replacing the comment-based help with '.ExternalHelp', and fails when the two differ.
Why: PowerShell parses every comment-based help block at each import; external help is read only
when someone asks Get-Help.

.PARAMETER ManifestPath
The module to read.

.PARAMETER MamlPath
Where to write the MAML help.

.PARAMETER DumpPath
Where to write the JSON summary.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string]$ManifestPath,
    [string]$MamlPath,
    [string]$DumpPath
)

$ErrorActionPreference = 'Stop'
$skipped = @()
$module = Import-Module $ManifestPath -PassThru -Force
# Commands whose help Get-Help cannot read (e.g. a parameter type that does not exist) keep their
# comment-based help: they are left out, and listed in <MamlPath>.skipped for the build.
$names = @(foreach ($name in @($module.ExportedFunctions.Keys | Sort-Object)) {
        try { $null = Get-Help -Name $name -Full -ErrorAction Stop; $name }
        catch { Write-Warning "Help of $name not converted: $($_.Exception.Message)"; $skipped += @($name) }
    })

function Get-Texts {
    # The paragraphs of a help text field (an array of objects with .Text, or strings).
    param($Value)
    @(foreach ($item in @($Value)) {
            if ($null -eq $item) { continue }
            $text = if ($item -is [string]) { $item } elseif ($item.PSObject.Properties['Text']) { $item.Text } else { "$item" }
            if ("$text".Trim()) { "$text".TrimEnd() }
        })
}

function Get-HelpSummary {
    param([string]$Name)
    $help = Get-Help -Name $Name -Full
    [ordered]@{
        Name         = $Name
        Synopsis     = "$($help.Synopsis)".Trim()
        Description  = (Get-Texts $help.Description) -join "`n"
        Parameters   = @(foreach ($parameter in @($help.parameters.parameter)) {
                if ($parameter) {
                    "$($parameter.name)|$($parameter.required)|$($parameter.position)|$($parameter.pipelineInput)|$($parameter.type.name)|$($parameter.defaultValue)|" +
                    ((Get-Texts $parameter.description) -join "`n")
                }
            })
        Inputs       = @(foreach ($item in @($help.inputTypes.inputType)) { "$($item.type.name)|$((Get-Texts $item.description) -join "`n")" })
        Outputs      = @(foreach ($item in @($help.returnValues.returnValue)) { "$($item.type.name)|$((Get-Texts $item.description) -join "`n")" })
        Notes        = (Get-Texts $help.alertSet.alert) -join "`n"
        Examples     = @(foreach ($example in @($help.examples.example)) { "$($example.code)".Trim() + "`n--`n" + ((Get-Texts $example.remarks) -join "`n").Trim() })
        Links        = @(foreach ($link in @($help.relatedLinks.navigationLink)) { "$($link.linkText)|$($link.uri)" })
        Syntax       = @(foreach ($item in @($help.syntax.syntaxItem)) { (@($item.parameter) | ForEach-Object { "$($_.name):$($_.required):$($_.position)" }) -join ' ' })
    }
}

if ($DumpPath) {
    $summary = [ordered]@{}
    foreach ($name in $names) { $summary[$name] = Get-HelpSummary $name }
    [System.IO.File]::WriteAllText($DumpPath, ($summary | ConvertTo-Json -Depth 6))
}

if ($MamlPath) {
    $maml = 'http://schemas.microsoft.com/maml/2004/10'
    $command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    $dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($MamlPath, $settings)

    function Write-Paragraphs {
        # <maml:description> with one <maml:para> per text of the comment-based help, blank lines
        # kept inside it (so Get-Help shows the same text).
        param([string[]]$Paragraphs, [string]$Element = 'description', [string]$Namespace = $maml)
        $writer.WriteStartElement('maml', $Element, $Namespace)
        foreach ($paragraph in @($Paragraphs)) { if ("$paragraph".Trim()) { $writer.WriteElementString('maml', 'para', $maml, "$paragraph".TrimEnd()) } }
        $writer.WriteEndElement()
    }

    function Write-Parameter {
        param($Parameter, [switch]$InSyntax)
        $writer.WriteStartElement('command', 'parameter', $command)
        $writer.WriteAttributeString('required', "$($Parameter.required)".ToLowerInvariant())
        $writer.WriteAttributeString('variableLength', 'true')
        $writer.WriteAttributeString('globbing', "$($Parameter.globbing)".ToLowerInvariant())
        $writer.WriteAttributeString('pipelineInput', "$($Parameter.pipelineInput)")
        $writer.WriteAttributeString('position', "$($Parameter.position)")
        $writer.WriteAttributeString('aliases', $(if ($Parameter.aliases) { "$($Parameter.aliases)" } else { 'none' }))
        $writer.WriteElementString('maml', 'name', $maml, $Parameter.name)
        if (-not $InSyntax) { Write-Paragraphs (Get-Texts $Parameter.description) }
        $typeName = "$($Parameter.type.name)"
        if ($typeName -and $typeName -ne 'SwitchParameter') {
            $writer.WriteStartElement('command', 'parameterValue', $command)
            $writer.WriteAttributeString('required', 'true')
            $writer.WriteString($typeName)
            $writer.WriteEndElement()
        }
        $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, $typeName); $writer.WriteEndElement()
        if (-not $InSyntax -and "$($Parameter.defaultValue)") { $writer.WriteElementString('dev', 'defaultValue', $dev, "$($Parameter.defaultValue)") }
        $writer.WriteEndElement()
    }

    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', 'http://msh')
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($name in $names) {
        $help = Get-Help -Name $name -Full
        $verb, $noun = $name -split '-', 2
        $writer.WriteStartElement('command', 'command', $command)
        $writer.WriteAttributeString('xmlns', 'maml', $null, $maml)
        $writer.WriteAttributeString('xmlns', 'command', $null, $command)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $dev)
        $writer.WriteStartElement('command', 'details', $command)
        $writer.WriteElementString('command', 'name', $command, $name)
        Write-Paragraphs @("$($help.Synopsis)".Trim())
        $writer.WriteElementString('command', 'verb', $command, $verb)
        $writer.WriteElementString('command', 'noun', $command, $noun)
        $writer.WriteEndElement()
        Write-Paragraphs (Get-Texts $help.Description)
        $writer.WriteStartElement('command', 'syntax', $command)
        foreach ($item in @($help.syntax.syntaxItem)) {
            $writer.WriteStartElement('command', 'syntaxItem', $command)
            $writer.WriteElementString('maml', 'name', $maml, $name)
            foreach ($parameter in @($item.parameter)) { if ($parameter) { Write-Parameter $parameter -InSyntax } }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteStartElement('command', 'parameters', $command)
        foreach ($parameter in @($help.parameters.parameter)) { if ($parameter) { Write-Parameter $parameter } }
        $writer.WriteEndElement()
        foreach ($set in @(@{ List = 'inputTypes'; Item = 'inputType'; Source = @($help.inputTypes.inputType) },
                @{ List = 'returnValues'; Item = 'returnValue'; Source = @($help.returnValues.returnValue) })) {
            $writer.WriteStartElement('command', $set.List, $command)
            foreach ($entry in $set.Source) {
                if (-not $entry) { continue }
                $writer.WriteStartElement('command', $set.Item, $command)
                $writer.WriteStartElement('dev', 'type', $dev); $writer.WriteElementString('maml', 'name', $maml, "$($entry.type.name)"); $writer.WriteEndElement()
                Write-Paragraphs (Get-Texts $entry.description)
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
        }
        $notes = Get-Texts $help.alertSet.alert
        if ($notes) {
            $writer.WriteStartElement('maml', 'alertSet', $maml); $writer.WriteStartElement('maml', 'alert', $maml)
            foreach ($paragraph in $notes) { $writer.WriteElementString('maml', 'para', $maml, "$paragraph".TrimEnd()) }
            $writer.WriteEndElement(); $writer.WriteEndElement()
        }
        $writer.WriteStartElement('command', 'examples', $command)
        foreach ($example in @($help.examples.example)) {
            if (-not $example) { continue }
            $writer.WriteStartElement('command', 'example', $command)
            $writer.WriteElementString('maml', 'title', $maml, "$($example.title)".Trim())
            $writer.WriteElementString('dev', 'code', $dev, "$($example.code)")
            Write-Paragraphs (Get-Texts $example.remarks) -Element 'remarks' -Namespace $dev
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteStartElement('command', 'relatedLinks', $command)
        foreach ($link in @($help.relatedLinks.navigationLink)) {
            if (-not $link) { continue }
            $writer.WriteStartElement('maml', 'navigationLink', $maml)
            $writer.WriteElementString('maml', 'linkText', $maml, "$($link.linkText)")
            $writer.WriteElementString('maml', 'uri', $maml, "$($link.uri)")
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
    $writer.Dispose()
    [System.IO.File]::WriteAllLines("$MamlPath.skipped", [string[]]$skipped)
}
