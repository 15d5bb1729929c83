using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary><see cref="AllowedValuesAttribute"/> for a setting; see <see cref="SettingRangeAttribute"/> for why.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAllowedValuesAttribute(params object?[] values) : AllowedValuesAttribute(values)
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
