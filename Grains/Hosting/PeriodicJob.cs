using Microsoft.Extensions.Hosting;

namespace HorizonAI.Grains.Hosting;

/// <summary>
/// Work a silo does on a schedule of the application's clock: first <c>firstRun</c> after it starts, then every
/// <c>period</c>. A failed run is reported and the next one comes at its time; stopping the silo ends the schedule.
/// </summary>
public abstract class PeriodicJob(TimeProvider time, TimeSpan firstRun, TimeSpan period) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    /// <summary>Reports a run that failed (the next one comes at its time).</summary>
    protected abstract void Failed(Exception exception);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(firstRun, time, stoppingToken);
            using var timer = new PeriodicTimer(period, time);
            do
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(ex);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
