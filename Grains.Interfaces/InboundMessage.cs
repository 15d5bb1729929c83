namespace HorizonAI.Grains.Interfaces;

/// <summary>A WhatsApp message Twilio delivered to the webhook, already validated and normalised.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.inbound-message")]
public sealed record InboundMessage
{
    [Id(0)] public required string MessageSid { get; init; }

    /// <summary>E.164 number the user wrote to (the bot).</summary>
    [Id(1)] public required string BotNumber { get; init; }

    /// <summary>E.164 number of the end user.</summary>
    [Id(2)] public required string UserNumber { get; init; }

    [Id(3)] public string Body { get; init; } = "";

    [Id(4)] public string? ProfileName { get; init; }

    [Id(5)] public string[] MediaUrls { get; init; } = [];

    [Id(6)] public DateTimeOffset ReceivedAt { get; init; }
}
