# Turning failures into ErrorRecords with stable ids: FullyQualifiedErrorId is 'SPOCrossTenant.<Id>'
# (PowerShell appends ',<command name>'), where <Id> is the engine's error identifier.
# A failure is described by the engine's result record ([SPOCrossTenant.NativeResult]: Kind,
# ErrorId, Message, HttpStatus, CorrelationId, Server*, Parameter); failures the module finds
# itself (sign-in input, certificate files) are described by a record of the same type.

# The status number of a failure record the module builds itself, by its Kind. The engine's
# statuses (spo_status in src/ffi/status.rs; the record's Kind is the name in brackets where it
# differs): 0 Ok, 1 Pending, 2 NullArgument, 3 InvalidUtf8, 4 InvalidArgument, 5 NotConnected,
# 6 Unauthorized, 7 Forbidden, 8 Throttled, 9 HttpError (Http), 10 ServerError (Server),
# 11 Network, 12 Timeout, 13 Cancelled, 14 InvalidResponse, 15 Panic (Internal). Input the module
# refuses is InvalidArgument (4); any other failure carries the status of its Kind, and a Kind the
# engine does not name is Internal (15). Only 0 and 1 mean anything to the binding (Succeeded,
# Pending): the number just has to be a failure's. Read it with Get-SpoStatusOfKind.
$script:SpoStatusByKind = @{
    NullArgument = 2; InvalidUtf8 = 3; InvalidArgument = 4; NotConnected = 5; Unauthorized = 6; Forbidden = 7; Throttled = 8
    Http = 9; Server = 10; Network = 11; Timeout = 12; Cancelled = 13; InvalidResponse = 14; Internal = 15
}

function Get-SpoStatusOfKind {
    # The status number for a failure record of kind $Kind (see $script:SpoStatusByKind).
    param([string]$Kind)
    $status = $script:SpoStatusByKind[$Kind]
    if ($status) { $status } else { $script:SpoStatusByKind.Internal }
}

function New-SpoArgumentErrorRecord {
    # Bad input, caught before anything was sent. The command throws it as a terminating error.
    param([string]$Id, [string]$Message, [string]$ParameterName, [object]$TargetObject)
    [SPOCrossTenant.FailureAdvice]::ArgumentErrorRecord($Id, $Message, $ParameterName, $TargetObject)
}

function New-SpoNotConnectedErrorRecord {
    # Every command that talks to a tenant needs Connect-SPOService first.
    $record = [System.Management.Automation.ErrorRecord]::new(
        [System.InvalidOperationException]::new('There is no connection to a SharePoint Online admin site. Run Connect-SPOService first.'),
        'SPOCrossTenant.NotConnected', [System.Management.Automation.ErrorCategory]::ConnectionError, $null)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($record.Exception.Message)
    $record.ErrorDetails.RecommendedAction = 'Run Connect-SPOService -Url https://<tenant>-admin.sharepoint.com (it signs in with a device code, or use -Credential, a certificate, -ManagedIdentity or -AccessToken).'
    $record
}

function New-SpoServiceErrorRecord {
    # A request that failed after it was started: the server refused it, or it never got an answer.
    # A ServerException record with its category and advice (module/Binding/FailureAdvice.cs).
    param([SPOCrossTenant.NativeResult]$ErrorInfo, [object]$TargetObject, [string]$AdminUrl)
    [SPOCrossTenant.FailureAdvice]::ServiceErrorRecord($ErrorInfo, $TargetObject, $AdminUrl)
}

function New-SpoErrorRecord {
    # Any engine failure: refused input becomes an ArgumentException aimed at the offending value,
    # everything else a ServerException (FailureAdvice.ErrorRecord). $Arguments maps the command's
    # parameter names to the values the admin typed, so the record's target is the value that was refused.
    param([SPOCrossTenant.NativeResult]$Result, [System.Collections.IDictionary]$Arguments = @{}, [object]$TargetObject, [string]$AdminUrl)
    [SPOCrossTenant.FailureAdvice]::ErrorRecord($Result, $Arguments, $TargetObject, $AdminUrl)
}
