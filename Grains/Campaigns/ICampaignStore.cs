using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Campaigns;

/// <summary>A recipient still to be sent to, with its campaign's template.</summary>
public sealed record PendingRecipient(string CampaignId, int Position, string UserNumber, string[] Values, string Template, string CampaignName);

/// <summary>
/// Campaigns and their recipients. A recipient leaves <c>pending</c> only in the commit that queues its message
/// (<see cref="Storage.IMessageStore.AddOutboundAsync"/> with the recipient), so it is queued once however often it is tried.
/// </summary>
public interface ICampaignStore
{
    /// <summary>The campaign of the bot <paramref name="botId"/> and every recipient, in one commit; false if the campaign's id is taken.</summary>
    Task<bool> CreateAsync(string botId, CampaignRequest request);

    /// <summary>The next pending recipients of the bot's running campaigns, oldest campaign first, in order.</summary>
    Task<IReadOnlyList<PendingRecipient>> NextPendingAsync(string botId, int limit);

    /// <summary>
    /// Counts a failed try at queueing a recipient that is still pending; at the <paramref name="maxAttempts"/>th the
    /// recipient is failed with <paramref name="reason"/>. Answers whether it was failed now.
    /// </summary>
    Task<bool> RecordFailedAttemptAsync(string campaignId, int position, string reason, int maxAttempts);

    /// <summary>Marks the running campaigns with no pending recipient left done; answers how many still run.</summary>
    Task<int> FinishAsync(string botId);

    /// <summary>Stops a running campaign: its pending recipients become canceled. Null if no such campaign.</summary>
    Task<CampaignSummary?> CancelAsync(string botId, string campaignId, string reason);

    Task<CampaignSummary[]> ListAsync(string botId);

    Task<CampaignSummary?> GetAsync(string botId, string campaignId);

    Task<Page<CampaignRecipientStatus>> RecipientsAsync(string botId, string campaignId, int offset, int limit);
}
