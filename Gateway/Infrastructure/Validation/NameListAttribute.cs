using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// Up to <see cref="MaxCount"/> distinct names of 1 to <see cref="MaxLength"/> ASCII letters, digits or underscores
/// (a template's variables). Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NameListAttribute() : ValidationAttribute("{0} must be up to 20 distinct names of letters, digits or underscores")
{
    public const int MaxCount = 20;
    public const int MaxLength = 40;

    public override bool IsValid(object? value) =>
        value is null
        || (value is IReadOnlyCollection<string?> names
            && names.Count <= MaxCount
            && names.All(n => n is { Length: >= 1 and <= MaxLength } && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            && names.Distinct(StringComparer.Ordinal).Count() == names.Count);
}
