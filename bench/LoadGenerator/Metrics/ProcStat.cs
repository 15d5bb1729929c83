using System.Globalization;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>
/// One reading of a Linux process from <c>/proc/&lt;pid&gt;/stat</c> and <c>/proc/&lt;pid&gt;/status</c>: CPU time
/// in clock ticks (user + system, and that of its reaped children), and memory in KiB.
/// </summary>
public sealed record ProcStat(int Pid, int ParentPid, long CpuTicks, long ReapedChildrenCpuTicks, long RssKiB, long PeakRssKiB, long AnonRssKiB)
{
    public static ProcStat? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");

            // The command name (field 2) is in parentheses and may itself contain spaces or parentheses.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);

            long rss = 0, peak = 0, anon = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = KiB(line);
                }
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    peak = KiB(line);
                }
                else if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    anon = KiB(line);
                }
            }

            return new ProcStat(pid, (int)Field(4), Field(14) + Field(15), Field(16) + Field(17), rss, peak, anon);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null; // gone, or not ours to read
        }
    }

    /// <summary>The processes whose parent is <paramref name="pid"/> (e.g. PostgreSQL's backends under the postmaster).</summary>
    public static IEnumerable<ProcStat> ChildrenOf(int pid)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && candidate != pid
                && Read(candidate) is { } child
                && child.ParentPid == pid)
            {
                yield return child;
            }
        }
    }

    private static long KiB(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
