using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Recovery;

/// <summary>
/// Once a silo is active, makes sure every sweep shard has its reminder and sweeps once: a cluster that starts after a
/// crash finds what the crash left open at once, rather than at the next tick.
/// </summary>
public sealed partial class InboxSweepStartup(IGrainFactory grains, ILogger<InboxSweepStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(InboxSweepStartup), ServiceLifecycleStage.Active, OnActiveAsync, _ => Task.CompletedTask);

    private Task OnActiveAsync(CancellationToken cancellationToken)
    {
        // Not awaited: the silo's start does not wait for the database or other silos' grains.
        _ = StartShardsAsync();
        return Task.CompletedTask;
    }

    private async Task StartShardsAsync()
    {
        for (var shard = 0; shard < IInboxSweepGrain.Shards; shard++)
        {
            try
            {
                await grains.GetGrain<IInboxSweepGrain>(shard).StartAsync();
            }
            catch (Exception ex)
            {
                // A reminder registered before keeps the shard going; a new one waits for the next silo start.
                LogStartFailed(ex, shard);
            }
        }
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Recovery sweep shard {Shard} could not be started; its earlier reminder, if any, keeps it going")]
    private partial void LogStartFailed(Exception exception, int shard);
}
