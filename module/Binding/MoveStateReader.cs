// The engine's normalized move state JSON (one object, or an array of them) read into one ordered
// dictionary per move, in C# because a wave has thousands of moves: read field by field in script,
// 4,000 states took five seconds, here a few milliseconds. The fields and how each is read come
// from the module (Private/Output/ContentMoveState.ps1, the one list); the module turns each
// dictionary into its SPOCrossTenant.ContentMoveState object with [pscustomobject].
using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;

namespace SPOCrossTenant
{
    public static class MoveStateReader
    {
        /// <summary>
        /// One dictionary per state: PSTypeName = <paramref name="typeName"/>, then each of
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
            var states = new List<OrderedDictionary>(root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 1);
            if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement element in root.EnumerateArray()) states.Add(ReadOne(element, names, kinds, typeName, correlationId));
            }
            else
            {
                states.Add(ReadOne(root, names, kinds, typeName, correlationId));
            }
            return states.ToArray();
        }

        private static OrderedDictionary ReadOne(JsonElement element, string[] names, string[] kinds, string typeName, string correlationId)
        {
            var state = new OrderedDictionary(names.Length + 2, StringComparer.OrdinalIgnoreCase) { { "PSTypeName", typeName } };
            for (int index = 0; index < names.Length; index++)
            {
                string kind = kinds[index];
                if (!element.TryGetProperty(names[index], out JsonElement value) || value.ValueKind == JsonValueKind.Null)
                {
                    state[names[index]] = kind == "Bool" ? false : null;
                    continue;
                }
                state[names[index]] = kind switch
                {
                    "Text" => value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(),
                    "Guid" => Guid.Parse(value.GetString()),
                    "Int" => value.GetInt32(),
                    "Bool" => value.GetBoolean(),
                    "Date" => DateTime.Parse(value.GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                    _ => throw new ArgumentException($"'{kind}' is not a kind of move state field (Text, Guid, Int, Bool, Date).", nameof(kinds)),
                };
            }
            state["TraceCorrelationId"] = correlationId;
            return state;
        }
    }
}
