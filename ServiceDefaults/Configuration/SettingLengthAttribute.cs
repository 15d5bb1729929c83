using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary><see cref="LengthAttribute"/> for a setting (an unset one passes); see <see cref="SettingRangeAttribute"/> for why.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingLengthAttribute(int minimumLength, int maximumLength) : LengthAttribute(minimumLength, maximumLength)
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
