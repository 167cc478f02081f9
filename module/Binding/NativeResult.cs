// A managed copy of one spo_result record (ABI v3). Take copies every field and then hands the
// record back to the library (spo_result_free): .NET never frees memory Rust allocated.
using System;
using System.Runtime.InteropServices;

namespace SPOCrossTenant
{
    /// <summary>typedef struct spo_text { const char *ptr; size_t len; } spo_text;</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SpoText
    {
        public IntPtr Ptr;
        public UIntPtr Len;
    }

    /// <summary>The C layout of spo_result, field for field (checked against the header by tests/pester/Interop.Tests.ps1).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct SpoResult
    {
        public uint Status;
        public uint Sent;
        public uint HttpStatus;
        public uint Reserved;
        public SpoText Value;
        public SpoText CorrelationId;
        public SpoText Kind;
        public SpoText ErrorId;
        public SpoText Message;
        public SpoText ServerMessage;
        public SpoText ServerErrorCode;
        public SpoText ServerErrorTypeName;
        public SpoText Parameter;
        public SpoText Progress;
        public IntPtr Connection;
    }

    public sealed class NativeResult
    {
        public uint Status;
        public bool Sent;
        public int HttpStatus;
        public string Value = "", CorrelationId = "", Kind = "", ErrorId = "", Message = "",
            ServerMessage = "", ServerErrorCode = "", ServerErrorTypeName = "", Parameter = "";
        /// <summary>Progress lines since the previous record of the operation; empty array when none.</summary>
        public string[] Progress = Array.Empty<string>();
        /// <summary>Sign-in success only: the new connection, owned by the caller (spo_connection_free).</summary>
        public IntPtr Connection;

        public bool Succeeded => Status == 0;
        public bool Pending => Status == 1;

        /// <summary>
        /// One spo_call and its record, as one call from PowerShell (each call from script into .NET
        /// costs more than the marshalling itself): the record is taken (copied, then freed by the
        /// library); <paramref name="operation"/> is the operation still running, or IntPtr.Zero.
        /// </summary>
        public static NativeResult Call(IntPtr connection, byte[] commandUtf8Nul, string[] arguments, uint waitMs, out IntPtr operation)
        {
            Native.spo_call(connection, commandUtf8Nul, arguments, (UIntPtr)(uint)arguments.Length, waitMs, out operation, out IntPtr result);
            return Take(result);
        }

        /// <summary>Copies the record at <paramref name="result"/> and frees it; IntPtr.Zero gives null.</summary>
        public static NativeResult Take(IntPtr result)
        {
            if (result == IntPtr.Zero) return null;
            try
            {
                var raw = Marshal.PtrToStructure<SpoResult>(result);
                var progress = Read(raw.Progress);
                return new NativeResult
                {
                    Status = raw.Status,
                    Sent = raw.Sent != 0,
                    HttpStatus = unchecked((int)raw.HttpStatus),
                    Value = Read(raw.Value),
                    CorrelationId = Read(raw.CorrelationId),
                    Kind = Read(raw.Kind),
                    ErrorId = Read(raw.ErrorId),
                    Message = Read(raw.Message),
                    ServerMessage = Read(raw.ServerMessage),
                    ServerErrorCode = Read(raw.ServerErrorCode),
                    ServerErrorTypeName = Read(raw.ServerErrorTypeName),
                    Parameter = Read(raw.Parameter),
                    Progress = progress.Length == 0
                        ? Array.Empty<string>()
                        : progress.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                    Connection = raw.Connection,
                };
            }
            finally
            {
                Native.spo_result_free(result);
            }
        }

        private static string Read(SpoText text)
        {
            ulong length = text.Len.ToUInt64();
            if (text.Ptr == IntPtr.Zero || length == 0) return "";
            return Marshal.PtrToStringUTF8(text.Ptr, checked((int)length));
        }

        public override string ToString() =>
            Succeeded ? $"Ok: {Value}" : Pending ? "Pending" : $"{Kind} ({ErrorId}): {Message}";
    }
}
