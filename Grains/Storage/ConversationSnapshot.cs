using HorizonAI.Grains.Assistants;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// What the messages table says of one conversation's open work, and the little it keeps beside it: everything a
/// conversation activation needs to carry on where any earlier one stopped.
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

    /// <summary>When each outbox row was written (the lookup of an unrecorded send takes only messages Twilio created after it).</summary>
    public IReadOnlyDictionary<long, DateTimeOffset> OutboxWrittenAt { get; init; } = new Dictionary<long, DateTimeOffset>();

    /// <summary>When the user opted out of the bot's messages, or null.</summary>
    public DateTimeOffset? OptedOutAt { get; init; }

    /// <summary>Set while a person has the conversation.</summary>
    public HumanMode? Human { get; init; }

    /// <summary>The assistant's tool call its next turn must answer, if any.</summary>
    public string? PendingCallId { get; init; }
}
