// Writing one file of a -ReportPath (the HTML page, the CSV beside it) in one rename: the text goes
// into a temporary file beside it, which then replaces the file, so a browser reloading the page or
// Excel opening the CSV never reads half a file. While another program holds the file (a browser
// reading it, a virus scan) the rename is tried again for a moment. A failure leaves no temporary
// file behind and comes back as a sentence, not an exception: a PowerShell function that catches an
// exception still hands it to the caller's -ErrorVariable, and a report that was not written is
// one error (or one warning) for the admin, not one per attempt.
using System;
using System.IO;
using System.Text;
using System.Threading;

namespace SPOCrossTenant
{
    public static class ReportFile
    {
        /// <summary>How many times the rename is tried, 50 ms more apart each time (50, 100, 150 ms).</summary>
        public const int RenameAttempts = 4;

        /// <summary>Writes <paramref name="text"/> (UTF-8, with a byte order mark when asked: Excel reads a CSV by it) to <paramref name="path"/>; null when it was written, else why not, naming the file.</summary>
        public static string Save(string path, string text, bool byteOrderMark)
        {
            string temporary = path + "." + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".tmp";
            try
            {
                File.WriteAllText(temporary, text, new UTF8Encoding(byteOrderMark));
                for (int attempt = 1; ; attempt++)
                {
                    try
                    {
                        File.Move(temporary, path, true);
                        return null;
                    }
                    catch (Exception e) when ((e is IOException || e is UnauthorizedAccessException) && attempt < RenameAttempts)
                    {
                        Thread.Sleep(50 * attempt);
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException || e is ArgumentException)
            {
                return Path.GetFileName(path) + " could not be written: " + e.Message;
            }
            finally
            {
                try
                {
                    if (File.Exists(temporary)) File.Delete(temporary);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    // Left behind only when even deleting fails; the next write replaces it.
                }
            }
        }
    }
}
