using System.Diagnostics;
using HorizonAI.LoadGenerator.Metrics;
using HorizonAI.LoadGenerator.Results;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>Cuts the run into equal slices and says what happened in each (see <see cref="TimelineRow"/>).</summary>
public static class TimelineBuilder
{
    /// <summary>The <see cref="TimelineRow.CpuPercent"/> key for everything on the machine the benchmark did not start.</summary>
    public const string OtherProcesses = "other processes";

    public static List<TimelineRow> Build(
        SendLog log,
        long origin,
        long end,
        double sliceSeconds,
        IReadOnlyList<long> replyTimestamps,
        ProcessWatch watch,
        double clockTicksPerSecond)
    {
        var slice = (long)(sliceSeconds * Stopwatch.Frequency);
        var count = (int)Math.Max(1, Math.Ceiling((end - origin) / (double)slice));
        var sent = new long[count];
        var ok = new long[count];
        var answered = new long[count];
        var acks = new HdrHistogram.LongHistogram?[count];
        for (long i = 0; i < log.Count; i++)
        {
            if (log.Answered[i] == 0 || Index(log.Intended[i]) is not { } at)
            {
                continue;
            }

            sent[at]++;
            if (log.Status[i] == 200)
            {
                ok[at]++;
                LatencySummary.Record(acks[at] ??= LatencySummary.NewHistogram(), LoadAnalysis.Micros(log.Answered[i] - log.Intended[i]));
            }
        }

        foreach (var reply in replyTimestamps)
        {
            if (Index(reply) is { } at)
            {
                answered[at]++;
            }
        }

        var samples = watch.Samples;
        var rows = new List<TimelineRow>(count);
        for (var k = 0; k < count; k++)
        {
            var from = origin + (k * slice);
            var to = Math.Min(end, from + slice);
            var first = LastAtOrBefore(samples, from);
            var last = LastAtOrBefore(samples, to);
            var cpu = new Dictionary<string, double>(StringComparer.Ordinal);
            var rss = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var p = 0; p < watch.Processes.Count; p++)
            {
                var name = watch.Processes[p].Name;
                if (first is not null && last is not null && last.Timestamp > first.Timestamp)
                {
                    var seconds = (last.Timestamp - first.Timestamp) / (double)Stopwatch.Frequency;
                    cpu[name] = Math.Round((last.Readings[p].CpuTicks - first.Readings[p].CpuTicks) / clockTicksPerSecond / seconds * 100, 1);
                }

                if (last is not null)
                {
                    rss[name] = ProcessCost.MiB(last.Readings[p].RssKiB);
                }
            }

            if (first is not null && last is not null && last.Timestamp > first.Timestamp && last.MachineBusyTicks > 0)
            {
                var seconds = (last.Timestamp - first.Timestamp) / (double)Stopwatch.Frequency;
                cpu[OtherProcesses] = Math.Round(Math.Max(0, last.OtherTicks - first.OtherTicks) / clockTicksPerSecond / seconds * 100, 1);
            }

            rows.Add(new TimelineRow(
                Math.Round((from - origin) / (double)Stopwatch.Frequency, 1),
                Math.Round((to - origin) / (double)Stopwatch.Frequency, 1),
                sent[k],
                ok[k],
                acks[k] is { } histogram ? LatencySummary.From(histogram)?.P99 : null,
                answered[k],
                cpu,
                rss));
        }

        return rows;

        int? Index(long timestamp) =>
            timestamp < origin || timestamp > end ? null : (int)Math.Min(count - 1, (timestamp - origin) / slice);
    }

    private static ProcessSample? LastAtOrBefore(IReadOnlyList<ProcessSample> samples, long timestamp)
    {
        ProcessSample? found = null;
        foreach (var sample in samples)
        {
            if (sample.Timestamp <= timestamp)
            {
                found = sample;
            }
        }

        return found ?? (samples.Count > 0 ? samples[0] : null);
    }
}
