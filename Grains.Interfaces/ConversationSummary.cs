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

    /// <summary><c>bot</c>, or <c>human</c> while a person has it.</summary>
    [Id(5)] public string Mode { get; init; } = "bot";

    [Id(6)] public DateTimeOffset? HumanSince { get; init; }

    /// <summary>What started the handoff, and why.</summary>
    [Id(7)] public string? HandoffTrigger { get; init; }

    [Id(8)] public string? HandoffReason { get; init; }

    /// <summary>The user's messages since the last message sent to them (by the bot or an operator).</summary>
    [Id(9)] public int Unread { get; init; }
}
