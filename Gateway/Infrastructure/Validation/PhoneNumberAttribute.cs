using System.ComponentModel.DataAnnotations;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A phone number in any spelling <see cref="PhoneNumberParser"/> accepts; null passes (pair it with <c>[Required]</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PhoneNumberAttribute() : ValidationAttribute("{0} must be a phone number such as +15551111111")
{
    public override bool IsValid(object? value) => value is null || (value is string text && PhoneNumberParser.TryNormalize(text, out _));
}
