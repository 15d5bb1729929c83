using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Knowledge;

/// <summary>
/// A knowledge document's title: at most <see cref="MaxLength"/> characters once its surrounding spaces are trimmed (as
/// it is stored), whether it comes with a file or with text typed in. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DocumentTitleAttribute() : ValidationAttribute("title must be at most 200 characters")
{
    public const int MaxLength = 200;

    public override bool IsValid(object? value) => value is null || (value is string title && title.Trim().Length <= MaxLength);
}
