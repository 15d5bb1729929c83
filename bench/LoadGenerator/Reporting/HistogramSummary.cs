namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>A Prometheus histogram read back: its mean, and the upper bounds of the buckets holding its p50 and p99.</summary>
public sealed record HistogramSummary(double Count, double Mean, double? P50UpperBound, double? P99UpperBound);
