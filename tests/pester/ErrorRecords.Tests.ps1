# Unit tests of how library failures become ErrorRecords: ids, categories, targets, recommended
# actions, the exception's fields. They need the library only because the module binds it at import.

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers/TestEnvironment.ps1')
    Import-ModuleUnderTest -WithPrivateCode

    function New-TestErrorInfo {
        # The shape of the engine's result record, with defaults for the fields a test does not care about.
        param([string]$Kind, [string]$Id = $Kind, [string]$Message = 'It failed.', [int]$HttpStatus = 0,
            [string]$CorrelationId = '', [string]$ServerErrorTypeName = '', [string]$Parameter = '')
        [SPOCrossTenant.NativeResult]@{ Status = 10; Kind = $Kind; ErrorId = $Id; Message = $Message; HttpStatus = $HttpStatus; CorrelationId = $CorrelationId
            ServerMessage = ''; ServerErrorCode = ''; ServerErrorTypeName = $ServerErrorTypeName; Parameter = $Parameter }
    }
}

Describe 'Error categories' {
    It 'maps <Kind>/<Id> <TypeName> to <Category>' -ForEach @(
        @{ Kind = 'Unauthorized'; Id = 'Unauthorized'; TypeName = ''; Category = 'AuthenticationError' }
        @{ Kind = 'Forbidden'; Id = 'Forbidden'; TypeName = ''; Category = 'PermissionDenied' }
        @{ Kind = 'Throttled'; Id = 'Throttled'; TypeName = ''; Category = 'LimitsExceeded' }
        @{ Kind = 'Timeout'; Id = 'Timeout'; TypeName = ''; Category = 'OperationTimeout' }
        @{ Kind = 'Network'; Id = 'Network'; TypeName = ''; Category = 'ConnectionError' }
        @{ Kind = 'Network'; Id = 'Tls'; TypeName = ''; Category = 'ConnectionError' }
        @{ Kind = 'Http'; Id = 'NotFound'; TypeName = ''; Category = 'ObjectNotFound' }
        @{ Kind = 'Http'; Id = 'HttpError'; TypeName = ''; Category = 'ProtocolError' }
        @{ Kind = 'InvalidResponse'; Id = 'HtmlResponse'; TypeName = ''; Category = 'InvalidResult' }
        @{ Kind = 'Cancelled'; Id = 'Cancelled'; TypeName = ''; Category = 'OperationStopped' }
        @{ Kind = 'Server'; Id = 'ServerError'; TypeName = 'Microsoft.SharePoint.Client.ServerException'; Category = 'InvalidOperation' }
        @{ Kind = 'Server'; Id = 'ServerError'; TypeName = 'System.ArgumentException'; Category = 'InvalidArgument' }
        @{ Kind = 'Server'; Id = 'ServerError'; TypeName = 'System.UnauthorizedAccessException'; Category = 'PermissionDenied' }
        @{ Kind = 'Server'; Id = 'ServerError'; TypeName = 'System.IO.FileNotFoundException'; Category = 'ObjectNotFound' }
        @{ Kind = 'Internal'; Id = 'Panic'; TypeName = ''; Category = 'NotSpecified' }
    ) {
        $info = New-TestErrorInfo -Kind $Kind -Id $Id -ServerErrorTypeName $TypeName
        [SPOCrossTenant.FailureAdvice]::Category($info) | Should -Be $Category
    }
}

Describe 'Service error records' {
    It 'carry the id, the target, the raw fields and a ServerException' {
        $info = New-TestErrorInfo -Kind Server -Id ServerError -Message 'No. (ErrorCode -1; TraceCorrelationId abc-123)' -HttpStatus 200 -CorrelationId 'abc-123' -ServerErrorTypeName 'Microsoft.SharePoint.Client.ServerException'
        $info.ServerErrorCode = '-1'
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info } { param($Info) New-SpoErrorRecord -Result $Info -TargetObject 'https://fabrikam-my.sharepoint.com' -AdminUrl 'https://contoso-admin.sharepoint.com/' }
        $record.FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.ServerError'
        $record.TargetObject | Should -Be 'https://fabrikam-my.sharepoint.com'
        $record.Exception.GetType().FullName | Should -Be 'SPOCrossTenant.ServerException'
        $record.Exception.CorrelationId | Should -Be 'abc-123'
        $record.Exception.ServerErrorCode | Should -Be '-1'
        $record.Exception.HttpStatus | Should -Be 200
        $record.ErrorDetails.RecommendedAction | Should -Match 'abc-123'
    }

    It 'add the TraceCorrelationId to the message when the library left it out' {
        $info = New-TestErrorInfo -Kind Throttled -Message 'Slow down.' -CorrelationId 'corr-42' -HttpStatus 429
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info } { param($Info) New-SpoErrorRecord -Result $Info }
        $record.Exception.Message | Should -Be 'Slow down. (TraceCorrelationId corr-42)'
    }

    It 'recommend running Connect-SPOService again after a 401' {
        $info = New-TestErrorInfo -Kind Unauthorized -HttpStatus 401
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info } { param($Info) New-SpoErrorRecord -Result $Info -AdminUrl 'https://contoso-admin.sharepoint.com/' }
        $record.ErrorDetails.RecommendedAction | Should -Match 'Connect-SPOService'
        $record.ErrorDetails.RecommendedAction | Should -Match 'contoso-admin'
    }
}

Describe 'A native library of another build than the module' {
    It 'is named, with what to do, when the engine <Case>' -ForEach @(
        @{ Case = 'takes another number of arguments'; Id = 'ArgumentCount'; Message = 'AddOrUpdateTenantIdentityMap takes 1 argument(s) (IdentityMapPath), not 2.' }
        @{ Case = 'does not know the command'; Id = 'UnknownCommand'; Message = "'GetTenantUserIdentityMappingItem' is not a command of this library; known commands: NewSPOTenantOrgRelation." }
    ) {
        $info = New-TestErrorInfo -Kind InvalidArgument -Id $Id -Message $Message
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info } { param($Info) New-SpoErrorRecord -Result $Info -Arguments @{ IdentityMapPath = '/tmp/map.csv' } }
        $library = [SPOCrossTenant.Native]::LibraryPath
        $record.FullyQualifiedErrorId | Should -Be "SPOCrossTenant.$Id"
        $record.Exception.Message | Should -Be "The SPOCrossTenant native library '$library' does not match this version of the module: $Message"
        $record.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $record.TargetObject | Should -Be $library
        $record.ErrorDetails.RecommendedAction | Should -Match 'library built with this module'
    }
}

Describe 'Invalid-argument records' {
    It 'aim at the value of the parameter the library names' {
        $info = New-TestErrorInfo -Kind InvalidArgument -Id PartnerUrlHasPath -Parameter PartnerCrossTenantHostUrl -Message 'Has a path.'
        $record = InModuleScope SPOCrossTenant -Parameters @{ Info = $info } {
            param($Info) New-SpoErrorRecord -Result $Info -Arguments @{ Scenario = 'MnA'; PartnerCrossTenantHostUrl = 'https://x-my.sharepoint.com/a' } }
        $record.FullyQualifiedErrorId | Should -Be 'SPOCrossTenant.PartnerUrlHasPath'
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.TargetObject | Should -Be 'https://x-my.sharepoint.com/a'
        $record.Exception.ParamName | Should -Be 'PartnerCrossTenantHostUrl'
    }
}
