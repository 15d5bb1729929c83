using HorizonAI.Grains.Assistants;

namespace HorizonAI.Grains.Storage;

/// <summary>The part of a conversation's state that is not in its messages.</summary>
public sealed record ConversationState(string? AssistantConversationId, IReadOnlyList<HistoryTurn> History)
{
    /// <summary>When the user stopped the bot's messages (an opt-out keyword); null while they receive them.</summary>
    public DateTimeOffset? OptedOutAt { get; init; }

    /// <summary>Set while a person has the conversation (human mode); null while the bot answers.</summary>
    public HumanMode? Human { get; init; }

    /// <summary>The assistant's <c>request_human</c> call that its next turn must answer (the Responses API requires it).</summary>
    public string? PendingCallId { get; init; }
}

/// <summary>A conversation in human mode.</summary>
/// <param name="Trigger">What started it: <c>admin</c>, <c>keyword</c> or <c>assistant</c> (see <see cref="Interfaces.Handoff"/>).</param>
/// <param name="OperatorActiveAt">The handoff, or an operator's latest message since: auto-resume counts the idle time from it.</param>
/// <param name="NoticePending">The bot's handoff webhook has yet to hear of it.</param>
public sealed record HumanMode(DateTimeOffset Since, string Trigger, string? Reason, string? By, DateTimeOffset OperatorActiveAt, bool NoticePending);
