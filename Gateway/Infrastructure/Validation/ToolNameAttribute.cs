using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A name a model calls a tool by: 1 to 64 ASCII letters, digits, <c>_</c> or <c>-</c>. Null passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ToolNameAttribute() : ValidationAttribute("{0} must be 1 to 64 letters, digits, _ or -")
{
    public const int MaxLength = 64;

    public override bool IsValid(object? value) => value is null || (value is string name && IsToolName(name));

    public static bool IsToolName(string? name) =>
        name is { Length: >= 1 and <= MaxLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
