using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Campaigns;

/// <summary>Campaigns in this silo's memory, for a local try-out without PostgreSQL; lost when the silo stops.</summary>
public sealed class InMemoryCampaignStore(TimeProvider time) : ICampaignStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Campaign> _campaigns = new(StringComparer.Ordinal);

    public Task<bool> CreateAsync(CampaignRequest request)
    {
        lock (_gate)
        {
            return Task.FromResult(_campaigns.TryAdd(request.Id, new Campaign(request, time.GetUtcNow())));
        }
    }

    /// <summary>
    /// Claims a pending recipient for the message with <paramref name="messageId"/> (queued), or skips it when the user
    /// opted out; false when it was not pending. Called under the message store's lock, so the two change together.
    /// </summary>
    public bool TryClaim(string campaignId, int position, bool optedOut, Func<long> messageId)
    {
        lock (_gate)
        {
            if (!_campaigns.TryGetValue(campaignId, out var campaign) || campaign.Recipients[position].Status != "pending")
            {
                return false;
            }

            campaign.Recipients[position] = optedOut
                ? campaign.Recipients[position] with { Status = "skipped", Reason = "opted_out" }
                : campaign.Recipients[position] with { Status = "queued", MessageId = messageId() };
            return !optedOut;
        }
    }

    public Task<IReadOnlyList<PendingRecipient>> NextPendingAsync(string botNumber, int limit)
    {
        lock (_gate)
        {
            IReadOnlyList<PendingRecipient> next = [.. Running(botNumber)
                .SelectMany(c => c.Recipients.Where(r => r.Status == "pending")
                    .Select(r => new PendingRecipient(c.Request.Id, r.Position, r.UserNumber, c.Request.Recipients[r.Position].Values, c.Request.Template, c.Request.Name)))
                .Take(limit)];
            return Task.FromResult(next);
        }
    }

    public Task<int> FinishAsync(string botNumber)
    {
        lock (_gate)
        {
            foreach (var campaign in Running(botNumber).Where(c => c.Recipients.All(r => r.Status != "pending")).ToList())
            {
                campaign.Status = CampaignSummary.Done;
                campaign.FinishedAt = time.GetUtcNow();
            }

            return Task.FromResult(Running(botNumber).Count());
        }
    }

    public Task<CampaignSummary?> CancelAsync(string botNumber, string campaignId, string reason)
    {
        lock (_gate)
        {
            if (_campaigns.TryGetValue(campaignId, out var campaign) && campaign.Request.BotNumber == botNumber && campaign.Status == CampaignSummary.Running)
            {
                campaign.Status = CampaignSummary.CanceledStatus;
                campaign.FinishedAt = time.GetUtcNow();
                for (var i = 0; i < campaign.Recipients.Length; i++)
                {
                    if (campaign.Recipients[i].Status == "pending")
                    {
                        campaign.Recipients[i] = campaign.Recipients[i] with { Status = "canceled", Reason = reason };
                    }
                }
            }
        }

        return GetAsync(botNumber, campaignId);
    }

    public Task<CampaignSummary[]> ListAsync(string botNumber)
    {
        lock (_gate)
        {
            return Task.FromResult<CampaignSummary[]>([.. _campaigns.Values.Where(c => c.Request.BotNumber == botNumber)
                .OrderByDescending(c => c.CreatedAt).Select(Summary)]);
        }
    }

    public Task<CampaignSummary?> GetAsync(string botNumber, string campaignId)
    {
        lock (_gate)
        {
            return Task.FromResult(_campaigns.TryGetValue(campaignId, out var c) && c.Request.BotNumber == botNumber ? Summary(c) : null);
        }
    }

    public Task<Page<CampaignRecipientStatus>> RecipientsAsync(string botNumber, string campaignId, int offset, int limit)
    {
        lock (_gate)
        {
            if (!_campaigns.TryGetValue(campaignId, out var c) || c.Request.BotNumber != botNumber)
            {
                return Task.FromResult(new Page<CampaignRecipientStatus>([], 0, offset, limit));
            }

            return Task.FromResult(new Page<CampaignRecipientStatus>(
                [.. c.Recipients.Skip(offset).Take(limit).Select(r => new CampaignRecipientStatus(r.Position, r.UserNumber, r.Status, r.Reason, r.MessageId, null, null))],
                c.Recipients.Length, offset, limit));
        }
    }

    private IEnumerable<Campaign> Running(string botNumber) =>
        _campaigns.Values.Where(c => c.Request.BotNumber == botNumber && c.Status == CampaignSummary.Running).OrderBy(c => c.CreatedAt);

    private static CampaignSummary Summary(Campaign c) => new(
        c.Request.Id, c.Request.BotNumber, c.Request.Name, c.Request.Template, c.Status, c.Recipients.Length,
        c.Recipients.Count(r => r.Status == "pending"), c.Recipients.Count(r => r.Status == "queued"),
        c.Recipients.Count(r => r.Status == "skipped"), c.Recipients.Count(r => r.Status == "canceled"), c.CreatedAt, c.FinishedAt);

    private sealed record Recipient(int Position, string UserNumber, string Status, string? Reason, long? MessageId);

    private sealed class Campaign(CampaignRequest request, DateTimeOffset createdAt)
    {
        public CampaignRequest Request { get; } = request;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public Recipient[] Recipients { get; } = [.. request.Recipients.Select((r, i) => new Recipient(i, r.UserNumber, "pending", null, null))];

        public string Status { get; set; } = CampaignSummary.Running;

        public DateTimeOffset? FinishedAt { get; set; }
    }
}
