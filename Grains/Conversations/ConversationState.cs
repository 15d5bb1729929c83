namespace HorizonAI.Grains.Conversations;

/// <summary>
/// The durable state of one (bot, end user) conversation. An inbound message moves
/// Inbox → (turn) → Outbox → sent, and each step is written before the next begins, so a crash resumes
/// where it stopped: an unanswered message is answered, a computed answer is delivered without a second turn,
/// and parts already recorded as sent are not sent again.
/// </summary>
[GenerateSerializer, Alias("horizonai.conversation-state")]
public sealed class ConversationState
{
    /// <summary>The OpenAI Conversation (<c>conv_…</c>) that holds this user's history with the bot.</summary>
    [Id(0)] public string? AssistantConversationId { get; set; }

    /// <summary>Accepted messages not yet answered, in arrival order.</summary>
    [Id(1)] public List<PendingMessage> Inbox { get; set; } = [];

    /// <summary>The answer of the last turn, until every part is sent.</summary>
    [Id(2)] public PendingReply? Outbox { get; set; }

    /// <summary>The last MessageSids accepted, to recognise Twilio's retries without a database read.</summary>
    [Id(3)] public List<string> RecentSids { get; set; } = [];

    [Id(4)] public DateTimeOffset LastArrival { get; set; }

    /// <summary>Earlier turns, kept here only when the assistant keeps no conversation upstream (Chat Completions).</summary>
    [Id(5)] public List<Assistants.HistoryTurn> History { get; set; } = [];

    /// <summary>The end user's number (E.164); the grain key holds only a pseudonym of it.</summary>
    [Id(6)] public string UserNumber { get; set; } = "";
}
