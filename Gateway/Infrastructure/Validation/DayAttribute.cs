using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace HorizonAI.Gateway.Infrastructure.Validation;

/// <summary>A day as <c>YYYY-MM-DD</c>. Null and blank pass: the value is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DayAttribute() : ValidationAttribute("{0} must be a date as YYYY-MM-DD")
{
    public override bool IsValid(object? value) =>
        value is null || (value is string text && (string.IsNullOrWhiteSpace(text) || Parse(text) is not null));

    /// <summary>The day <paramref name="text"/> names; null when it is blank or not a day.</summary>
    public static DateOnly? Parse(string? text) =>
        !string.IsNullOrWhiteSpace(text) && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
