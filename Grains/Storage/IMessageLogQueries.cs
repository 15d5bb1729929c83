using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Storage;

/// <summary>Reads of the message log for transcripts, conversation lists and usage.</summary>
public interface IMessageLogQueries
{
    Task<Page<ConversationSummary>> ListConversationsAsync(string botId, int offset, int limit, CancellationToken cancellationToken = default);

    Task<Page<TranscriptMessage>> GetTranscriptAsync(string botId, string userNumber, int offset, int limit, CancellationToken cancellationToken = default);

    Task<UsageDay[]> GetUsageAsync(string botId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
