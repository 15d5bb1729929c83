namespace HorizonAI.Grains.Storage;

/// <summary>One reply part as it goes into the message log.</summary>
public sealed record OutboundRecord(
    string BotNumber,
    string UserNumber,
    string Body,
    string? TwilioSid,
    string Status,
    string? ErrorCode = null,
    string? ErrorMessage = null,
    int? InputTokens = null,
    int? OutputTokens = null,
    int? CachedTokens = null);
