namespace HorizonAI.Grains.Interfaces;

/// <summary>One message of a transcript, inbound or outbound, with its delivery status.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.transcript-message")]
public sealed record TranscriptMessage(
    [property: Id(0)] long Id,
    [property: Id(1)] string Direction,
    [property: Id(2)] string Text,
    [property: Id(3)] DateTimeOffset At,
    [property: Id(4)] string? TwilioSid,
    [property: Id(5)] string Status,
    [property: Id(6)] string? ErrorCode,
    [property: Id(7)] string? ErrorMessage);
