using HorizonAI.Grains.Assistants;

namespace HorizonAI.Grains.Storage;

/// <summary>The part of a conversation's state that is not in its messages.</summary>
public sealed record ConversationState(string? AssistantConversationId, IReadOnlyList<HistoryTurn> History)
{
    /// <summary>When the user stopped the bot's messages (an opt-out keyword); null while they receive them.</summary>
    public DateTimeOffset? OptedOutAt { get; init; }
}
