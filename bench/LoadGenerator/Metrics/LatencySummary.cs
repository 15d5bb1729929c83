using HdrHistogram;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>Percentiles of a latency distribution, in milliseconds, from an HdrHistogram recorded in microseconds.</summary>
public sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public const long HighestMicros = 30L * 60 * 1_000_000;

    public static LongHistogram NewHistogram() => new(1, HighestMicros, 3);

    /// <summary>Records a value in microseconds, clamped to the histogram's range (1 µs – 30 min).</summary>
    public static void Record(LongHistogram histogram, double micros) =>
        histogram.RecordValue(Math.Clamp((long)Math.Round(micros), 1, HighestMicros));

    public static LatencySummary? From(LongHistogram histogram) =>
        histogram.TotalCount == 0
            ? null
            : new LatencySummary(
                histogram.TotalCount,
                Ms(histogram.GetMean()),
                Ms(histogram.GetValueAtPercentile(50)),
                Ms(histogram.GetValueAtPercentile(90)),
                Ms(histogram.GetValueAtPercentile(99)),
                Ms(histogram.GetValueAtPercentile(99.9)),
                Ms(histogram.GetMaxValue()));

    private static double Ms(double micros) => Math.Round(micros / 1000.0, 2);
}
