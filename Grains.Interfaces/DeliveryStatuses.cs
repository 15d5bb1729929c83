namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// Twilio's outbound statuses in the order a message goes through them. A callback may arrive late or twice; a
/// status only ever replaces an earlier one, so <c>delivered</c> stays <c>delivered</c> when a late <c>sent</c> arrives.
/// </summary>
public static class DeliveryStatuses
{
    private static readonly Dictionary<string, int> Ranks = new(StringComparer.Ordinal)
    {
        ["accepted"] = 0,
        ["scheduled"] = 0,
        ["queued"] = 1,
        ["sending"] = 2,
        ["sent"] = 3,
        ["undelivered"] = 4,
        ["failed"] = 4,
        ["delivered"] = 5,
        ["read"] = 6,
        ["canceled"] = 4,
    };

    public static bool IsKnown(string status) => Ranks.ContainsKey(status);

    public static int Rank(string status) => Ranks.GetValueOrDefault(status, 0);

    public static IReadOnlyDictionary<string, int> All => Ranks;

    /// <summary>Twilio error codes an operator meets most, with what they mean for the transcript.</summary>
    public static IReadOnlyDictionary<string, string> KnownReasons { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["63016"] = "outside the 24-hour window: WhatsApp allows free-form replies only within 24 hours of the user's last message",
        ["21211"] = "the user's number is not a valid phone number",
        ["21610"] = "the user has opted out of messages from this number",
        ["63003"] = "the user's number is not on WhatsApp or cannot be reached",
        ["63018"] = "rate limit exceeded for this WhatsApp sender",
    };

    /// <summary>Why Twilio refused or failed a message, for the transcript.</summary>
    public static string? Reason(string? errorCode) =>
        string.IsNullOrEmpty(errorCode) ? null : KnownReasons.GetValueOrDefault(errorCode) ?? "Twilio error " + errorCode;
}
