using HorizonAI.Grains.Assistants;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// What the messages table says of one conversation's open work, and the little it keeps beside it, as one read found
/// it: everything a conversation's pump needs to carry on where any earlier activation stopped.
/// </summary>
/// <param name="AssistantConversationId">The OpenAI Conversation (<c>conv_…</c>) holding the user's history, if any.</param>
/// <param name="History">Earlier turns, kept only for assistants that keep no history upstream (Chat Completions).</param>
/// <param name="Inbox">Accepted messages no turn has claimed, oldest first.</param>
/// <param name="Outbox">Parts of the claimed turn's reply still to send, in order.</param>
public sealed record ConversationSnapshot(
    string? AssistantConversationId,
    IReadOnlyList<HistoryTurn> History,
    IReadOnlyList<PendingInbound> Inbox,
    IReadOnlyList<PendingPart> Outbox)
{
    public static ConversationSnapshot Empty { get; } = new(null, [], [], []);

    /// <summary>When the user opted out of the bot's messages, or null.</summary>
    public DateTimeOffset? OptedOutAt { get; init; }

    /// <summary>Set while a person has the conversation.</summary>
    public HumanMode? Human { get; init; }

    /// <summary>The assistant's tool call its next turn must answer, if any.</summary>
    public string? PendingCallId { get; init; }

    /// <summary>The conversation's own state as the table has it (what a turn starts from and saves again).</summary>
    public ConversationState State() => new(AssistantConversationId, History)
    {
        OptedOutAt = OptedOutAt,
        Human = Human,
        PendingCallId = PendingCallId,
    };
}
