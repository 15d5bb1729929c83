namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>Every watched process read at one <see cref="System.Diagnostics.Stopwatch"/> timestamp, in watch order, and the machine's busy CPU time.</summary>
public sealed record ProcessSample(long Timestamp, ProcessReading[] Readings, long MachineBusyTicks)
{
    /// <summary>CPU ticks the machine spent outside the watched processes (0 if /proc/stat was unreadable).</summary>
    public long OtherTicks => MachineBusyTicks == 0 ? 0 : MachineBusyTicks - Readings.Where(r => r.Alive).Sum(r => r.CpuTicks);
}
