namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// One end user's conversation with one bot, keyed by <see cref="ConversationKey"/>. Holds the durable inbox and
/// serialises that user's assistant turns; callers never wait for a turn.
/// </summary>
[Alias("horizonai.conversation")]
public interface IConversationGrain : IGrainWithStringKey
{
    /// <summary>Stores the message durably and schedules its answer. Returns once it is stored.</summary>
    [Alias("enqueue")]
    Task<ReceiveOutcome> EnqueueAsync(InboundMessage message);

    /// <summary>Forgets the conversation: the transcript is erased and the next message starts a fresh assistant conversation.</summary>
    [Alias("reset")]
    Task ResetAsync(string userNumber);
}
