using System.Diagnostics;

namespace HorizonAI.LoadGenerator.Load;

/// <summary>
/// Maps <see cref="Stopwatch"/> timestamps (monotonic, precise) to UTC, from one anchor taken at the start, so they
/// can be compared with the times the sandbox stamps on the replies it receives (same machine, same clock).
/// </summary>
public sealed class WallClock
{
    private readonly long _anchorTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _anchorUtc = DateTimeOffset.UtcNow;

    public DateTimeOffset ToUtc(long timestamp) =>
        _anchorUtc.AddTicks((long)((timestamp - _anchorTimestamp) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency));

    public long ToTimestamp(DateTimeOffset utc) =>
        _anchorTimestamp + (long)((utc - _anchorUtc).Ticks * (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond);
}
