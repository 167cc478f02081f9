// The engine's JSON records (move states, identity map entries: one object, or an array of them)
// read into one ordered dictionary per record, in C#: a wave has thousands of moves, and read field
// by field in script, 4,000 states took five seconds, here a few milliseconds. Text stays text:
// ConvertFrom-Json would turn a name that looks like a date into a DateTime (and -DateKind String
// exists only from PowerShell 7.5). The fields and how each is read come from the module (e.g.
// Private/Output/ContentMoveState.ps1, the one list); the module turns each dictionary into its
// object with [pscustomobject].
using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;

namespace SPOCrossTenant
{
    public static class JsonRecordReader
    {
        /// <summary>
        /// One dictionary per record: PSTypeName = <paramref name="typeName"/>, then each of
        /// <paramref name="fields"/> (name -> Text, Guid, Int, Bool or Date) read from the JSON
        /// (absent or null: $false for Bool, else null; dates in UTC), then TraceCorrelationId.
        /// </summary>
        public static OrderedDictionary[] Read(string json, OrderedDictionary fields, string typeName, string correlationId)
        {
            if (string.IsNullOrWhiteSpace(json)) return Array.Empty<OrderedDictionary>();
            var names = new string[fields.Count];
            var kinds = new string[fields.Count];
            int count = 0;
            foreach (System.Collections.DictionaryEntry entry in fields)
            {
                names[count] = (string)entry.Key;
                kinds[count] = (string)PowerShellObjects.Unwrap(entry.Value);
                count++;
            }
            using var document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            var records = new List<OrderedDictionary>(root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 1);
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement element in root.EnumerateArray()) records.Add(ReadOne(element, names, kinds, typeName, correlationId));
            }
            else
            {
                records.Add(ReadOne(root, names, kinds, typeName, correlationId));
            }
            return records.ToArray();
        }

        private static OrderedDictionary ReadOne(JsonElement element, string[] names, string[] kinds, string typeName, string correlationId)
        {
            var record = new OrderedDictionary(names.Length + 2, StringComparer.OrdinalIgnoreCase) { { "PSTypeName", typeName } };
            for (int index = 0; index < names.Length; index++)
            {
                string kind = kinds[index];
                if (!element.TryGetProperty(names[index], out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                {
                    record[names[index]] = kind == "Bool" ? false : null;
                    continue;
                }
                record[names[index]] = kind switch
                {
                    "Text" => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
                    "Guid" => Guid.Parse(value.GetString()),
                    "Int" => value.GetInt32(),
                    "Bool" => value.GetBoolean(),
                    "Date" => DateTime.Parse(value.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    _ => throw new ArgumentException($"'{kind}' is not a kind of record field (Text, Guid, Int, Bool, Date).", nameof(kinds)),
                };
            }
            record["TraceCorrelationId"] = correlationId;
            return record;
        }
    }
}
