using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// An absolute <c>http</c> or <c>https</c> URL of at most <paramref name="maxLength"/> characters, without spaces or
/// control characters inside (surrounding spaces are trimmed by whoever uses it). Null and blank pass: the field is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute(int maxLength) : ValidationAttribute("{0} must be an http(s) URL")
{
    public int MaxLength { get; } = maxLength;

    public override bool IsValid(object? value)
    {
        if (value is not string text || string.IsNullOrWhiteSpace(text))
        {
            return value is null or string;
        }

        var url = text.Trim();
        return url.Length <= MaxLength
            && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            && Uri.TryCreate(url, UriKind.Absolute, out var parsed)
            && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp);
    }
}
