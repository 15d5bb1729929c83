using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A list of 1 to <see cref="MaxCount"/> keywords, each as <see cref="KeywordAttribute"/> wants it. Null passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeywordsAttribute() : ValidationAttribute("{0} must be a list of 1 to 20 words of at most 40 characters")
{
    public const int MaxCount = 20;

    public override bool IsValid(object? value) =>
        value is null || (value is IReadOnlyCollection<string?> words && words.Count is > 0 and <= MaxCount && words.All(KeywordAttribute.IsKeyword));
}
