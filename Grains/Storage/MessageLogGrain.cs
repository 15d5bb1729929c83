using HorizonAI.Grains.Interfaces;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Storage;

/// <summary>Serves message-log reads and status callbacks to the Gateway, which talks only to the cluster.</summary>
[StatelessWorker]
public sealed class MessageLogGrain(IMessageLogQueries queries, IMessageStore messages) : Grain, IMessageLogGrain
{
    public Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update) => messages.RecordDeliveryStatusAsync(update);

    public Task<Page<ConversationSummary>> ListConversationsAsync(string botNumber, int offset, int limit) =>
        queries.ListConversationsAsync(botNumber, offset, limit);

    public Task<Page<TranscriptMessage>> GetTranscriptAsync(string botNumber, string userNumber, int offset, int limit) =>
        queries.GetTranscriptAsync(botNumber, userNumber, offset, limit);

    public Task<UsageDay[]> GetUsageAsync(string botNumber, DateOnly from, DateOnly to) =>
        queries.GetUsageAsync(botNumber, from, to);
}
