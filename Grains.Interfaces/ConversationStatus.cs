namespace HorizonAI.Grains.Interfaces;

/// <summary>What a conversation grain holds right now (for operators and tests).</summary>
[GenerateSerializer, Immutable, Alias("horizonai.conversation-status")]
public sealed record ConversationStatus(
    [property: Id(0)] string? AssistantConversationId,
    [property: Id(1)] int PendingMessages,
    [property: Id(2)] int PendingReplyParts,
    [property: Id(3)] bool TurnInFlight);
