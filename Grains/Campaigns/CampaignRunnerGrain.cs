using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Recovery;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.ServiceDefaults.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Campaigns;

/// <summary>
/// Sends the campaigns of one bot number, oldest first, at its rate: every 100 ms a tenth of a second's worth of
/// pending recipients is handed to their conversations, each of which queues the template in the commit that marks its
/// recipient queued (so a recipient tried twice, after a lost answer or a crash, is queued once) and delivers it like
/// a reply. A recipient whose every try fails is failed after CAMPAIGN_MAX_ATTEMPTS tries, so that its campaign
/// finishes. Everything lives in the tables: while a campaign runs, a reminder brings the runner back after a restart.
/// </summary>
[Reentrant]
public sealed partial class CampaignRunnerGrain(
    ICampaignStore campaigns,
    IOptions<OutboundOptions> options,
    IOptions<RecoveryOptions> recovery,
    TimeProvider time,
    ILogger<CampaignRunnerGrain> logger) : Grain, ICampaignRunnerGrain, IRemindable
{
    private const string ReminderName = "campaigns";
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private const int MaxReasonLength = 500;

    private IGrainTimer? _timer;
    private bool _ticking;
    private int _created; // campaigns created by this activation: a stop decided before one of them is void
    private double _allowance;
    private DateTimeOffset _lastTick;

    private string BotNumber => this.GetPrimaryKeyString();

    /// <summary>The id of the number's bot now: campaigns belong to it (a later bot on the number has none of them).</summary>
    private async Task<string?> BotIdAsync() => (await GrainFactory.GetGrain<IBotGrain>(BotNumber).GetAsync())?.Id;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (await BotIdAsync() is { } botId && (await campaigns.NextPendingAsync(botId, 1)).Count > 0)
        {
            await KeepReminderAsync();
            Start();
        }
    }

    public async Task<bool> CreateAsync(CampaignRequest request)
    {
        if (await BotIdAsync() is not { } botId || !await campaigns.CreateAsync(botId, request))
        {
            return false;
        }

        _created++;
        LogCreated(BotNumber, request.Id, request.Recipients.Length, request.Template);
        await KeepReminderAsync();
        Start();
        return true;
    }

    public async Task<CampaignSummary?> CancelAsync(string campaignId)
    {
        var summary = await BotIdAsync() is { } botId ? await campaigns.CancelAsync(botId, campaignId, "canceled") : null;
        if (summary is not null)
        {
            LogCanceled(BotNumber, campaignId, summary.Canceled);
        }

        return summary;
    }

    public Task WakeAsync()
    {
        Start();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        Start();
        return Task.CompletedTask;
    }

    private void Start()
    {
        if (_timer is null)
        {
            _lastTick = time.GetUtcNow();
            _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Tick, Interleave = true, KeepAlive = true });
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (_ticking)
        {
            return;
        }

        _ticking = true;
        try
        {
            var bot = await GrainFactory.GetGrain<IBotGrain>(BotNumber).GetAsync();
            var rate = bot?.SendRatePerSecond ?? options.Value.RatePerSecond;
            var now = time.GetUtcNow();
            // A tenth of a second's worth per tick, its fraction carried to the next (so 15 a second is 1, 2, 1, 2…);
            // never a burst saved up while idle or behind: a late tick sends no more than an early one.
            _allowance = Math.Min(_allowance + rate * (now - _lastTick).TotalSeconds, Math.Max(1, Math.Ceiling(rate * Tick.TotalSeconds)));
            _lastTick = now;
            var count = (int)Math.Floor(_allowance);
            if (count < 1 || bot is not { Enabled: true })
            {
                return;
            }

            var next = await campaigns.NextPendingAsync(bot.Id!, count);
            if (next.Count == 0)
            {
                await StopIfDoneAsync();
                return;
            }

            _allowance -= next.Count;
            await Task.WhenAll(next.Select(recipient => QueueAsync(bot, recipient)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogTickFailed(ex, BotNumber);
        }
        finally
        {
            _ticking = false;
        }
    }

    private async Task QueueAsync(BotDefinition bot, PendingRecipient recipient)
    {
        if (bot.Template(recipient.Template) is not { } template)
        {
            await campaigns.CancelAsync(bot.Id!, recipient.CampaignId, "template_removed");
            LogTemplateGone(BotNumber, recipient.CampaignId, recipient.Template);
            return;
        }

        // Each recipient's message is a trace of its own, from its queueing to its delivery (its row keeps this span).
        using var span = HorizonTracing.StartFrom("horizonai.campaign.queue", null);
        span?.SetTag(HorizonTracing.BotTag, BotNumber);
        span?.SetTag(HorizonTracing.UserTag, PhoneMask.Mask(recipient.UserNumber));
        span?.SetTag("horizonai.campaign", recipient.CampaignId);
        try
        {
            await GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(BotNumber, bot.Id!, recipient.UserNumber)).SendTemplateAsync(new TemplateMessage
            {
                UserNumber = recipient.UserNumber,
                Template = template,
                Values = recipient.Values,
                SentBy = "campaign " + recipient.CampaignName,
                CampaignId = recipient.CampaignId,
                Position = recipient.Position,
            });
        }
        catch (Exception ex)
        {
            // Still pending (or queued, if only the answer was lost): the next tick tries it again, and the claim decides.
            LogQueueFailed(ex, BotNumber, recipient.CampaignId, recipient.Position);
            await CountFailedAttemptAsync(recipient, ex);
        }
    }

    /// <summary>
    /// A recipient that fails every try (the database refusing its row, say) is failed after CAMPAIGN_MAX_ATTEMPTS of
    /// them, with the fault as its reason, so that its campaign can finish. The count is in the table, so a restart
    /// does not start it again.
    /// </summary>
    private async Task CountFailedAttemptAsync(PendingRecipient recipient, Exception fault)
    {
        var maxAttempts = options.Value.MaxAttempts;
        var reason = $"not queued after {maxAttempts} attempts: {fault.GetBaseException().Message}";
        try
        {
            if (await campaigns.RecordFailedAttemptAsync(recipient.CampaignId, recipient.Position, reason[..Math.Min(reason.Length, MaxReasonLength)], maxAttempts))
            {
                LogRecipientFailed(BotNumber, recipient.CampaignId, recipient.Position, maxAttempts);
            }
        }
        catch (Exception ex)
        {
            // Not counted: the recipient is simply tried again at the next tick.
            LogTickFailed(ex, BotNumber);
        }
    }

    private async Task StopIfDoneAsync()
    {
        var created = _created;
        if ((await BotIdAsync() is { } botId && await campaigns.FinishAsync(botId) > 0) || created != _created)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (created != _created)
        {
            // A campaign came while the reminder was being removed: it needs both again.
            await KeepReminderAsync();
            Start();
            return;
        }

        LogIdle(BotNumber);
    }

    private Task KeepReminderAsync() =>
        this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromSeconds(recovery.Value.SweepSeconds), TimeSpan.FromSeconds(recovery.Value.SweepSeconds));

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Bot {BotNumber}: campaign {CampaignId} created for {Recipients} recipients with template {Template}")]
    private partial void LogCreated(string botNumber, string campaignId, int recipients, string template);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Bot {BotNumber}: campaign {CampaignId} canceled; {Canceled} recipients not sent to")]
    private partial void LogCanceled(string botNumber, string campaignId, int canceled);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Bot {BotNumber}: campaign tick failed; tried again at the next tick")]
    private partial void LogTickFailed(Exception exception, string botNumber);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Bot {BotNumber}: campaign {CampaignId} recipient {Position} not queued yet; tried again")]
    private partial void LogQueueFailed(Exception exception, string botNumber, string campaignId, int position);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "Bot {BotNumber}: campaign {CampaignId} canceled: its template {Template} is gone from the bot")]
    private partial void LogTemplateGone(string botNumber, string campaignId, string template);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Information, Message = "Bot {BotNumber}: no campaign running")]
    private partial void LogIdle(string botNumber);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "Bot {BotNumber}: campaign {CampaignId} recipient {Position} failed: not queued after {Attempts} attempts")]
    private partial void LogRecipientFailed(string botNumber, string campaignId, int position, int attempts);
}

/// <summary>Campaign reads for the admin API.</summary>
[StatelessWorker]
public sealed class CampaignDirectoryGrain(ICampaignStore campaigns) : Grain, ICampaignDirectoryGrain
{
    public async Task<CampaignSummary[]> ListAsync(string botNumber) =>
        await BotIdAsync(botNumber) is { } botId ? await campaigns.ListAsync(botId) : [];

    public async Task<CampaignSummary?> GetAsync(string botNumber, string campaignId) =>
        await BotIdAsync(botNumber) is { } botId ? await campaigns.GetAsync(botId, campaignId) : null;

    public async Task<Page<CampaignRecipientStatus>> RecipientsAsync(string botNumber, string campaignId, int offset, int limit) =>
        await BotIdAsync(botNumber) is { } botId ? await campaigns.RecipientsAsync(botId, campaignId, offset, limit) : new Page<CampaignRecipientStatus>([], 0, offset, limit);

    /// <summary>Campaigns belong to the id of the number's bot now.</summary>
    private async Task<string?> BotIdAsync(string botNumber) => (await GrainFactory.GetGrain<IBotGrain>(botNumber).GetAsync())?.Id;
}
