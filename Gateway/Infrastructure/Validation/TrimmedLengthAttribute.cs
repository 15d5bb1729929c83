using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// Text of <paramref name="minimumLength"/> to <paramref name="maximumLength"/> characters once its surrounding spaces
/// are trimmed (as the handlers store it), e.g. a name. Null passes.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TrimmedLengthAttribute(int minimumLength, int maximumLength) : ValidationAttribute("{0} must be {1} to {2} characters")
{
    public override string FormatErrorMessage(string name) => string.Format(System.Globalization.CultureInfo.InvariantCulture, ErrorMessageString, name, minimumLength, maximumLength);

    public override bool IsValid(object? value) =>
        value is null || (value is string text && text.Trim().Length >= minimumLength && text.Trim().Length <= maximumLength);
}
