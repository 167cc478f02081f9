# The move state objects that Start-, Stop- and Get-SPOCrossTenant*ContentMove* write.
#
# The engine hands over its normalized move state JSON (one object, or an array of them; the
# shape is the engine's, src/ docs and /README "Existing scripts": inferred, because Microsoft does
# not publish it). Each becomes one SPOCrossTenant.ContentMoveState object with the properties
# scripts read (MoveState, SourceSiteUrl, TargetSiteUrl, MoveJobId, SourceDataLocation,
# DestinationDataLocation, TimeStamp, PercentComplete, ErrorMessage) and the rest. MoveState is the
# server's state name as a [string], so it compares, switches, prints and exports as its name
# (the service also shows states outside the MoveState enum, such as Scheduled and ReadyToTrigger).
# Dates are [datetime] in UTC, or $null. Parsed with System.Text.Json, like the relation list:
# no other module gets loaded, and date strings are not turned into local time.

$script:SpoMoveStateTypeName = 'SPOCrossTenant.ContentMoveState'

# Property -> how its JSON value is read: Text, Guid, Int, Bool or Date.
$script:SpoMoveStateFields = [ordered]@{
    MoveJobId = 'Guid'; ContentType = 'Text'; SourceContentKey = 'Text'; TargetContentKey = 'Text'
    SourceSiteUrl = 'Text'; TargetSiteUrl = 'Text'; TargetCrossTenantHostUrl = 'Text'; MoveDirection = 'Text'
    MoveState = 'Text'; MovePhase = 'Text'; PercentComplete = 'Int'; ValidationOnly = 'Bool'
    ErrorCode = 'Text'; ErrorMessage = 'Text'; SourceDataLocation = 'Text'; DestinationDataLocation = 'Text'
    PreferredMoveBeginDate = 'Date'; PreferredMoveEndDate = 'Date'; CreatedTime = 'Date'; StartedTime = 'Date'
    CompletedTime = 'Date'; TimeStamp = 'Date'
}

function ConvertFrom-SpoMoveStateJson {
    # JSON text (an object or an array of objects) -> SPOCrossTenant.ContentMoveState objects.
    # $CorrelationId is the answer's, kept on each object for a support case. The reading is
    # the binding's (JsonRecordReader.cs: thousands of states in milliseconds), by the table above.
    param([string]$Json, [string]$CorrelationId)
    foreach ($state in [SPOCrossTenant.JsonRecordReader]::Read($Json, $script:SpoMoveStateFields, $script:SpoMoveStateTypeName, $CorrelationId)) {
        [pscustomobject]$state
    }
}

function ConvertTo-SpoMoveStateList {
    # Output of Start-, Stop- and Get-...ContentMoveState: the state objects; nothing for none.
    param([System.Management.Automation.PSCmdlet]$Cmdlet, [SPOCrossTenant.NativeResult]$Result, [System.Collections.Specialized.OrderedDictionary]$Arguments, [psobject]$Connection)
    ConvertFrom-SpoMoveStateJson -Json $Result.Value -CorrelationId $Result.CorrelationId
}
