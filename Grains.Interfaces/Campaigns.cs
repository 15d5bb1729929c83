namespace HorizonAI.Grains.Interfaces;

/// <summary>One recipient of a campaign: the user and the template's values for them, in placeholder order.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.campaign-recipient")]
public sealed record CampaignRecipient([property: Id(0)] string UserNumber, [property: Id(1)] string[] Values);

/// <summary>A new campaign: one template to a list of users, paced at the bot number's rate.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.campaign-request")]
public sealed record CampaignRequest(
    [property: Id(0)] string Id,
    [property: Id(1)] string BotNumber,
    [property: Id(2)] string Name,
    [property: Id(3)] string Template,
    [property: Id(4)] CampaignRecipient[] Recipients,
    [property: Id(5)] string CreatedBy);

/// <summary>A campaign's progress: how many recipients are still to go, queued (then delivered like replies), skipped, canceled.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.campaign-summary")]
public sealed record CampaignSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string BotNumber,
    [property: Id(2)] string Name,
    [property: Id(3)] string Template,
    [property: Id(4)] string Status,
    [property: Id(5)] int Total,
    [property: Id(6)] int Pending,
    [property: Id(7)] int Queued,
    [property: Id(8)] int Skipped,
    [property: Id(9)] int Canceled,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? FinishedAt)
{
    /// <summary>Of the queued messages, how many Twilio took (queued at Twilio or later).</summary>
    [Id(12)] public int Sent { get; init; }

    /// <summary>
    /// Recipients that did not get the message: its send failed or was undelivered, or the recipient could not be
    /// queued at all (failed after CAMPAIGN_MAX_ATTEMPTS tries).
    /// </summary>
    [Id(13)] public int Failed { get; init; }

    public const string Running = "running";
    public const string CanceledStatus = "canceled";
    public const string Done = "done";
}

/// <summary>One recipient as the progress report lists it: its state, and its message's delivery status once queued.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.campaign-recipient-status")]
public sealed record CampaignRecipientStatus(
    [property: Id(0)] int Position,
    [property: Id(1)] string UserNumber,
    [property: Id(2)] string Status,
    [property: Id(3)] string? Reason,
    [property: Id(4)] long? MessageId,
    [property: Id(5)] string? MessageStatus,
    [property: Id(6)] string? ErrorCode);

/// <summary>The campaigns of one bot number, run one after another at its rate (Twilio's per-sender limit).</summary>
[Alias("horizonai.campaign-runner")]
public interface ICampaignRunnerGrain : IGrainWithStringKey
{
    /// <summary>Stores the campaign with every recipient, then starts sending; false if its id is taken.</summary>
    [Alias("create")]
    Task<bool> CreateAsync(CampaignRequest request);

    [Alias("cancel")]
    Task<CampaignSummary?> CancelAsync(string campaignId);

    /// <summary>Looks for running campaigns in the table and carries on with them (after a restart).</summary>
    [Alias("wake")]
    Task WakeAsync();
}

/// <summary>Campaign reads (a stateless worker over the tables).</summary>
[Alias("horizonai.campaigns")]
public interface ICampaignDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("list")]
    Task<CampaignSummary[]> ListAsync(string botNumber);

    [Alias("get")]
    Task<CampaignSummary?> GetAsync(string botNumber, string campaignId);

    [Alias("recipients")]
    Task<Page<CampaignRecipientStatus>> RecipientsAsync(string botNumber, string campaignId, int offset, int limit);
}
