using HorizonAI.Grains.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Knowledge;

/// <summary>
/// Every <see cref="KnowledgeIndexOptions.SweepSeconds"/>, wakes the knowledge grain of each bot with a document whose
/// work is due (to index, to poll, to remove): a grain whose silo died comes back elsewhere and goes on from the
/// table. Every silo sweeps; a wake of a grain already on its work is a no-op, so more than one does no harm, and the
/// sweep needs nothing but the table to survive a crash.
/// </summary>
public sealed partial class KnowledgeSweeper(KnowledgeIndexStore store, IGrainFactory grains, IOptions<KnowledgeIndexOptions> options, TimeProvider clock,
    ILogger<KnowledgeSweeper> logger)
    : PeriodicJob(clock, TimeSpan.FromSeconds(options.Value.SweepSeconds), TimeSpan.FromSeconds(options.Value.SweepSeconds))
{
    /// <summary>The most bots one sweep wakes; the rest wait for the next.</summary>
    private const int WakeLimit = 1000;

    private readonly TimeProvider _clock = clock;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var bots = await store.FindDueBotsAsync(_clock.GetUtcNow(), WakeLimit, cancellationToken);
        await Task.WhenAll(bots.Select(WakeAsync));
    }

    private async Task WakeAsync(string botId)
    {
        try
        {
            await grains.GetGrain<IKnowledgeGrain>(botId).WakeAsync();
        }
        catch (Exception ex)
        {
            // The next sweep tries again.
            LogWakeFailed(botId, ex.GetType().Name);
        }
    }

    protected override void Failed(Exception exception) => LogFailed(exception.GetType().Name, exception.Message);

    [LoggerMessage(EventId = 2320, Level = LogLevel.Warning, Message = "Knowledge sweep could not wake the index of bot {BotId} ({Error}); trying again on the next sweep")]
    private partial void LogWakeFailed(string botId, string error);

    [LoggerMessage(EventId = 2321, Level = LogLevel.Warning, Message = "Knowledge sweep failed ({Error}: {Message}); trying again on the next sweep")]
    private partial void LogFailed(string error, string message);
}
