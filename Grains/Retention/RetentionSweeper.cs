using HorizonAI.Grains.Hosting;
using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Retention;

/// <summary>
/// Runs retention (<see cref="IRetentionGrain"/>) five minutes after the silo starts and then daily. Every silo does
/// it; the erasures skip rows another holds, so more than one does no harm.
/// </summary>
public sealed partial class RetentionSweeper(IGrainFactory grains, TimeProvider time, ILogger<RetentionSweeper> logger)
    : PeriodicJob(time, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1))
{
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var pass = await grains.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
        LogPass(pass.Bots, pass.Messages, pass.ToolCalls);
    }

    protected override void Failed(Exception exception) => LogFailed(exception.GetType().Name, exception.Message);

    [LoggerMessage(EventId = 2122, Level = LogLevel.Information, Message = "Retention: {Messages} message(s) and {ToolCalls} tool call(s) of {Bots} bot(s) erased")]
    private partial void LogPass(int bots, int messages, int toolCalls);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Warning, Message = "Retention failed ({Error}: {Message}); tried again tomorrow")]
    private partial void LogFailed(string error, string message);
}
