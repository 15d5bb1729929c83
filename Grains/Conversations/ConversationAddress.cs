using HorizonAI.ServiceDefaults.Logging;

namespace HorizonAI.Grains.Conversations;

/// <summary>
/// Which conversation a piece of work is for: the bot's id (whose data it is), the number its bot grain has (what logs,
/// metrics and Twilio name), and the user's number.
/// </summary>
public sealed record ConversationAddress(string BotId, string BotNumber, string UserNumber)
{
    /// <summary>The user's number as logs and spans show it.</summary>
    public string User { get; } = PhoneMask.Mask(UserNumber);
}
