using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Recovery;

/// <summary>
/// One shard of the recovery sweep. Its reminder ticks every <see cref="RecoveryOptions.SweepSeconds"/> on whichever
/// silo owns it (Orleans moves reminders off a dead silo), and each tick wakes the conversations of the shard whose
/// rows have stayed open longer than <see cref="RecoveryOptions.MinAgeSeconds"/>, and those in human mode whose bot's
/// auto-resume time has passed or whose handoff notice is unsent. A conversation whose activation is
/// on its work takes the wake as a no-op; one whose silo died activates elsewhere and reads its work from the table.
/// </summary>
public sealed partial class InboxSweepGrain(IMessageStore messages, IOptions<RecoveryOptions> options, HorizonMetrics metrics, TimeProvider time,
    ILogger<InboxSweepGrain> logger)
    : Grain, IInboxSweepGrain, IRemindable
{
    private const string ReminderName = "sweep";

    /// <summary>The most conversations one tick wakes; the rest wait for the next.</summary>
    private const int WakeLimit = 1000;

    private int Shard => (int)this.GetPrimaryKeyLong();

    public async Task StartAsync()
    {
        var period = TimeSpan.FromSeconds(options.Value.SweepSeconds);
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
        await SweepAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => SweepAsync();

    private async Task SweepAsync()
    {
        var before = time.GetUtcNow() - TimeSpan.FromSeconds(options.Value.MinAgeSeconds);
        var pending = await messages.FindPendingAsync(Shard, IInboxSweepGrain.Shards, before, time.GetUtcNow(), WakeLimit);
        foreach (var bot in pending.GroupBy(p => p.BotNumber, StringComparer.Ordinal))
        {
            LogWaking(bot.Key, bot.Count(), Shard);
            metrics.RecoveryWakes(bot.Key, bot.Count());
        }

        await Task.WhenAll(pending.Select(WakeAsync));
        metrics.RecoverySweep(Shard);
    }

    private async Task WakeAsync(PendingConversation conversation)
    {
        try
        {
            await GrainFactory.GetGrain<IConversationGrain>(ConversationKey.For(conversation.BotNumber, conversation.BotId, conversation.UserNumber)).WakeAsync(conversation.UserNumber);
        }
        catch (Exception ex)
        {
            // The next tick tries again.
            LogWakeFailed(conversation.BotNumber, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Bot {BotNumber}: recovery sweep woke {Count} conversation(s) with open work (shard {Shard})")]
    private partial void LogWaking(string botNumber, int count, int shard);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Bot {BotNumber}: recovery sweep could not wake a conversation ({Error}); trying again on the next tick")]
    private partial void LogWakeFailed(string botNumber, string error);
}
