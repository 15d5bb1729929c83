using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// HTTP headers to send: at most <see cref="MaxCount"/>, each name an HTTP token (letters, digits and
/// <c>!#$%&amp;'*+-.^_`|~</c>, each name once whatever its case), each value at most <see cref="MaxValueLength"/>
/// characters without line breaks or other control characters. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HeaderMapAttribute() : ValidationAttribute("{0} must be an object of at most 16 HTTP headers")
{
    public const int MaxCount = 16;
    public const int MaxNameLength = 100;
    public const int MaxValueLength = 4096;

    public override bool IsValid(object? value) =>
        value is null
        || (value is IReadOnlyDictionary<string, string?> headers
            && headers.Count <= MaxCount
            && headers.All(h => IsName(h.Key) && h.Value is { Length: <= MaxValueLength } v && !v.Any(c => char.IsControl(c) && c != '\t'))
            && headers.Keys.Distinct(StringComparer.OrdinalIgnoreCase).Count() == headers.Count);

    private static bool IsName(string name) =>
        name.Length is >= 1 and <= MaxNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c));
}
