using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// A JSON Schema of an object, as a model's function parameters must be: a JSON object whose <c>type</c> is
/// <c>"object"</c>, of at most <paramref name="maxLength"/> characters of JSON, whose strings PostgreSQL can hold.
/// Null passes (pair it with <see cref="RequiredAttribute"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class JsonObjectSchemaAttribute(int maxLength) : ValidationAttribute("{0} must be a JSON Schema whose type is \"object\"")
{
    public override bool IsValid(object? value) =>
        value switch
        {
            null => true,
            JsonElement schema => schema.ValueKind == JsonValueKind.Object
                && schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("object")
                && schema.GetRawText().Length <= maxLength
                && IsStorable(schema),
            _ => false,
        };

    private static bool IsStorable(JsonElement element)
    {
        try
        {
            return element.ValueKind switch
            {
                JsonValueKind.Object => element.EnumerateObject().All(p => TextInput.IsStorable(p.Name) && IsStorable(p.Value)),
                JsonValueKind.Array => element.EnumerateArray().All(IsStorable),
                JsonValueKind.String => TextInput.IsStorable(element.GetString()),
                _ => true,
            };
        }
        catch (InvalidOperationException)
        {
            // A string the reader cannot turn into text (a lone surrogate escape).
            return false;
        }
    }
}
