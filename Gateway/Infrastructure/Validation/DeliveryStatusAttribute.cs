using System.ComponentModel.DataAnnotations;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>One of the message statuses Twilio reports (<see cref="DeliveryStatuses"/>), in lower case; null does not pass.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DeliveryStatusAttribute() : ValidationAttribute("{0} must be one of {1}")
{
    public override string FormatErrorMessage(string name) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, ErrorMessageString, name, string.Join(", ", DeliveryStatuses.All.Keys));

    public override bool IsValid(object? value) => value is string status && DeliveryStatuses.IsKnown(status);
}
