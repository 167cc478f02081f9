// A command's arguments as the engine takes them: text in the server method's order (enums by
// name, dates as UTC ISO-8601, switches as true/false, $null as ""), what the request is about
// (for ShouldProcess and error records), and the one refusal made here: text with a NUL, which the
// engine's NUL-terminated strings would cut short unseen. Every other rule is the engine's.
using System;
using System.Collections;
using System.Globalization;
using System.Text;

namespace SPOCrossTenant
{
    public sealed class CallArguments
    {
        /// <summary>The argument text, or null when an argument was refused.</summary>
        public string[] Text;
        /// <summary>The first argument that names what the request is about, else the admin site.</summary>
        public object Target;
        /// <summary>The parameter whose value cannot be sent, or null.</summary>
        public string RefusedParameter;
        public object RefusedValue;

        /// <summary><paramref name="arguments"/> (name -> value, in the server method's order) as text.</summary>
        public static CallArguments Convert(IDictionary arguments, string adminUrl)
        {
            var parts = new CallArguments { Target = adminUrl };
            foreach (DictionaryEntry entry in arguments)
            {
                if (NamesTarget((string)entry.Key)) { parts.Target = entry.Value; break; }
            }
            var text = new string[arguments.Count];
            int index = 0;
            foreach (DictionaryEntry entry in arguments)
            {
                string value = ToText(entry.Value);
                if (value.IndexOf('\0') >= 0)
                {
                    parts.RefusedParameter = (string)entry.Key;
                    parts.RefusedValue = entry.Value;
                    return parts;
                }
                text[index++] = value;
            }
            parts.Text = text;
            return parts;
        }

        // A source key (not the source tenant's id, which every identity map entry shares), the
        // partner, the identity map file, the value an identity map entry is looked up by, or the
        // site being renamed.
        private static bool NamesTarget(string name) =>
            (name.StartsWith("Source", StringComparison.OrdinalIgnoreCase) &&
                !name.Equals("SourceTenantCompanyId", StringComparison.OrdinalIgnoreCase)) ||
            name.Equals("PartnerCrossTenantHostUrl", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("IdentityMapPath", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("Value", StringComparison.OrdinalIgnoreCase) ||
            name.Equals("OldSiteUrl", StringComparison.OrdinalIgnoreCase);

        /// <summary>One argument as the engine takes it.</summary>
        public static string ToText(object value)
        {
            value = PowerShellObjects.Unwrap(value);
            switch (value)
            {
                case null: return "";
                case string text: return text;
                case Enum name: return name.ToString();
                case DateTime date when date == DateTime.MinValue:
                    // CSOM's "no date": what [SPOCrossTenant.OptionalDate()] makes of a blank value.
                    return "";
                case DateTime date:
                    // A date without a kind is taken as UTC already (the migration commands document
                    // their dates as UTC); a local one is converted.
                    var utc = date.Kind == DateTimeKind.Local ? date.ToUniversalTime() : DateTime.SpecifyKind(date, DateTimeKind.Utc);
                    return utc.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            }
            bool? flag = PowerShellObjects.AsSwitch(value);
            if (flag.HasValue) return flag.Value ? "true" : "false";
            return PowerShellObjects.ToText(value);
        }

        /// <summary>"Method(Name='text', Name=value)", for -Verbose and ShouldProcess.</summary>
        public static string Format(string method, IDictionary arguments)
        {
            var call = new StringBuilder(method).Append('(');
            bool first = true;
            foreach (DictionaryEntry entry in arguments)
            {
                if (!first) call.Append(", ");
                first = false;
                object value = PowerShellObjects.Unwrap(entry.Value);
                if (value is DateTime date && date == DateTime.MinValue) value = null;   // not given
                call.Append(entry.Key).Append('=');
                if (value is string text) call.Append('\'').Append(text).Append('\'');
                else call.Append(PowerShellObjects.ToText(value));
            }
            return call.Append(')').ToString();
        }
    }
}
