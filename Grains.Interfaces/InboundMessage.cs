namespace HorizonAI.Grains.Interfaces;

/// <summary>A WhatsApp message Twilio delivered to the webhook, already validated and normalised.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.inbound-message")]
public sealed record InboundMessage
{
    [Id(0)] public required string MessageSid { get; init; }

    /// <summary>E.164 number the user wrote to (the bot).</summary>
    [Id(1)] public required string BotNumber { get; init; }

    /// <summary>
    /// The id of the bot that has <see cref="BotNumber"/> now: its data (this message's row included) belongs to the id.
    /// Set by whoever knows the bot (the Gateway from the bots table, the bot grain otherwise).
    /// </summary>
    [Id(10)] public string? BotId { get; init; }

    /// <summary>E.164 number of the end user.</summary>
    [Id(2)] public required string UserNumber { get; init; }

    [Id(3)] public string Body { get; init; } = "";

    [Id(4)] public string? ProfileName { get; init; }

    /// <summary>Twilio's URL of each media item (<c>MediaUrl{N}</c>), in order.</summary>
    [Id(5)] public string[] MediaUrls { get; init; } = [];

    [Id(6)] public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The content type of each media item (<c>MediaContentType{N}</c>), beside <see cref="MediaUrls"/>; "" when Twilio sent none.</summary>
    [Id(7)] public string[] MediaTypes { get; init; } = [];

    /// <summary>
    /// The id of its row in the messages table when it is stored already (the Gateway commits it before answering
    /// Twilio and forwards it afterwards); null when the conversation is to store it.
    /// </summary>
    [Id(8)] public long? StoredId { get; init; }

    /// <summary>Forwarded again: Twilio delivered the same MessageSid once more while its row still waited for a turn.</summary>
    [Id(9)] public bool Redelivered { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the span that received it (the webhook's request), stored with its row so that the
    /// turn answering it, whenever and wherever it runs, continues that trace; null when nothing traced it.
    /// </summary>
    [Id(11)] public string? TraceParent { get; init; }

    /// <summary>
    /// The bot's configuration, with its version, as its bot grain forwards the message: the conversation answers with
    /// the newest it has seen instead of asking the bot grain again. Null when the bot grain did not set it.
    /// </summary>
    [Id(12)] public BotDefinition? Bot { get; init; }
}
