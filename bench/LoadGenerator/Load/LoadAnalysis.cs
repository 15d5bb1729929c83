using System.Diagnostics;
using System.Globalization;
using HorizonAI.LoadGenerator.Metrics;
using HorizonAI.LoadGenerator.Results;
using HorizonAI.LoadGenerator.Webhooks;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>Turns a <see cref="SendLog"/> into <see cref="LoadFigures"/>.</summary>
public static class LoadAnalysis
{
    public static LoadFigures Summarize(SendLog log, string mode, double targetRate, int concurrency)
    {
        var open = mode == LoadModes.Open;
        var ack = LatencySummary.NewHistogram();
        var lag = LatencySummary.NewHistogram();
        var statuses = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long ok = 0, firstSend = long.MaxValue, lastSend = long.MinValue, lastAnswer = long.MinValue;
        var sent = log.Count;
        for (long i = 0; i < sent; i++)
        {
            if (log.Answered[i] == 0)
            {
                continue; // never completed (the run was cancelled)
            }

            var status = log.Status[i];
            var key = status switch
            {
                WebhookSender.TransportError => "transport error",
                WebhookSender.TimedOut => "timed out",
                _ => status.ToString(CultureInfo.InvariantCulture),
            };
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
            if (status == 200)
            {
                ok++;
                LatencySummary.Record(ack, Micros(log.Answered[i] - log.Intended[i]));
            }

            if (open)
            {
                LatencySummary.Record(lag, Micros(log.Started[i] - log.Intended[i]));
            }

            var sendTime = open ? log.Intended[i] : log.Started[i];
            firstSend = Math.Min(firstSend, sendTime);
            lastSend = Math.Max(lastSend, sendTime);
            lastAnswer = Math.Max(lastAnswer, log.Answered[i]);
        }

        if (firstSend == long.MaxValue)
        {
            return new LoadFigures(mode, targetRate, concurrency, sent, 0, new(statuses), 0, 0, 0, 0, null, null);
        }

        // n messages on a fixed schedule span (n - 1) intervals; count the last interval so that the offered rate
        // of a schedule kept perfectly equals its target.
        var schedule = Seconds(lastSend - firstSend) + (open ? 1 / targetRate : 0);
        var window = Seconds(lastAnswer - firstSend);
        return new LoadFigures(
            mode,
            targetRate,
            concurrency,
            sent,
            ok,
            new Dictionary<string, long>(statuses),
            Math.Round(schedule, 3),
            schedule > 0 ? Math.Round(sent / schedule, 1) : 0,
            Math.Round(window, 3),
            window > 0 ? Math.Round(ok / window, 1) : 0,
            LatencySummary.From(ack),
            open ? LatencySummary.From(lag) : null);
    }

    public static double Micros(long stopwatchTicks) => stopwatchTicks * 1_000_000.0 / Stopwatch.Frequency;

    private static double Seconds(long stopwatchTicks) => stopwatchTicks / (double)Stopwatch.Frequency;
}
