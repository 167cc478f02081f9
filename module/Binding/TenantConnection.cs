// The session's connection to a tenant admin site as the module keeps it (Connect-SPOService, and
// the readiness command's second tenant). It holds the library's connection handle, never the
// token: the library keeps the token and wipes it when the handle is freed.
using System;

namespace SPOCrossTenant
{
    public sealed class TenantConnection
    {
        public TenantConnection(IntPtr handle, string adminUrl, int timeoutSeconds, string clientTag)
        {
            Handle = handle;
            AdminUrl = adminUrl ?? throw new ArgumentNullException(nameof(adminUrl));
            ProcessQueryUrl = adminUrl.TrimEnd('/') + "/_vti_bin/client.svc/ProcessQuery";
            TimeoutSeconds = timeoutSeconds;
            ClientTag = string.IsNullOrEmpty(clientTag) ? null : clientTag;
        }

        /// <summary>The library's spo_connection; IntPtr.Zero once closed.</summary>
        public IntPtr Handle { get; private set; }
        public string AdminUrl { get; }
        /// <summary>Where CSOM requests go: the admin site's client.svc/ProcessQuery.</summary>
        public string ProcessQueryUrl { get; }
        public int TimeoutSeconds { get; }
        public string ClientTag { get; }

        /// <summary>Hands the connection back to the library (spo_connection_free, which wipes the token); safe to call twice.</summary>
        public void Close()
        {
            IntPtr handle = Handle;
            Handle = IntPtr.Zero;
            if (handle != IntPtr.Zero) Native.spo_connection_free(handle);
        }

        public override string ToString() => AdminUrl;
    }
}
