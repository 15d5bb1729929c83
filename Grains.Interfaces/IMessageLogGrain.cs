namespace HorizonAI.Grains.Interfaces;

/// <summary>Queries and delivery-status updates over the message log (a stateless worker: any silo answers).</summary>
[Alias("horizonai.message-log")]
public interface IMessageLogGrain : IGrainWithIntegerKey
{
    [Alias("conversations")]
    Task<Page<ConversationSummary>> ListConversationsAsync(string botNumber, int offset, int limit);

    [Alias("transcript")]
    Task<Page<TranscriptMessage>> GetTranscriptAsync(string botNumber, string userNumber, int offset, int limit);

    /// <summary>Applies a Twilio status callback; never moves a message's status backwards.</summary>
    [Alias("delivery")]
    Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update);

    /// <summary>Days with traffic between <paramref name="from"/> and <paramref name="to"/> inclusive (UTC).</summary>
    [Alias("usage")]
    Task<UsageDay[]> GetUsageAsync(string botNumber, DateOnly from, DateOnly to);
}
