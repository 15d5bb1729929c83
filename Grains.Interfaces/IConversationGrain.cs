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
    /// the ids of its outbound rows once they are committed; they are delivered like the bot's replies.
    /// </summary>
    [Alias("send-operator")]
    Task<long[]> SendOperatorMessageAsync(OperatorMessage message);

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
