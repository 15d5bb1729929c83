using System.Diagnostics.Metrics;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The product's metrics (<see cref="HorizonMetrics"/>) as the hosts of one test system record them, so that a test
/// proves that something did not happen by waiting for the event that settles it (a whole recovery sweep, a retry, an
/// abandoned attempt's end) instead of sleeping. Other test classes run their own clusters in the same process, each
/// host with its own meters: only the measurements of meters made by these hosts' meter factories count.
/// </summary>
public sealed class RecordedMetrics : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly Func<IEnumerable<IServiceProvider>> _hosts;
    private readonly HashSet<object> _ours = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(object Scope, string Instrument, string Tags), Sum> _sums = [];
    private readonly MeterListener _listener = new();

    /// <param name="hosts">The hosts whose metrics count, asked again at every reading (silos come and go).</param>
    public RecordedMetrics(Func<IEnumerable<IServiceProvider>> hosts)
    {
        _hosts = hosts;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == HorizonMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(Record);
        _listener.Start();
    }

    /// <summary>The silos of an in-process cluster (those killed since stay counted).</summary>
    public static IEnumerable<IServiceProvider> Silos(IEnumerable<Orleans.TestingHost.SiloHandle> silos) =>
        silos.OfType<Orleans.TestingHost.InProcessSiloHandle>().Select(silo => silo.ServiceProvider);

    /// <summary>The total of <paramref name="instrument"/> over the measurements carrying every one of <paramref name="tags"/>.</summary>
    public long Total(string instrument, params (string Key, string Value)[] tags)
    {
        var ours = Ours();
        lock (_sums)
        {
            return _sums.Values.Where(s => s.Instrument == instrument && ours.Contains(s.Scope)
                    && tags.All(t => s.Tags.Contains(new KeyValuePair<string, string>(t.Key, t.Value))))
                .Sum(s => s.Total);
        }
    }

    /// <summary>
    /// Waits until every shard of the recovery sweep has completed <paramref name="sweeps"/> more sweeps. After two,
    /// every shard has run one whole sweep (looked at the table, woken what it found) that began after this call.
    /// </summary>
    public async Task WaitForSweepsAsync(int sweeps)
    {
        var before = SweepsPerShard();
        await Eventually.WaitAsync(() => Task.FromResult(SweepsPerShard()),
            now => now.Zip(before).All(shard => shard.First >= shard.Second + sweeps), Patience,
            $"{sweeps} more sweep(s) of every shard (before: {string.Join(", ", before)})");
    }

    /// <summary>
    /// The conversations of <paramref name="bot"/> that whole sweeps of every shard, all begun after this call, found
    /// open and woke. Any sweep under way when it is called is let finish first, so that a wake it was about to count
    /// for work that has since settled is not taken for a later sweep's.
    /// </summary>
    public async Task<long> WakesInWholeSweepsAsync(string bot)
    {
        await WaitForSweepsAsync(1);
        var before = Total("horizonai.recovery.wakes", ("bot", bot));
        await WaitForSweepsAsync(2);
        return Total("horizonai.recovery.wakes", ("bot", bot)) - before;
    }

    public void Dispose() => _listener.Dispose();

    private long[] SweepsPerShard() =>
        [.. Enumerable.Range(0, IInboxSweepGrain.Shards).Select(shard => Total("horizonai.recovery.sweeps", ("shard", shard.ToString(System.Globalization.CultureInfo.InvariantCulture))))];

    /// <summary>The meter factories of the hosts, kept once seen, so that a silo killed since still counts for what it did.</summary>
    private HashSet<object> Ours()
    {
        lock (_ours)
        {
            foreach (var host in _hosts())
            {
                if (host.GetService<IMeterFactory>() is { } factory)
                {
                    _ours.Add(factory);
                }
            }

            return new HashSet<object>(_ours, ReferenceEqualityComparer.Instance);
        }
    }

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Meter.Scope is not { } scope)
        {
            return;
        }

        var pairs = new KeyValuePair<string, string>[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            pairs[i] = new(tags[i].Key, Convert.ToString(tags[i].Value, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        }

        lock (_sums)
        {
            var key = (scope, instrument.Name, string.Join('\n', pairs));
            if (!_sums.TryGetValue(key, out var sum))
            {
                _sums.Add(key, sum = new Sum(scope, instrument.Name, pairs));
            }

            sum.Total += value;
        }
    }

    private sealed class Sum(object scope, string instrument, KeyValuePair<string, string>[] tags)
    {
        public object Scope { get; } = scope;

        public string Instrument { get; } = instrument;

        public KeyValuePair<string, string>[] Tags { get; } = tags;

        public long Total { get; set; }
    }
}
