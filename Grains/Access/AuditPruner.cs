using HorizonAI.Grains.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Access;

/// <summary>
/// Deletes audit entries older than the retention, a minute after the silo starts and then hourly. Every silo does
/// it; the deletes are the same, so more than one does no harm.
/// </summary>
public sealed partial class AuditPruner(IGrainFactory grains, TimeProvider time, ILogger<AuditPruner> logger)
    : PeriodicJob(time, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1))
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken) => LogPruned(await grains.GetGrain<IAuditLogGrain>(0).PruneAsync());

    protected override void Failed(Exception exception) => LogFailed(exception.GetType().Name, exception.Message);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Information, Message = "Audit log: {Count} entries past the retention deleted")]
    private partial void LogPruned(int count);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Audit log: pruning failed ({Error}: {Message}); tried again in an hour")]
    private partial void LogFailed(string error, string message);
}
