using System.ComponentModel.DataAnnotations;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// A word a user's message is compared with (as <see cref="OptOut.Normalize"/> compares them): 1 to
/// <see cref="MaxLength"/> characters once normalised. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeywordAttribute() : ValidationAttribute("{0} must be a word of at most 40 characters")
{
    public const int MaxLength = 40;

    public override bool IsValid(object? value) => value is null || (value is string word && IsKeyword(word));

    /// <summary>Whether <paramref name="word"/> is one keyword (also each entry of <see cref="KeywordsAttribute"/>).</summary>
    public static bool IsKeyword(string? word) =>
        !string.IsNullOrWhiteSpace(word) && TextInput.IsStorable(word) && OptOut.Normalize(word).Length is > 0 and <= MaxLength;
}
