namespace HorizonAI.Grains.Interfaces;

/// <summary>Queries over the message log, by bot id (a stateless worker: any silo answers). Status callbacks are the Gateway's own writes.</summary>
[Alias("horizonai.message-log")]
public interface IMessageLogGrain : IGrainWithIntegerKey
{
    [Alias("conversations")]
    Task<Page<ConversationSummary>> ListConversationsAsync(string botId, int offset, int limit);

    [Alias("transcript")]
    Task<Page<TranscriptMessage>> GetTranscriptAsync(string botId, string userNumber, int offset, int limit);

    /// <summary>Days with traffic between <paramref name="from"/> and <paramref name="to"/> inclusive (UTC).</summary>
    [Alias("usage")]
    Task<UsageDay[]> GetUsageAsync(string botId, DateOnly from, DateOnly to);
}
