using HorizonAI.Grains.Interfaces;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Storage;

/// <summary>Serves message-log reads (transcripts, conversation lists, usage) to the Gateway's admin API.</summary>
[StatelessWorker]
public sealed class MessageLogGrain(IMessageLogQueries queries) : Grain, IMessageLogGrain
{
    public Task<Page<ConversationSummary>> ListConversationsAsync(string botId, int offset, int limit) =>
        queries.ListConversationsAsync(botId, offset, limit);

    public Task<Page<TranscriptMessage>> GetTranscriptAsync(string botId, string userNumber, int offset, int limit) =>
        queries.GetTranscriptAsync(botId, userNumber, offset, limit);

    public Task<UsageDay[]> GetUsageAsync(string botId, DateOnly from, DateOnly to) =>
        queries.GetUsageAsync(botId, from, to);
}
