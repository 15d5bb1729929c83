using System.Globalization;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>
/// The whole machine's busy CPU time from the first line of <c>/proc/stat</c>, in the same clock ticks as a process's:
/// what the watched processes did not use of it was used by something else on the machine.
/// </summary>
public static class MachineCpu
{
    /// <summary>user + nice + system + irq + softirq + steal, summed over all cores; 0 when unreadable.</summary>
    public static long BusyTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 9 || fields[0] != "cpu")
            {
                return 0;
            }

            long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
            return Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }
}
