using System.ComponentModel.DataAnnotations;
using HorizonAI.ServiceDefaults.Outbound;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>
/// A URL the platform will call on a business's behalf (a tool, an MCP server, a handoff webhook): an absolute http(s)
/// URL of at most <paramref name="maxLength"/> characters that the <see cref="OutboundUrlGuard"/> allows, or else the
/// guard's reason, under the field's JSON name <paramref name="field"/>. Null and blank pass: the field is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class OutboundUrlAttribute(string field, int maxLength) : ValidationAttribute
{
    private readonly HttpUrlAttribute _shape = new(maxLength);

    public override bool RequiresValidationContext => true;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is null || (value is string blank && string.IsNullOrWhiteSpace(blank)))
        {
            return ValidationResult.Success;
        }

        if (!_shape.IsValid(value))
        {
            return new ValidationResult($"{field} must be an https URL of at most {maxLength} characters, such as https://api.example.com/hook");
        }

        var guard = validationContext.GetService(typeof(OutboundUrlGuard)) as OutboundUrlGuard
            ?? throw new InvalidOperationException("The outbound URL guard is not registered (AddOutboundUrlGuard).");
        return guard.Refusal(((string)value).Trim()) is { } refusal
            ? new ValidationResult($"{field} is not allowed: {refusal}")
            : ValidationResult.Success;
    }
}
