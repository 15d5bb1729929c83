using System.ComponentModel.DataAnnotations;
using HorizonAI.Gateway.Infrastructure.Validation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Validation;

namespace HorizonAI.Gateway.Usage;

/// <summary>
/// The query of <c>GET /bots/{number}/usage</c>: a range of whole days (UTC), each end optional; the last 30 days by
/// default. Validated before the handler runs (<see cref="Infrastructure.RequestValidationFilter"/>).
/// </summary>
[ValidatableType]
public sealed class UsageQuery : IValidatableObject
{
    /// <summary>The longest range, in days, both ends included.</summary>
    public const int MaxDays = 366;

    /// <summary>The range without a <c>from</c> ends with today and spans this many days.</summary>
    public const int DefaultDays = 30;

    /// <summary>The first day, <c>YYYY-MM-DD</c>.</summary>
    [FromQuery(Name = "from")]
    [Day(ErrorMessage = "from must be a date as YYYY-MM-DD")]
    public string? From { get; set; }

    /// <summary>The last day, <c>YYYY-MM-DD</c>; today when absent.</summary>
    [FromQuery(Name = "to")]
    [Day(ErrorMessage = "to must be a date as YYYY-MM-DD")]
    public string? To { get; set; }

    /// <summary>The first and last day of a valid query, with today's defaults.</summary>
    public (DateOnly From, DateOnly To) Range(TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return (DayAttribute.Parse(From) ?? today.AddDays(1 - DefaultDays), DayAttribute.Parse(To) ?? today);
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var (from, to) = Range(validationContext.GetService(typeof(TimeProvider)) as TimeProvider ?? TimeProvider.System);
        if (from > to)
        {
            yield return new ValidationResult("from must not be after to", ["from"]);
        }
        else if (to.DayNumber - from.DayNumber >= MaxDays)
        {
            yield return new ValidationResult($"the range may span at most {MaxDays} days", ["to"]);
        }
    }
}
