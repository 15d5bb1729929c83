using System.Diagnostics;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>
/// Reads the watched processes from <c>/proc</c> once a second (and on demand), keeping every reading so CPU use
/// can be shown over time and the highest resident memory seen is known.
/// </summary>
public sealed class ProcessWatch : IAsyncDisposable
{
    private readonly List<WatchedProcess> _processes;
    private readonly List<ProcessSample> _samples = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ProcessWatch(IEnumerable<WatchedProcess> processes, TimeSpan interval)
    {
        _processes = processes.ToList();
        Sample();
        _loop = LoopAsync(interval);
    }

    public IReadOnlyList<WatchedProcess> Processes => _processes;

    public IReadOnlyList<ProcessSample> Samples
    {
        get { lock (_gate) { return _samples.ToList(); } }
    }

    public ProcessSample Sample()
    {
        var sample = new ProcessSample(Stopwatch.GetTimestamp(), _processes.Select(ProcessReading.Of).ToArray(), MachineCpu.BusyTicks());
        lock (_gate)
        {
            _samples.Add(sample);
        }

        return sample;
    }

    /// <summary>The highest RSS any reading saw for process <paramref name="index"/>.</summary>
    public long MaxSampledRssKiB(int index)
    {
        lock (_gate)
        {
            return _samples.Count == 0 ? 0 : _samples.Max(s => s.Readings[index].RssKiB);
        }
    }

    private async Task LoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
