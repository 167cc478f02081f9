// What an admin is told about a failure: the ErrorRecord (id SPOCrossTenant.<ErrorId>,
// its PowerShell error category, the exception, what to do next). Here rather than in script because
// every failed request builds one, and each script function call on that path costs more than the
// lookups themselves.
using System;
using System.Collections;

namespace SPOCrossTenant
{
    public static class FailureAdvice
    {
        /// <summary>
        /// The ErrorRecord of any engine failure: input the engine refused (nothing was sent) becomes an
        /// ArgumentException aimed at the value the admin typed for that parameter (from
        /// <paramref name="arguments"/>, else <paramref name="target"/>); anything else a ServerException
        /// record, see <see cref="ServiceErrorRecord"/>.
        /// </summary>
        public static object ErrorRecord(NativeResult failure, IDictionary arguments, object target, string adminUrl)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            if (failure.Kind != "InvalidArgument") return ServiceErrorRecord(failure, target, adminUrl);
            if (Is(failure.ErrorId, "UnknownCommand") || Is(failure.ErrorId, "ArgumentCount")) return LibraryMismatchRecord(failure);
            string parameter = failure.Parameter;
            object refused = !string.IsNullOrEmpty(parameter) && arguments != null && arguments.Contains(parameter) ? arguments[parameter] : target;
            return ArgumentErrorRecord(failure.ErrorId, failure.Message, parameter, refused);
        }

        /// <summary>
        /// The module never calls a command the engine does not know, nor with another number of
        /// arguments than the engine's: when the engine says it did, the bound library is another
        /// build than the module's. Import checks the ABI version only, and a command may gain an
        /// argument within one ABI version (docs/abi-v3.md), so this is where such a library is
        /// told apart, on its first call: an InvalidOperationException aimed at the library.
        /// </summary>
        public static object LibraryMismatchRecord(NativeResult failure)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            string library = Native.LibraryPath ?? "";
            string message = $"The SPOCrossTenant native library '{library}' does not match this version of the module: {failure.Message}";
            string overridden = Environment.GetEnvironmentVariable(ModuleLoader.OverrideVariable);
            string action = string.IsNullOrEmpty(overridden)
                ? $"Use the library built with this module (reinstall the module, or rebuild it). {ModuleLoader.BuildAdvice}"
                : $"{ModuleLoader.OverrideVariable} points at '{overridden}': point it at the library built with this module, or remove it (in a new session) to use the one that ships with the module.";
            return PowerShellObjects.NewErrorRecord(new InvalidOperationException(message), "SPOCrossTenant." + failure.ErrorId, "InvalidOperation", library, message, action);
        }

        /// <summary>
        /// Bad input, caught before anything was sent (by the engine or by the module): an
        /// ArgumentException naming <paramref name="parameter"/>, aimed at the value refused.
        /// </summary>
        public static object ArgumentErrorRecord(string id, string message, string parameter, object target) =>
            PowerShellObjects.NewErrorRecord(new ArgumentException(message, parameter), "SPOCrossTenant." + id, "InvalidArgument", target);

        /// <summary>
        /// The ErrorRecord of a request that failed after it was started (the server refused it, or it
        /// never got an answer): a ServerException with every fact of the record, its category, and
        /// ErrorDetails with what to do next when there is something useful to say.
        /// </summary>
        public static object ServiceErrorRecord(NativeResult failure, object target, string adminUrl)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            string message = EnsureCorrelationId(failure);
            return PowerShellObjects.NewErrorRecord(new ServerException(failure), "SPOCrossTenant." + failure.ErrorId, Category(failure), target,
                message, RecommendedAction(failure, adminUrl));
        }

        /// <summary>
        /// The name of the System.Management.Automation.ErrorCategory for a failure record; a CSOM
        /// server error is refined by the .NET exception type the server named (ErrorTypeName).
        /// </summary>
        public static string Category(NativeResult failure)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            if (Is(failure.ErrorId, "NotFound")) return "ObjectNotFound";
            switch (failure.Kind)
            {
                case "InvalidArgument":
                case "NullArgument":
                case "InvalidUtf8": return "InvalidArgument";
                case "NotConnected": return "ConnectionError";
                case "Unauthorized": return "AuthenticationError";
                case "Forbidden": return "PermissionDenied";
                case "Throttled": return "LimitsExceeded";
                case "Http": return "ProtocolError";
                case "Network": return "ConnectionError";
                case "Timeout": return "OperationTimeout";
                case "Cancelled": return "OperationStopped";
                case "InvalidResponse": return "InvalidResult";
                case "Server":
                    string type = failure.ServerErrorTypeName ?? "";
                    if (type.StartsWith("System.Argument", StringComparison.OrdinalIgnoreCase)) return "InvalidArgument";
                    if (Is(type, "System.UnauthorizedAccessException")) return "PermissionDenied";
                    if (type.Contains("NotFound", StringComparison.OrdinalIgnoreCase)) return "ObjectNotFound";
                    return "InvalidOperation";
                default: return "NotSpecified";
            }
        }

        /// <summary>What an admin connected to <paramref name="adminUrl"/> can do next, or null when there is nothing useful to say.</summary>
        public static string RecommendedAction(NativeResult failure, string adminUrl)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            string id = failure.ErrorId;
            if (Is(id, "NotFound") || Is(id, "Redirected") || Is(id, "HtmlResponse") || Is(id, "NonJsonResponse"))
            {
                return $"Check that the URL given to Connect-SPOService ({adminUrl}) is the tenant admin site, e.g. https://contoso-admin.sharepoint.com.";
            }
            return failure.Kind switch
            {
                "Unauthorized" => $"Run Connect-SPOService again with a new access token for {adminUrl}. The token may have expired, or it was issued for another tenant or resource.",
                "Forbidden" => "Connect with an account that is a SharePoint Administrator or Global Administrator of this tenant.",
                "Throttled" => "SharePoint Online asked to slow down. Wait a few minutes, then run the command again.",
                "Http" when Is(id, "ServiceError") => "SharePoint Online had an internal problem. Run the command again later.",
                "Timeout" => "Run the command again, or connect with a larger -TimeoutSeconds.",
                "Network" => $"Check the network connection, the proxy settings and the admin URL ({adminUrl}).",
                "Server" when !string.IsNullOrEmpty(failure.CorrelationId) =>
                    $"If the message does not explain the cause, open a support case and quote TraceCorrelationId {failure.CorrelationId}.",
                "Internal" => "This is a bug in the SPOCrossTenant library. Please report it with the message above.",
                _ => null,
            };
        }

        /// <summary>
        /// Makes sure the failure's message names its TraceCorrelationId (support needs it on screen,
        /// even where the library's message left it out), and returns the message.
        /// </summary>
        public static string EnsureCorrelationId(NativeResult failure)
        {
            if (failure == null) throw new ArgumentNullException(nameof(failure));
            if (!string.IsNullOrEmpty(failure.CorrelationId) && !failure.Message.Contains(failure.CorrelationId, StringComparison.Ordinal))
            {
                failure.Message = $"{failure.Message} (TraceCorrelationId {failure.CorrelationId})";
            }
            return failure.Message;
        }

        private static bool Is(string value, string name) => string.Equals(value, name, StringComparison.OrdinalIgnoreCase);
    }
}
