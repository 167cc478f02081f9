// PowerShell's own objects (a command's $PSCmdlet, a SessionState, PSObject, SwitchParameter),
// reached late-bound. The binding is compiled for .NET 8 so that it loads in PowerShell 7.4 and
// later; its only compile-time view of PowerShell is PowerShell Standard's reference assemblies
// (for OptionalDate.cs), which lack much of what PowerShell 7 has. The members used here are public
// and the same in every PowerShell 7. Each member is looked up once per type
// and then invoked through reflection, which costs well under a microsecond a call.
using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;

namespace SPOCrossTenant
{
    internal static class PowerShellObjects
    {
        private static readonly ConcurrentDictionary<(Type, string), PropertyInfo> Properties = new();
        private static readonly ConcurrentDictionary<(Type, string, int), MethodInfo> Methods = new();
        private static MethodInfo convertTo;

        /// <summary>The value of the public instance property <paramref name="name"/> of <paramref name="target"/>.</summary>
        public static object Get(object target, string name)
        {
            var property = Properties.GetOrAdd((target.GetType(), name), key =>
                key.Item1.GetProperty(key.Item2, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new MissingMemberException(key.Item1.FullName, key.Item2));
            return property.GetValue(target);
        }

        /// <summary>Calls the public instance method <paramref name="name"/> of <paramref name="target"/>.</summary>
        public static object Call(object target, string name, params object[] arguments)
        {
            var method = Methods.GetOrAdd((target.GetType(), name, arguments.Length), key => FindMethod(key.Item1, key.Item2, key.Item3));
            // Unwrapped, so the caller sees PowerShell's own exception (PipelineStoppedException, ActionPreferenceStopException, ...).
            return method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        }

        private static MethodInfo FindMethod(Type type, string name, int count)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
            {
                if (method.Name != name) continue;
                var parameters = method.GetParameters();
                if (parameters.Length == count && Array.TrueForAll(parameters, p => p.ParameterType == typeof(string) || p.ParameterType == typeof(object)))
                {
                    return method;
                }
            }
            throw new MissingMethodException(type.FullName, name);
        }

        /// <summary>A PSObject's base object; any other value as it is.</summary>
        public static object Unwrap(object value) =>
            value != null && value.GetType().FullName == "System.Management.Automation.PSObject" ? Get(value, "BaseObject") : value;

        /// <summary>A SwitchParameter's IsPresent, a bool as it is; null for anything else.</summary>
        public static bool? AsSwitch(object value) => value switch
        {
            bool flag => flag,
            _ when value != null && value.GetType().FullName == "System.Management.Automation.SwitchParameter" => (bool)Get(value, "IsPresent"),
            _ => null,
        };

        private static readonly Lazy<(Type Record, Type Category, Type Details)> ErrorTypes = new(() => (
            Type.GetType("System.Management.Automation.ErrorRecord, System.Management.Automation", true),
            Type.GetType("System.Management.Automation.ErrorCategory, System.Management.Automation", true),
            Type.GetType("System.Management.Automation.ErrorDetails, System.Management.Automation", true)));

        /// <summary>
        /// A new ErrorRecord (<paramref name="category"/> is an ErrorCategory name); with
        /// <paramref name="recommendedAction"/>, its ErrorDetails say <paramref name="message"/> and that action.
        /// </summary>
        public static object NewErrorRecord(Exception exception, string errorId, string category, object target,
            string message = null, string recommendedAction = null)
        {
            var (recordType, categoryType, detailsType) = ErrorTypes.Value;
            object record = Activator.CreateInstance(recordType, exception, errorId, Enum.Parse(categoryType, category), target);
            if (recommendedAction != null)
            {
                object details = Activator.CreateInstance(detailsType, message ?? exception.Message);
                detailsType.GetProperty("RecommendedAction").SetValue(details, recommendedAction);
                recordType.GetProperty("ErrorDetails").SetValue(record, details);
            }
            return record;
        }

        /// <summary>PowerShell's own conversion to text ([string]$value): invariant culture, arrays joined by $OFS.</summary>
        public static string ToText(object value)
        {
            if (value == null) return "";
            if (value is string text) return text;
            convertTo ??= Type.GetType("System.Management.Automation.LanguagePrimitives, System.Management.Automation", true)
                .GetMethod("ConvertTo", new[] { typeof(object), typeof(Type), typeof(IFormatProvider) });
            return (string)convertTo.Invoke(null, BindingFlags.DoNotWrapExceptions, null, new[] { value, typeof(string), CultureInfo.InvariantCulture }, null);
        }
    }
}
