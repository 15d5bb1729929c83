using System.Globalization;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Hosting;

/// <summary>Timeouts and retries of every OpenAI and Twilio call (<c>UPSTREAM_*</c>), validated at start.</summary>
public sealed class UpstreamOptions
{
    public const string AttemptTimeoutVariable = "UPSTREAM_ATTEMPT_TIMEOUT_SECONDS";
    public const string TotalTimeoutVariable = "UPSTREAM_TOTAL_TIMEOUT_SECONDS";
    public const string MaxRetriesVariable = "UPSTREAM_MAX_RETRIES";

    [SettingRange(0d, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = AttemptTimeoutVariable + " must be a number of seconds above 0")]
    public double AttemptTimeoutSeconds { get; set; } = 30;

    [SettingRange(0d, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = TotalTimeoutVariable + " must be a number of seconds above 0")]
    public double TotalTimeoutSeconds { get; set; } = 90;

    [SettingRange(0, 20, ErrorMessage = MaxRetriesVariable + " must be a whole number from 0 to 20")]
    public int MaxRetries { get; set; } = 5;

    public static UpstreamOptions From(IConfiguration configuration) => new()
    {
        AttemptTimeoutSeconds = Seconds(configuration, AttemptTimeoutVariable, 30),
        TotalTimeoutSeconds = Seconds(configuration, TotalTimeoutVariable, 90),
        MaxRetries = configuration.Integer(MaxRetriesVariable, 5),
    };

    // A malformed value reads as NaN, which the validator names.
    private static double Seconds(IConfiguration configuration, string name, double fallback) => configuration.Text(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN
        : fallback;
}

[OptionsValidator]
public sealed partial class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>;
