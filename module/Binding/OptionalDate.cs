// [SPOCrossTenant.OptionalDate()] on a [datetime] parameter: a blank or null value means "not
// given". Without it, a CSV row with an empty PreferredMoveBeginDate cell, or a move state object
// whose PreferredMoveEndDate is $null, stops the row with 'Cannot convert null to type
// "System.DateTime"' before the command runs. The value becomes DateTime.MinValue, which is how
// CSOM itself says "no date" (CallArguments.ToText sends it as not given); the parameter keeps its
// type, DateTime, as in Microsoft's module.
//
// The attribute must derive from PowerShell's ArgumentTransformationAttribute, and the binding is
// built without a System.Management.Automation reference (see PowerShellObjects.cs). So the type is
// emitted at import (ModuleLoader.Initialize), once per process: a sealed subclass whose Transform
// calls Blank below. PowerShell finds attribute types in dynamic assemblies like in any other.
using System;
using System.Reflection;
using System.Reflection.Emit;

namespace SPOCrossTenant
{
    public static class OptionalDate
    {
        /// <summary>The full name PowerShell resolves [SPOCrossTenant.OptionalDate()] to.</summary>
        public const string AttributeTypeName = "SPOCrossTenant.OptionalDateAttribute";

        private static readonly object DefineLock = new object();
        private static Type attributeType;

        /// <summary>DateTime.MinValue for null, an empty or all-blank string (PSObject-wrapped or not); else the value itself.</summary>
        public static object Blank(object value)
        {
            object bare = PowerShellObjects.Unwrap(value);
            if (bare == null || bare is DBNull || (bare is string text && string.IsNullOrWhiteSpace(text))) return DateTime.MinValue;
            return value;
        }

        /// <summary>Defines the attribute type unless this process already has it (another copy of the module may have defined it).</summary>
        public static Type Define()
        {
            lock (DefineLock)
            {
                if (attributeType != null) return attributeType;
                foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
                {
                    Type existing = assembly.IsDynamic ? assembly.GetType(AttributeTypeName) : null;
                    if (existing != null) return attributeType = existing;
                }
                Type baseType = Type.GetType("System.Management.Automation.ArgumentTransformationAttribute, System.Management.Automation", throwOnError: true);
                Type engine = Type.GetType("System.Management.Automation.EngineIntrinsics, System.Management.Automation", throwOnError: true);
                MethodInfo transform = baseType.GetMethod("Transform", new[] { engine, typeof(object) });
                var assemblyBuilder = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("SPOCrossTenant.Attributes"), AssemblyBuilderAccess.Run);
                ModuleBuilder module = assemblyBuilder.DefineDynamicModule("SPOCrossTenant.Attributes");
                TypeBuilder type = module.DefineType(AttributeTypeName, TypeAttributes.Public | TypeAttributes.Sealed | TypeAttributes.Class, baseType);
                type.DefineDefaultConstructor(MethodAttributes.Public);
                MethodBuilder method = type.DefineMethod("Transform", MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig,
                    typeof(object), new[] { engine, typeof(object) });
                ILGenerator il = method.GetILGenerator();
                il.Emit(OpCodes.Ldarg_2);
                il.Emit(OpCodes.Call, typeof(OptionalDate).GetMethod(nameof(Blank)));
                il.Emit(OpCodes.Ret);
                type.DefineMethodOverride(method, transform);
                return attributeType = type.CreateType();
            }
        }
    }
}
