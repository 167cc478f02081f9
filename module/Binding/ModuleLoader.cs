// What importing the module does, in C# so that it costs well under a millisecond: find the native
// engine for this platform, bind it (which checks its ABI version), load the enums unless Microsoft's
// module already declared them, and tell Import-Module -Verbose which library was loaded. Called
// once per import by the footer of the script module (scripts/build-module.ps1). Writes no file.
using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace SPOCrossTenant
{
    /// <summary>An import failure: ErrorId becomes the error record's id (SPOCrossTenant.&lt;ErrorId&gt;), Target its target.</summary>
    public class ModuleLoadException : Exception
    {
        public string ErrorId { get; }
        public string Target { get; }
        public ModuleLoadException(string errorId, string target, string message, Exception inner = null) : base(message, inner)
        {
            ErrorId = errorId;
            Target = target;
        }
    }

    public static class ModuleLoader
    {
        /// <summary>The .NET runtime identifier naming the packaged folder under bin/, e.g. linux-x64 or osx-arm64.</summary>
        public static string RuntimeIdentifier
        {
            get
            {
                string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
                return os + "-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            }
        }

        /// <summary>Cargo names a cdylib differently on each platform.</summary>
        public static string NativeFileName =>
            OperatingSystem.IsWindows() ? "spo_crosstenant.dll" : OperatingSystem.IsMacOS() ? "libspo_crosstenant.dylib" : "libspo_crosstenant.so";

        /// <summary>The variable that, when set, names the native library to use instead of the packaged one.</summary>
        public const string OverrideVariable = "SPO_CROSSTENANT_LIBRARY";

        internal static string BuildAdvice =>
            $"To build it from source: in a checkout of SPOCrossTenant on {RuntimeIdentifier}, run './scripts/build-module.sh' " +
            $"(it runs 'cargo build --release' and writes the module, with bin/{RuntimeIdentifier}/{NativeFileName}, to dist/), then import that module.";

        /// <summary>
        /// The full path of the library to bind. Order: SPO_CROSSTENANT_LIBRARY (relative to
        /// <paramref name="currentDirectory"/>) when set; in a package (a bin/ folder in
        /// <paramref name="moduleRoot"/>) bin/&lt;rid&gt;/ and nothing else; in the source tree (module/,
        /// no bin/) the checkout's target/release or target/debug, the newer of the two.
        /// </summary>
        public static string FindLibrary(string moduleRoot, string currentDirectory)
        {
            string path = Environment.GetEnvironmentVariable(OverrideVariable);
            if (!string.IsNullOrEmpty(path))
            {
                path = Path.GetFullPath(path, string.IsNullOrEmpty(currentDirectory) ? Directory.GetCurrentDirectory() : currentDirectory);
                if (!File.Exists(path))
                {
                    throw new ModuleLoadException("LibraryNotFound", path,
                        $"{OverrideVariable} is set to '{path}', but no file is there. Point it at a built {NativeFileName} " +
                        $"({RuntimeIdentifier}), or remove the variable to use the library that ships with the module.");
                }
                return path;
            }
            if (Directory.Exists(Path.Combine(moduleRoot, "bin")))
            {
                path = Path.Combine(moduleRoot, "bin", RuntimeIdentifier, NativeFileName);
                if (!File.Exists(path))
                {
                    throw new ModuleLoadException("LibraryNotFound", path,
                        $"The SPOCrossTenant native library for this platform ({RuntimeIdentifier}) is not in the module: expected '{path}'. " +
                        $"Install a package of the module built for {RuntimeIdentifier}, or set {OverrideVariable} to the full path of a " +
                        $"{NativeFileName} built for it. {BuildAdvice}");
                }
                return path;
            }
            string checkout = Path.GetDirectoryName(Path.GetFullPath(moduleRoot));
            path = null;
            foreach (string profile in new[] { "release", "debug" })
            {
                string candidate = Path.Combine(checkout, "target", profile, NativeFileName);
                if (File.Exists(candidate) && (path == null || File.GetLastWriteTimeUtc(candidate) > File.GetLastWriteTimeUtc(path))) path = candidate;
            }
            if (path == null)
            {
                throw new ModuleLoadException("LibraryNotFound", checkout,
                    $"The SPOCrossTenant native library for this platform ({RuntimeIdentifier}) was not found: this is the module's source " +
                    $"folder, which uses '{Path.Combine(checkout, "target", "release", NativeFileName)}' or the debug build next to it. " +
                    $"Run 'cargo build --release' in '{checkout}' (or './scripts/build-module.sh' for an installable module), " +
                    $"or set {OverrideVariable} to the full path of {NativeFileName}.");
            }
            return path;
        }

        /// <summary>Binds the library at <paramref name="path"/>, or throws a ModuleLoadException that says what to do.</summary>
        public static void BindLibrary(string path)
        {
            uint reported;
            try
            {
                reported = Native.Bind(path);
            }
            catch (InvalidOperationException e)
            {
                throw new ModuleLoadException("LibraryAlreadyLoaded", path, e.Message + " (Another import of SPOCrossTenant in this session bound it.)", e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new ModuleLoadException("AbiVersionMismatch", path,
                    $"'{path}' is not an SPOCrossTenant native library of ABI version {Native.AbiVersion}: it does not export spo_abi_version. " +
                    $"Expected the library for {RuntimeIdentifier} that ships with the module. {BuildAdvice}", e);
            }
            catch (Exception e) when (e is DllNotFoundException || e is BadImageFormatException || e is IOException)
            {
                throw new ModuleLoadException("LibraryLoadFailed", path,
                    $"The SPOCrossTenant native library '{path}' could not be loaded: {e.Message} " +
                    $"It may have been built for another platform than {RuntimeIdentifier}. {BuildAdvice}", e);
            }
            if (reported != Native.AbiVersion)
            {
                throw new ModuleLoadException("AbiVersionMismatch", path,
                    $"The SPOCrossTenant native library '{path}' speaks ABI version {reported}, but this module needs ABI version " +
                    $"{Native.AbiVersion} ({RuntimeIdentifier}). Use the library built from the same version as the module. {BuildAdvice}");
            }
        }

        /// <summary>
        /// True when an assembly of Microsoft's SharePoint module already declares one of <paramref name="enumNames"/>:
        /// then those types are reused and ours are not loaded (declaring them twice would make every
        /// script's [Microsoft.SharePoint.Client.Administration.X] ambiguous).
        /// </summary>
        public static bool MicrosoftEnumsLoaded(string[] enumNames)
        {
            foreach (string enumName in enumNames)
            {
                if (FindMicrosoftType(enumName) != null) return true;
            }
            return false;
        }

        /// <summary>The type of that name in an assembly of Microsoft's SharePoint module, or null.</summary>
        private static Type FindMicrosoftType(string fullName)
        {
            foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
            {
                string name = assembly.GetName().Name ?? "";
                if (!name.StartsWith("Microsoft.", StringComparison.Ordinal) || name.IndexOf("SharePoint", StringComparison.Ordinal) < 0) continue;
                Type type = assembly.GetType(fullName, false);
                if (type != null) return type;
            }
            return null;
        }

        /// <summary>
        /// Everything import does; returns the bound library's path. <paramref name="enumsAssembly"/> (the
        /// enums in Microsoft's namespaces) is loaded once per process unless Microsoft's module declared
        /// those enums; <paramref name="ownEnumsAssembly"/> (the module's own enums, e.g.
        /// SPOCrossTenant.CompatibilityStatus) once per process in any case. Null skips either (the source
        /// tree compiles them itself; PowerShell passes $null as "", which counts as null). <paramref name="executionContext"/> is the script module's
        /// $ExecutionContext at its top level, whose current command is the Import-Module running it:
        /// the verbose line goes through that command, so Import-Module -Verbose shows it.
        /// </summary>
        public static string Initialize(string moduleRoot, object executionContext, string currentDirectory, string[] enumNames,
            string enumsAssembly, string ownEnumsAssembly)
        {
            string path = FindLibrary(moduleRoot, currentDirectory);
            BindLibrary(path);
            WriteImportVerbose(executionContext, $"SPOCrossTenant: native library '{path}' ({RuntimeIdentifier}, ABI version {Native.AbiVersion}).");
            lock (EnumLock)
            {
                if (EnumsLoaded) return path;
                if (!string.IsNullOrEmpty(enumsAssembly))
                {
                    if (enumNames != null && MicrosoftEnumsLoaded(enumNames))
                    {
                        string[] missing = Array.FindAll(enumNames, name => FindMicrosoftType(name) == null);
                        WriteImportVerbose(executionContext, "SPOCrossTenant: using the enums Microsoft's SharePoint module loaded" + (missing.Length == 0 ? "." :
                            $"; it lacks {string.Join(", ", missing)}, so commands whose parameters use those types cannot run in this session " +
                            "(import SPOCrossTenant before Microsoft's module, or in another session, to use its own)."));
                    }
                    else
                    {
                        LoadPackaged(enumsAssembly);
                    }
                }
                if (!string.IsNullOrEmpty(ownEnumsAssembly)) LoadPackaged(ownEnumsAssembly);
                EnumsLoaded = !string.IsNullOrEmpty(enumsAssembly) || !string.IsNullOrEmpty(ownEnumsAssembly);
            }
            return path;
        }

        private static readonly object EnumLock = new object();

        private static void LoadPackaged(string assembly)
        {
            if (!File.Exists(assembly))
            {
                throw new ModuleLoadException("BindingNotFound", assembly,
                    $"'{assembly}' is missing: this copy of SPOCrossTenant is incomplete. Reinstall the module " +
                    $"(Install-PSResource SPOCrossTenant -Reinstall). {BuildAdvice}");
            }
            Assembly.LoadFrom(assembly);
        }

        /// <summary>True once the enums are available in this process (ours loaded, or Microsoft's found).</summary>
        public static bool EnumsLoaded { get; set; }

        /// <summary>
        /// Write-Verbose from a script module never shows, even under Import-Module -Verbose: the module's
        /// scope does not see the caller's preference. So the message goes to the Import-Module command
        /// that runs the import (found by reflection; PowerShell has no public way), whose own -Verbose and
        /// $VerbosePreference decide, as for its own messages. Silently does nothing when not found.
        /// </summary>
        public static void WriteImportVerbose(object executionContext, string message)
        {
            try
            {
                const BindingFlags Flags = BindingFlags.NonPublic | BindingFlags.Instance;
                object context = executionContext?.GetType().GetField("_context", Flags)?.GetValue(executionContext);
                object processor = context?.GetType().GetProperty("CurrentCommandProcessor", Flags)?.GetValue(context);
                object command = processor?.GetType().GetProperty("Command", Flags)?.GetValue(processor);
                if (command == null || command.GetType().Name != "ImportModuleCommand") return;
                command.GetType().GetMethod("WriteVerbose", new[] { typeof(string) })?.Invoke(command, new object[] { message });
            }
            catch (Exception)
            {
                // Verbose output is a courtesy; never fail an import over it.
            }
        }
    }
}
