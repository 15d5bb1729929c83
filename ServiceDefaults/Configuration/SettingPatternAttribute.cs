using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// <see cref="RegularExpressionAttribute"/> for a setting: the whole value must match (an unset one passes); see
/// <see cref="SettingRangeAttribute"/> for why.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingPatternAttribute(string pattern) : RegularExpressionAttribute(pattern)
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
