namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// One end user's conversation with one bot, keyed by <see cref="ConversationKey"/>. It serialises that user's assistant
/// turns; the messages table holds its inbox and outbox. Callers never wait for a turn. The key carries only a pseudonym
/// of the user's number, so every call names the number itself (checked against the key).
/// </summary>
[Alias("horizonai.conversation")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Stores the message (its inbound row is committed) and schedules its answer. Returns once it is stored.</summary>
    [Alias("enqueue")]
    Task<ReceiveOutcome> EnqueueAsync(InboundMessage message);

    /// <summary>Forgets the conversation: the transcript is erased and the next message starts a fresh assistant conversation.</summary>
    [Alias("reset")]
    Task ResetAsync(string userNumber);

    /// <summary>
    /// Queues an operator's message behind what the outbox already holds (never inside a reply of the bot) and returns
    /// the ids of its outbound rows once they are committed; they are delivered like the bot's replies. Free text needs
    /// the 24-hour window open; after it the bot's re-engagement template goes instead, or nothing if it has none.
    /// </summary>
    [Alias("send-operator")]
    Task<OutboundOutcome> SendOperatorMessageAsync(OperatorMessage message);

    /// <summary>Queues an approved template to the user (allowed outside the 24-hour window), delivered like a reply.</summary>
    [Alias("send-template")]
    Task<OutboundOutcome> SendTemplateAsync(TemplateMessage message);

    /// <summary>
    /// Takes the conversation over for a person (the assistant stops answering; the user's messages are held) or gives
    /// it back to the bot. Returns once the change is committed; repeating it changes nothing more.
    /// </summary>
    [Alias("set-mode")]
    Task<ConversationControl> SetModeAsync(ConversationModeChange change);

    /// <summary>
    /// Looks at the messages table for work of this conversation that no activation holds (after a crash, or a write
    /// whose answer was lost) and does it. Harmless when there is none, or when this activation is already on it.
    /// </summary>
    [Alias("wake")]
    Task WakeAsync(string userNumber);
}
