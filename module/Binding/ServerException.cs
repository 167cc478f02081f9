// SPOCrossTenant.ServerException: the exception behind every error record for a request that
// failed (the server answered with an error, or could not be reached). Admins can catch it by type
// and read the raw facts a support case needs without parsing the message:
//   try { Set-SPOCrossTenantRelationship ... -ErrorAction Stop }
//   catch [SPOCrossTenant.ServerException] { $_.Exception.CorrelationId }
using System;

namespace SPOCrossTenant
{
    public class ServerException : Exception
    {
        /// <summary>The stable error identifier, e.g. "ServerError" or "Throttled".</summary>
        public string Id = "";
        /// <summary>The failure class, e.g. "Server" or "Throttled".</summary>
        public string Kind = "";
        /// <summary>The HTTP status of the answer; 0 when there was no HTTP answer.</summary>
        public int HttpStatus;
        /// <summary>The TraceCorrelationId (or SPRequestGuid) of the answer, "" when none.</summary>
        public string CorrelationId = "";
        /// <summary>CSOM ErrorInfo.ErrorMessage (or the OData error message), "" when absent.</summary>
        public string ServerMessage = "";
        /// <summary>CSOM ErrorInfo.ErrorCode as decimal text, "" when absent.</summary>
        public string ServerErrorCode = "";
        /// <summary>CSOM ErrorInfo.ErrorTypeName, "" when absent.</summary>
        public string ServerErrorTypeName = "";

        public ServerException() { }
        public ServerException(string message) : base(message) { }
        public ServerException(string message, Exception innerException) : base(message, innerException) { }

        /// <summary>An exception carrying every server fact of one failed call's record.</summary>
        public ServerException(NativeResult result) : base(result?.Message)
        {
            if (result == null) throw new ArgumentNullException(nameof(result));
            Id = result.ErrorId;
            Kind = result.Kind;
            HttpStatus = result.HttpStatus;
            CorrelationId = result.CorrelationId;
            ServerMessage = result.ServerMessage;
            ServerErrorCode = result.ServerErrorCode;
            ServerErrorTypeName = result.ServerErrorTypeName;
        }
    }
}
