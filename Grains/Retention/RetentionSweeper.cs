using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HorizonAI.Grains.Retention;

/// <summary>
/// Runs retention (<see cref="IRetentionGrain"/>) five minutes after the silo starts and then daily. Every silo does
/// it; the erasures skip rows another holds, so more than one does no harm.
/// </summary>
public sealed partial class RetentionSweeper(IGrainFactory grains, TimeProvider time, ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMinutes(5), time, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromDays(1), time);
            do
            {
                try
                {
                    var pass = await grains.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
                    LogPass(pass.Bots, pass.Messages);
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

    [LoggerMessage(EventId = 2122, Level = LogLevel.Information, Message = "Retention: {Messages} message(s) of {Bots} bot(s) erased")]
    private partial void LogPass(int bots, int messages);

    [LoggerMessage(EventId = 2123, Level = LogLevel.Warning, Message = "Retention failed ({Error}: {Message}); tried again tomorrow")]
    private partial void LogFailed(string error, string message);
}
