using HorizonAI.Grains.Assistants;

namespace HorizonAI.Grains.Storage;

/// <summary>The part of a conversation's state that is not in its messages.</summary>
public sealed record ConversationState(string? AssistantConversationId, IReadOnlyList<HistoryTurn> History);
