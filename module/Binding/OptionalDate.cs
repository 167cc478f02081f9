// [SPOCrossTenant.OptionalDate()] on a [datetime] parameter: a blank or null value means "not
// given". Without it, a CSV row with an empty PreferredMoveBeginDate cell, or an object whose
// PreferredMoveEndDate is $null, stops the row with 'Cannot convert null to type "System.DateTime"'
// before the command runs. The value becomes DateTime.MinValue, which is how CSOM itself says "no
// date" (CallArguments.ToText sends it as not given); the parameter keeps its type, DateTime, as in
// Microsoft's module.
//
// PowerShell calls Transform of an ArgumentTransformationAttribute, so this is the one type of the
// binding compiled against PowerShell itself: against PowerShell Standard's reference assemblies
// (System.Management.Automation 3.0, the PowerShellStandard.Library package, a build-time reference
// only), which every PowerShell 7 satisfies, so the binding still loads in PowerShell 7.4. Compiled
// in, the attribute costs nothing at import (it used to be emitted with Reflection.Emit there).
using System;
using System.Management.Automation;

namespace SPOCrossTenant
{
    public sealed class OptionalDateAttribute : ArgumentTransformationAttribute
    {
        /// <summary>DateTime.MinValue for null, an empty or all-blank string (PSObject-wrapped or not); else the value itself.</summary>
        public static object Blank(object value)
        {
            object bare = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (bare == null || bare is DBNull || (bare is string text && string.IsNullOrWhiteSpace(text))) return DateTime.MinValue;
            return value;
        }

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData) => Blank(inputData);
    }
}
