namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>A watched process (or tree) at one instant.</summary>
/// <param name="CpuTicks">Cumulative CPU time (user + system) in clock ticks; for a tree, of the live members and the reaped children.</param>
/// <param name="RssKiB">Resident memory now: VmRSS, or for a tree the sum of its members' anonymous RSS.</param>
/// <param name="PeakRssKiB">VmHWM, the kernel's high-water mark of resident memory (0 for a tree).</param>
public sealed record ProcessReading(bool Alive, long CpuTicks, long RssKiB, long PeakRssKiB)
{
    public static ProcessReading Of(WatchedProcess process)
    {
        if (ProcStat.Read(process.Pid) is not { } root)
        {
            return new ProcessReading(false, 0, 0, 0);
        }

        if (!process.Tree)
        {
            return new ProcessReading(true, root.CpuTicks, root.RssKiB, root.PeakRssKiB);
        }

        var cpu = root.CpuTicks + root.ReapedChildrenCpuTicks;
        var rss = root.AnonRssKiB;
        foreach (var child in ProcStat.ChildrenOf(process.Pid))
        {
            cpu += child.CpuTicks + child.ReapedChildrenCpuTicks;
            rss += child.AnonRssKiB;
        }

        return new ProcessReading(true, cpu, rss, 0);
    }
}
