// The hot path of one command that talks to the tenant, in one call from PowerShell: the caller's
// preferences, the argument text, ShouldProcess, the -Verbose line and the native call. Each call
// from script into .NET costs more than the work it does, so these steps, which every request
// takes, run here together; Invoke-SpoTenantMethod (module/Private/Pipeline) keeps the rest (waiting
// for long operations, the output, the ErrorRecord), which only some requests need. Move batches
// keep several calls in flight: they wait on each (Wait) in input order, and cancel what is left
// on Ctrl+C (Cancel).
using System;
using System.Collections;

namespace SPOCrossTenant
{
    public sealed class TenantCall
    {
        /// <summary>The engine's record (the final one once finished), or null when nothing was sent (declined or refused).</summary>
        public NativeResult Result;
        /// <summary>The request finished and succeeded; its -Debug and -Verbose lines are written.</summary>
        public bool Succeeded;
        /// <summary>Finish has taken the final record (and written its -Debug and -Verbose lines).</summary>
        public bool Done;
        /// <summary>The operation still running after the first wait, or IntPtr.Zero.</summary>
        public IntPtr Operation;
        /// <summary>What the request is about (CallArguments.Target).</summary>
        public object Target;
        /// <summary>ShouldProcess said no (-WhatIf, or a declined confirmation): nothing was sent.</summary>
        public bool Declined;
        /// <summary>An argument that cannot be sent (see CallArguments), else null: nothing was sent.</summary>
        public string RefusedParameter;
        public object RefusedValue;
        /// <summary>The command's input came from the pipeline ($PSCmdlet.MyInvocation.ExpectingInput).</summary>
        public bool FromPipeline;
        public bool Verbose;
        public bool Debug;
        private object cmdlet;
        private string method;

        /// <summary>
        /// Sends <paramref name="method"/> with <paramref name="arguments"/> over <paramref name="connection"/>
        /// for the command <paramref name="cmdlet"/> ($PSCmdlet), after copying its caller's preferences
        /// into <paramref name="scope"/> (the calling function's $ExecutionContext.SessionState).
        /// <paramref name="spec"/> is the method's row of $script:SpoTenantMethods (Changes: asks
        /// ShouldProcess first; Rest: for the -Verbose line). Waits up to <paramref name="waitMs"/>.
        /// </summary>
        public static TenantCall Send(object cmdlet, object scope, string method, IDictionary spec, TenantConnection connection,
            IDictionary arguments, uint waitMs)
        {
            Preferences preferences = CallerPreference.Copy(cmdlet, scope);
            var call = new TenantCall
            {
                cmdlet = cmdlet,
                method = method,
                Verbose = preferences.Verbose,
                Debug = preferences.Debug,
                FromPipeline = (bool)PowerShellObjects.Get(PowerShellObjects.Get(cmdlet, "MyInvocation"), "ExpectingInput"),
            };
            CallArguments parts = CallArguments.Convert(arguments, connection.AdminUrl);
            call.Target = parts.Target;
            if (parts.Text == null)
            {
                call.RefusedParameter = parts.RefusedParameter;
                call.RefusedValue = parts.RefusedValue;
                return call;
            }
            bool changes = spec?["Changes"] is true;
            // The readable call is built only when someone will read it: -Verbose, -WhatIf, or a
            // confirmation prompt (ConfirmImpact Medium prompts when $ConfirmPreference is Medium or Low).
            string shown = method;
            if (preferences.Verbose || (changes && (preferences.WhatIf || preferences.ConfirmsMedium)))
            {
                shown = CallArguments.Format(method, arguments);
            }
            if (changes && !(bool)PowerShellObjects.Call(cmdlet, "ShouldProcess", PowerShellObjects.ToText(parts.Target), $"Send {shown} to {connection.AdminUrl}"))
            {
                call.Declined = true;
                return call;
            }
            if (preferences.Verbose)
            {
                PowerShellObjects.Call(cmdlet, "WriteVerbose", $"Sending {shown} to {Destination(spec, connection)}.");
            }
            call.Result = NativeResult.Call(connection.Handle, Native.CommandBytes(method), parts.Text, waitMs, out call.Operation);
            // Most requests finish within the first wait; the others are waited for by the caller,
            // which then hands the final record to Finish.
            if (call.Operation == IntPtr.Zero && call.Result.Progress.Length == 0) call.Finish(call.Result);
            return call;
        }

        /// <summary>The final record is known (Result is final): the request succeeded or failed.</summary>
        public bool Finished => Result != null && !Result.Pending;

        /// <summary>
        /// Waits up to <paramref name="waitMs"/> (0: only asks) for a request that outlived its first
        /// wait, and returns the record: Pending (with the progress lines since the last one), or
        /// the final one, which then becomes Result, and the operation is freed. Finish still has to
        /// be called with it. Move batches wait on several requests this way, in input order.
        /// </summary>
        public NativeResult Wait(uint waitMs)
        {
            if (Operation == IntPtr.Zero) return Result;
            Native.spo_operation_wait(Operation, waitMs, out IntPtr record);
            NativeResult result = NativeResult.Take(record);
            if (result != null && !result.Pending)
            {
                Native.spo_operation_free(Operation);
                Operation = IntPtr.Zero;
                Result = result;
            }
            return result;
        }

        /// <summary>Cancels and frees a request still running (Ctrl+C, a stopped pipeline); safe to call twice.</summary>
        public void Cancel()
        {
            if (Operation == IntPtr.Zero) return;
            Native.spo_operation_cancel(Operation);
            Native.spo_operation_free(Operation);
            Operation = IntPtr.Zero;
        }

        /// <summary>Takes <paramref name="result"/> as the final record and writes its -Debug and -Verbose lines.</summary>
        public void Finish(NativeResult result)
        {
            Result = result;
            Succeeded = result.Succeeded;
            Done = true;
            if (Debug)
            {
                PowerShellObjects.Call(cmdlet, "WriteDebug",
                    $"{method} finished: status {result.Status}, sent {result.Sent}, HTTP {result.HttpStatus}; value '{result.Value}'.");
            }
            if (!Verbose) return;
            // Piped rows overlap, so their lines name the row's target.
            string what = FromPipeline ? $"{method} for {PowerShellObjects.ToText(Target)}" : method;
            if (result.Succeeded)
            {
                string correlation = result.CorrelationId.Length > 0 ? result.CorrelationId : "(none)";
                PowerShellObjects.Call(cmdlet, "WriteVerbose", $"{what} succeeded; TraceCorrelationId {correlation}.");
            }
            else if (result.CorrelationId.Length > 0)
            {
                PowerShellObjects.Call(cmdlet, "WriteVerbose", $"{what} failed; TraceCorrelationId {result.CorrelationId}.");
            }
        }

        /// <summary>Where a request goes, as -Verbose says it.</summary>
        public static string Destination(IDictionary spec, TenantConnection connection) =>
            spec?["Rest"] is true ? $"the SharePoint REST API of {connection.AdminUrl}" : connection.ProcessQueryUrl;
    }
}
