using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Access;

/// <summary>
/// Deletes audit entries older than the retention, a minute after the silo starts and then hourly. Every silo does
/// it; the deletes are the same, so more than one does no harm.
/// </summary>
public sealed partial class AuditPruner(IGrainFactory grains, TimeProvider time, ILogger<AuditPruner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(1), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
            do
            {
                try
                {
                    var pruned = await grains.GetGrain<IAuditLogGrain>(0).PruneAsync();
                    LogPruned(pruned);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogFailed(ex.GetType().Name, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Audit log: {Count} entries past the retention deleted")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Audit log: pruning failed ({Error}: {Message}); tried again in an hour")]
    private partial void LogFailed(string error, string message);
}
