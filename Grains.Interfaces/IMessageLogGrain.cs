namespace HorizonAI.Grains.Interfaces;

/// <summary>Read-only queries over the message log (a stateless worker: any silo answers).</summary>
[Alias("horizonai.message-log")]
public interface IMessageLogGrain : IGrainWithIntegerKey
{
    [Alias("conversations")]
    Task<Page<ConversationSummary>> ListConversationsAsync(string botNumber, int offset, int limit);

    [Alias("transcript")]
    Task<Page<TranscriptMessage>> GetTranscriptAsync(string botNumber, string userNumber, int offset, int limit);

    /// <summary>Days with traffic between <paramref name="from"/> and <paramref name="to"/> inclusive (UTC).</summary>
    [Alias("usage")]
    Task<UsageDay[]> GetUsageAsync(string botNumber, DateOnly from, DateOnly to);
}
