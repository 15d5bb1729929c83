using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A content type such as <c>image/png</c> (parameters after <c>;</c> are allowed and ignored). Null passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MediaTypeAttribute() : ValidationAttribute("{0} must be a content type such as image/png")
{
    public override bool IsValid(object? value) => value is null || (value is string text && Essence(text) is not null);

    /// <summary>The type and subtype, lower-cased, without parameters; null when <paramref name="text"/> is not a content type.</summary>
    public static string? Essence(string? text)
    {
        var type = text?.Split(';')[0].Trim().ToLowerInvariant();
        return !string.IsNullOrEmpty(type) && MediaTypeHeaderValue.TryParse(type, out var parsed)
            && parsed.MediaType?.Split('/') is [{ Length: > 0 }, { Length: > 0 }]
            ? type
            : null;
    }
}
