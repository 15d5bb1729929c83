using System.Diagnostics;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>Prints what has been sent and answered every few seconds while a load runs, so a stuck run shows.</summary>
public sealed class ProgressPrinter : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProgressPrinter(SendLog log, TextWriter output, TimeSpan interval)
    {
        var started = Stopwatch.GetTimestamp();
        _loop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                {
                    var completed = log.Completed;
                    await output.WriteLineAsync(
                        $"[{Stopwatch.GetElapsedTime(started).TotalSeconds,4:F0} s] {completed} webhook request(s) completed");
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
