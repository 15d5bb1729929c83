using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A Twilio message SID: 1 to <see cref="MaxLength"/> ASCII letters or digits. Null passes (pair it with <c>[Required]</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class TwilioSidAttribute() : ValidationAttribute(Rule)
{
    public const int MaxLength = 64;

    /// <summary>The message, also for a <c>[Required]</c> that should say the same.</summary>
    public const string Rule = "{0} must be a Twilio message SID (letters and digits)";

    public override bool IsValid(object? value) =>
        value is null || (value is string sid && sid.Length is > 0 and <= MaxLength && sid.All(char.IsAsciiLetterOrDigit));
}
