using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary><see cref="RequiredAttribute"/> for a setting; see <see cref="SettingRangeAttribute"/> for why.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRequiredAttribute : RequiredAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
