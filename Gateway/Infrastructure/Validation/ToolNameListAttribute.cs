using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>Up to <see cref="MaxCount"/> tool names, each as <see cref="ToolNameAttribute"/> wants it. Null passes.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ToolNameListAttribute() : ValidationAttribute("{0} must be a list of at most 64 tool names")
{
    public const int MaxCount = 64;

    public override bool IsValid(object? value) =>
        value is null || (value is IReadOnlyCollection<string?> names && names.Count <= MaxCount && names.All(ToolNameAttribute.IsToolName));
}
