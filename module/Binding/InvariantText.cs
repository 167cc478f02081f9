// Numbers and dates as the module writes them for people, in files (the HTML and CSV reports, their
// SVG charts) and in its format views: the same in every culture. .NET formats in the session's
// culture by default, and PowerShell's -f does too: de-DE writes 137,7 (an SVG attribute Chromium
// refuses, so a bar vanishes), th-TH counts years in the Buddhist calendar (2569-...), fi-FI writes
// 14.05.06 for a time. The invariant culture writes a dot and the Gregorian calendar with colons,
// which is what the ISO-like forms below promise. Static, so that a format view (which cannot call
// the module's functions) and a loop over 12,000 rows reach it at the cost of a method call.
using System;
using System.Globalization;

namespace SPOCrossTenant
{
    public static class InvariantText
    {
        /// <summary>How the module writes a date and time (UTC, to the second).</summary>
        public const string DateFormat = "yyyy-MM-dd HH:mm:ss";

        /// <summary>string.Format in the invariant culture: the -f of text written out.</summary>
        public static string Format(string format, params object[] arguments) => string.Format(CultureInfo.InvariantCulture, format, arguments);

        /// <summary>A date as 2026-12-07 14:05:06.</summary>
        public static string Date(DateTime value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

        /// <summary>A date in another .NET format, e.g. yyyy-MM-dd HH:mm.</summary>
        public static string Date(DateTime value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
    }
}
