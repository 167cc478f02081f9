# SPOCrossTenant.ServerException: the exception behind every error record for a request that
# failed (the server answered with an error, or could not be reached). Admins can catch it by type
# and read the raw facts a support case needs without parsing the message:
#   try { Set-SPOCrossTenantRelationship ... -ErrorAction Stop }
#   catch [SPOCrossTenant.ServerException] { $_.Exception.CorrelationId }

# Field name -> type. Id is the stable error identifier, Kind the failure class (e.g. Throttled),
# HttpStatus 0 when there was no HTTP answer; the Server* fields are the CSOM ErrorInfo, "" when absent.
$script:SpoServerExceptionFields = [ordered]@{
    Id = [string]; Kind = [string]; HttpStatus = [int]; CorrelationId = [string]
    ServerMessage = [string]; ServerErrorCode = [string]; ServerErrorTypeName = [string]
}

function New-SpoServerExceptionType {
    # Emits the type into $Module (no compiler needed): public fields and one (string message)
    # constructor that passes the message to System.Exception. Called once per process at import.
    param([System.Reflection.Emit.ModuleBuilder]$Module)
    $type = $Module.DefineType('SPOCrossTenant.ServerException', 'Public, Class', [System.Exception])
    foreach ($name in $script:SpoServerExceptionFields.Keys) {
        $null = $type.DefineField($name, $script:SpoServerExceptionFields[$name], 'Public')
    }
    $constructor = $type.DefineConstructor('Public', 'Standard', [type[]]@([string]))
    # this.base(message): ldarg.0, ldarg.1, call Exception(string), ret. The opcodes are looked up
    # by name in one loop, which is cheaper at import than four separate static member accesses.
    $il = $constructor.GetILGenerator()
    $baseConstructor = [System.Exception].GetConstructor([type[]]@([string]))
    foreach ($opcode in 'Ldarg_0', 'Ldarg_1', 'Call', 'Ret') {
        $code = [System.Reflection.Emit.OpCodes].GetField($opcode).GetValue($null)
        if ($opcode -eq 'Call') { $il.Emit($code, $baseConstructor) } else { $il.Emit($code) }
    }
    $type.CreateType()
}
