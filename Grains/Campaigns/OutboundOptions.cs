using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Campaigns;

/// <summary>
/// Campaign pacing: messages per second per bot number (<c>OUTBOUND_RATE_PER_SECOND</c>) unless the bot sets its own;
/// and how many failed tries a recipient gets before it is marked failed (<c>CAMPAIGN_MAX_ATTEMPTS</c>).
/// </summary>
public sealed class OutboundOptions
{
    public const string RateVariable = "OUTBOUND_RATE_PER_SECOND";
    public const string MaxAttemptsVariable = "CAMPAIGN_MAX_ATTEMPTS";

    /// <summary>Below Twilio's default of 80 per sender, leaving room for the bot's replies.</summary>
    [SettingRange(1, 1000, ErrorMessage = RateVariable + " must be a whole number of messages per second from 1 to 1000")]
    public int RatePerSecond { get; set; } = 20;

    /// <summary>
    /// Tries at queueing one recipient (one per tick of the runner) that may fail before the recipient is marked failed
    /// with the last fault as its reason, so that a recipient that can never be queued does not keep its campaign running.
    /// </summary>
    [SettingRange(1, 100, ErrorMessage = MaxAttemptsVariable + " must be a whole number of attempts from 1 to 100")]
    public int MaxAttempts { get; set; } = 5;

    public static OutboundOptions From(IConfiguration configuration) => new()
    {
        RatePerSecond = configuration.Integer(RateVariable, 20),
        MaxAttempts = configuration.Integer(MaxAttemptsVariable, 5),
    };
}

[OptionsValidator]
public sealed partial class OutboundOptionsValidator : IValidateOptions<OutboundOptions>;
