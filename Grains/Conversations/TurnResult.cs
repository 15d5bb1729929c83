using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;

namespace HorizonAI.Grains.Conversations;

/// <summary>What one assistant turn came to.</summary>
/// <param name="Parts">The reply split for WhatsApp (or the fallback message), in order.</param>
/// <param name="State">The conversation's state after the turn: a new assistant conversation, a longer history.</param>
/// <param name="MediaReadings">What the turn read of its messages' media (by message id), for their rows.</param>
public sealed record TurnResult(
    TurnOutcome Outcome, IReadOnlyList<ReplyPart> Parts, int InputTokens, int OutputTokens, int CachedTokens, UpstreamFailure? Failure, ConversationState State,
    IReadOnlyDictionary<long, MediaReading>? MediaReadings = null)
{
    /// <summary>Set when the assistant asked for a person (its <c>request_human</c> call): the reason; the parts end with the handoff message.</summary>
    public string? HandoffReason { get; init; }

    /// <summary>What the turn searched of the bot's knowledge and which documents its answer used.</summary>
    public KnowledgeUse? Knowledge { get; init; }
}
