// Honouring the caller's preference variables. A function in a script module reads them from the
// module's scope chain (which ends in the global scope), not from its caller: a script that sets
// $ErrorActionPreference = 'Stop' or $WhatIfPreference = $true in its own scope would be ignored,
// unlike with compiled cmdlets (PowerShell issue #4568). So each command copies the caller's
// values into its own scope, unless the matching common parameter was given; $PSCmdlet.WriteError,
// WriteVerbose and ShouldProcess then find them there.
using System.Collections.Generic;

namespace SPOCrossTenant
{
    /// <summary>The preferences in effect for one command, after the copy.</summary>
    public sealed class Preferences
    {
        public bool Verbose;
        public bool Debug;
        public bool WhatIf;
        /// <summary>True when $ConfirmPreference asks before a Medium-impact change (Medium or Low).</summary>
        public bool ConfirmsMedium;
    }

    public static class CallerPreference
    {
        // Common parameter, and the preference variable it overrides.
        private static readonly (string Parameter, string Variable)[] Pairs =
        {
            ("ErrorAction", "ErrorActionPreference"), ("WarningAction", "WarningPreference"), ("Verbose", "VerbosePreference"),
            ("Debug", "DebugPreference"), ("WhatIf", "WhatIfPreference"), ("Confirm", "ConfirmPreference"),
        };

        /// <summary>
        /// Copies the preferences of <paramref name="cmdlet"/>'s caller ($PSCmdlet.SessionState) into
        /// <paramref name="scope"/> ($ExecutionContext.SessionState of the function calling this, whose
        /// current scope receives them), and returns the ones in effect there.
        /// </summary>
        public static Preferences Copy(object cmdlet, object scope)
        {
            var bound = (IDictionary<string, object>)PowerShellObjects.Get(PowerShellObjects.Get(cmdlet, "MyInvocation"), "BoundParameters");
            object callerVariables = PowerShellObjects.Get(PowerShellObjects.Get(cmdlet, "SessionState"), "PSVariable");
            object variables = PowerShellObjects.Get(scope, "PSVariable");
            foreach (var (parameter, variable) in Pairs)
            {
                if (!bound.ContainsKey(parameter))
                {
                    PowerShellObjects.Call(variables, "Set", variable, PowerShellObjects.Call(callerVariables, "GetValue", variable));
                }
            }
            string confirm = PowerShellObjects.Call(variables, "GetValue", "ConfirmPreference")?.ToString();
            return new Preferences
            {
                Verbose = Shows(PowerShellObjects.Call(variables, "GetValue", "VerbosePreference")),
                Debug = Shows(PowerShellObjects.Call(variables, "GetValue", "DebugPreference")),
                WhatIf = PowerShellObjects.AsSwitch(PowerShellObjects.Unwrap(PowerShellObjects.Call(variables, "GetValue", "WhatIfPreference"))) ?? false,
                ConfirmsMedium = string.Equals(confirm, "Medium", System.StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(confirm, "Low", System.StringComparison.OrdinalIgnoreCase),
            };
        }

        // A stream is written unless its preference is SilentlyContinue or Ignore.
        private static bool Shows(object preference)
        {
            string name = preference?.ToString();
            return !string.Equals(name, "SilentlyContinue", System.StringComparison.OrdinalIgnoreCase) &&
                !string.Equals(name, "Ignore", System.StringComparison.OrdinalIgnoreCase);
        }
    }
}
