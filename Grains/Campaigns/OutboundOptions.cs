using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Campaigns;

/// <summary>Campaign pacing: messages per second per bot number (<c>OUTBOUND_RATE_PER_SECOND</c>) unless the bot sets its own.</summary>
public sealed class OutboundOptions
{
    public const string RateVariable = "OUTBOUND_RATE_PER_SECOND";

    /// <summary>Below Twilio's default of 80 per sender, leaving room for the bot's replies.</summary>
    [SettingRange(1, 1000, ErrorMessage = RateVariable + " must be a whole number of messages per second from 1 to 1000")]
    public int RatePerSecond { get; set; } = 20;

    public static OutboundOptions From(IConfiguration configuration) => new()
    {
        RatePerSecond = configuration.Integer(RateVariable, 20),
    };
}

[OptionsValidator]
public sealed partial class OutboundOptionsValidator : IValidateOptions<OutboundOptions>;
