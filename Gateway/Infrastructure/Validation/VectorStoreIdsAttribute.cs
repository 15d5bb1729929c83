using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>Up to <see cref="MaxCount"/> distinct OpenAI vector store ids (<c>vs_…</c>). Null passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class VectorStoreIdsAttribute() : ValidationAttribute("{0} must be a list of at most 16 distinct OpenAI vector store ids (vs_…)")
{
    public const int MaxCount = 16;

    public override bool IsValid(object? value) =>
        value is null || (value is IReadOnlyCollection<string?> ids && ids.Count <= MaxCount
            && ids.All(id => id is not null && Format().IsMatch(id)) && ids.Distinct(StringComparer.Ordinal).Count() == ids.Count);

    [GeneratedRegex("^vs_[A-Za-z0-9_-]{1,96}$")]
    private static partial Regex Format();
}
