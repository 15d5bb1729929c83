namespace HorizonAI.Grains.Interfaces;

/// <summary>One end user's conversation with a bot, as listed for operators.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.conversation-summary")]
public sealed record ConversationSummary(
    [property: Id(0)] string UserNumber,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2)] DateTimeOffset LastMessageAt,
    [property: Id(3)] int MessageCount)
{
    /// <summary>When the user opted out of the bot's messages, or null.</summary>
    [Id(4)] public DateTimeOffset? OptedOutAt { get; init; }
}
