using System.ComponentModel.DataAnnotations;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// <see cref="RangeAttribute"/> for a setting read from the SPEC's variables: a value out of range (or malformed, which
/// the readers turn into one) fails with <see cref="ValidationAttribute.ErrorMessage"/> as written, the whole start-up
/// line naming the variable and the fix.
/// </summary>
/// <remarks>
/// The <c>Setting…</c> attributes exist because the options validation source generator does not let a plain
/// DataAnnotation say that line: it swaps <c>[Range]</c> for a copy of its own that ignores <c>ErrorMessage</c>
/// (dotnet/runtime#123137), and it puts the property's name in front of every result that names a member. A subclass is
/// used as it is, and a result that names no member is reported as it stands.
/// </remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(double minimum, double maximum)
        : base(minimum, maximum)
    {
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        IsValid(value) ? ValidationResult.Success : new ValidationResult(ErrorMessageString);
}
