// The P/Invoke declarations of the engine's C ABI version 3 (include/spo_crosstenant.h,
// docs/abi-v3.md). Compiled at build time by scripts/build-module.ps1 into
// bin/SPOCrossTenant.dll of the packaged module; the module binds the library in bin/<rid>/ with
// Native.Bind(path) before the first call. Nothing here allocates or frees native memory except
// through the library's own functions.
using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SPOCrossTenant
{
    public static class Native
    {
        /// <summary>The ABI version these declarations were written against; the library must report exactly this.</summary>
        public const uint AbiVersion = 3;

        /// <summary>The name every declaration below imports from; Bind maps it to one file.</summary>
        public const string LibraryName = "spo_crosstenant";

        private static readonly object BindLock = new object();
        private static IntPtr handle;

        /// <summary>The full path of the library this process bound, or null before Bind.</summary>
        public static string LibraryPath { get; private set; }

        /// <summary>
        /// Loads the library at <paramref name="path"/> (an absolute path: no search involved), asks it
        /// for its ABI version and, only when that is <see cref="AbiVersion"/>, makes every declaration
        /// of this class call into it. Returns the version the library reported; on any other version
        /// the library is unloaded again and nothing is bound. Binding the bound path again only
        /// returns the version; a process binds one library, because .NET caches each resolved
        /// P/Invoke target. Throws DllNotFoundException or BadImageFormatException when the file cannot
        /// be loaded, EntryPointNotFoundException when it has no spo_abi_version (not our library),
        /// InvalidOperationException when another path is already bound.
        /// </summary>
        public static uint Bind(string path)
        {
            if (path == null) throw new ArgumentNullException(nameof(path));
            lock (BindLock)
            {
                if (LibraryPath != null)
                {
                    if (string.Equals(LibraryPath, path, StringComparison.Ordinal)) return AbiVersion;
                    throw new InvalidOperationException(
                        $"This PowerShell process already uses the SPOCrossTenant native library '{LibraryPath}'. " +
                        $"Start a new PowerShell session to use '{path}'.");
                }
                IntPtr loaded = NativeLibrary.Load(path);
                uint reported;
                try
                {
                    if (!NativeLibrary.TryGetExport(loaded, "spo_abi_version", out IntPtr export))
                    {
                        throw new EntryPointNotFoundException(
                            $"'{path}' does not export spo_abi_version: it is not an SPOCrossTenant native library.");
                    }
                    // A plain unmanaged call: no delegate and no marshalling stub to generate.
                    unsafe { reported = ((delegate* unmanaged[Cdecl]<uint>)export)(); }
                }
                catch
                {
                    NativeLibrary.Free(loaded);
                    throw;
                }
                if (reported != AbiVersion)
                {
                    NativeLibrary.Free(loaded);
                    return reported;
                }
                handle = loaded;
                NativeLibrary.SetDllImportResolver(typeof(Native).Assembly, Resolve);
                LibraryPath = path;
                return reported;
            }
        }

        private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
            name == LibraryName ? handle : IntPtr.Zero;

        /// <summary>The exports of ABI v3 this binding declares, for a complete check of a library.</summary>
        public static string[] ExportNames() => new[]
        {
            "spo_abi_version", "spo_describe", "spo_call", "spo_operation_wait", "spo_operation_cancel",
            "spo_operation_free", "spo_result_free", "spo_sign_in_new", "spo_sign_in_set", "spo_sign_in_begin",
            "spo_sign_in_free", "spo_connection_info", "spo_connection_free",
        };

        /// <summary>The exports the bound library lacks (empty when complete).</summary>
        public static string[] MissingExports()
        {
            if (LibraryPath == null) throw new InvalidOperationException("No SPOCrossTenant native library is bound yet.");
            var missing = new System.Collections.Generic.List<string>();
            foreach (var name in ExportNames())
            {
                if (!NativeLibrary.TryGetExport(handle, name, out _)) missing.Add(name);
            }
            return missing.ToArray();
        }

        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> CommandNames = new();

        /// <summary>A server method's name as the NUL-terminated UTF-8 spo_call takes, encoded once per name.</summary>
        public static byte[] CommandBytes(string method) =>
            CommandNames.GetOrAdd(method, name => System.Text.Encoding.UTF8.GetBytes(name + "\0"));

        // uint32_t spo_abi_version(void);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_abi_version();

        // spo_status spo_describe(spo_result **result_out);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_describe(out IntPtr result);

        // spo_status spo_call(const spo_connection *, const char *command, const char *const *arguments, size_t count,
        //                     uint32_t wait_ms, spo_operation **operation_out, spo_result **result_out);
        [DllImport(LibraryName, EntryPoint = "spo_call", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        private static extern uint spo_call_export(IntPtr connection, byte[] commandUtf8Nul, IntPtr[] argumentsUtf8,
            UIntPtr count, uint waitMs, out IntPtr operation, out IntPtr result);

        /// <summary>
        /// spo_call with each argument passed as NUL-terminated UTF-8 (.NET cannot marshal a string[] as
        /// UTF-8 by itself): copies live in unmanaged memory for the duration of the call only. A null
        /// array is passed as NULL, a null element as a NULL pointer (the library refuses both).
        /// </summary>
        public static uint spo_call(IntPtr connection, byte[] commandUtf8Nul, string[] argumentsUtf8,
            UIntPtr count, uint waitMs, out IntPtr operation, out IntPtr result)
        {
            if (argumentsUtf8 == null)
            {
                return spo_call_export(connection, commandUtf8Nul, null, count, waitMs, out operation, out result);
            }
            var pointers = new IntPtr[argumentsUtf8.Length];
            try
            {
                for (int i = 0; i < pointers.Length; i++)
                {
                    pointers[i] = argumentsUtf8[i] == null ? IntPtr.Zero : Marshal.StringToCoTaskMemUTF8(argumentsUtf8[i]);
                }
                if (count.ToUInt64() > (ulong)pointers.Length)
                {
                    throw new ArgumentOutOfRangeException(nameof(count), count, "count is larger than the argument array.");
                }
                return spo_call_export(connection, commandUtf8Nul, pointers, count, waitMs, out operation, out result);
            }
            finally
            {
                foreach (IntPtr pointer in pointers) Marshal.FreeCoTaskMem(pointer);
            }
        }

        // spo_status spo_operation_wait(spo_operation *, uint32_t wait_ms, spo_result **result_out);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_operation_wait(IntPtr operation, uint waitMs, out IntPtr result);

        // void spo_operation_cancel(spo_operation *);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void spo_operation_cancel(IntPtr operation);

        // void spo_operation_free(spo_operation *);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void spo_operation_free(IntPtr operation);

        // void spo_result_free(spo_result *);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void spo_result_free(IntPtr result);

        // spo_status spo_sign_in_new(const char *admin_url, spo_sign_in **sign_in_out, spo_result **result_out);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_sign_in_new(byte[] adminUrlUtf8Nul, out IntPtr signIn, out IntPtr result);

        // spo_status spo_sign_in_set(spo_sign_in *, const char *name, const uint8_t *value, size_t len, spo_result **result_out);
        // The value is unmanaged memory, so a secret never gets a managed copy.
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_sign_in_set(IntPtr signIn, byte[] nameUtf8Nul, IntPtr value, UIntPtr length, out IntPtr result);

        // spo_status spo_sign_in_begin(spo_sign_in *, uint32_t wait_ms, spo_operation **operation_out, spo_result **result_out);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_sign_in_begin(IntPtr signIn, uint waitMs, out IntPtr operation, out IntPtr result);

        // void spo_sign_in_free(spo_sign_in *);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void spo_sign_in_free(IntPtr signIn);

        // spo_status spo_connection_info(const spo_connection *, spo_result **result_out);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern uint spo_connection_info(IntPtr connection, out IntPtr result);

        // void spo_connection_free(spo_connection *);
        [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        public static extern void spo_connection_free(IntPtr connection);
    }
}
