# Numbers of the C ABI (version 1) that are not public enums: status codes, error fields and
# sign-in settings. They mirror spo_status, spo_error_field and spo_setting in
# include/spo_crosstenant.h; numbers are never reused.

$script:SpoStatus = @{
    Ok = 0; Pending = 1; NullArgument = 2; InvalidUtf8 = 3; InvalidArgument = 4; NotConnected = 5
    Unauthorized = 6; Forbidden = 7; Throttled = 8; HttpError = 9; ServerError = 10; Network = 11
    Timeout = 12; Cancelled = 13; InvalidResponse = 14; Panic = 15
}

$script:SpoErrorField = @{
    Message = 0; Id = 1; ServerMessage = 2; ServerErrorCode = 3; ServerErrorTypeName = 4; CorrelationId = 5; Parameter = 6
}

# What spo_sign_in_set can set; the engine picks the sign-in method from what was set.
$script:SpoSetting = @{
    AccessToken = 0; ClientId = 1; TenantId = 2; Region = 3; AuthenticationUrl = 4; ClientTag = 5; UserName = 6; Password = 7
    CertificatePem = 8; PrivateKeyPem = 9; CertificatePassword = 10; CertificatePfx = 11; ManagedIdentity = 12
    TimeoutSeconds = 13; MaxAttempts = 14; MaxRetrySeconds = 15; IdentityEndpoint = 16; IdentityHeader = 17
}

function Get-SpoStatusName {
    # A name for any status number, including ones a newer library might add, so error records and
    # -Debug output can say 'Throttled' instead of 8. Only failures need names, so a scan will do.
    param([uint32]$Status)
    foreach ($entry in $script:SpoStatus.GetEnumerator()) { if ($entry.Value -eq $Status) { return $entry.Key } }
    "Status$Status"
}
