using System.Globalization;

namespace HorizonAI.LoadGenerator.Metrics;

/// <summary>
/// A process the harness started and wants measured. With <see cref="Tree"/> its direct children count too (the
/// PostgreSQL postmaster and its backends), memory then being the sum of their private (anonymous) RSS.
/// </summary>
public sealed record WatchedProcess(string Name, int Pid, bool Tree)
{
    /// <summary>Parses <c>silo=123,gateway=456,postgres=789+</c> (a trailing <c>+</c> means "with its children").</summary>
    public static List<WatchedProcess> ParseList(string? text)
    {
        var list = new List<WatchedProcess>();
        foreach (var item in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = item.Split('=', 2);
            var tree = parts.Length == 2 && parts[1].EndsWith('+');
            var pidText = parts.Length == 2 ? parts[1].TrimEnd('+') : "";
            if (parts.Length != 2 || parts[0].Length == 0 || !int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                throw new Cli.UsageException($"--pids takes name=pid[+],… (e.g. silo=123,postgres=456+), not '{item}'");
            }

            list.Add(new WatchedProcess(parts[0], pid, tree));
        }

        return list;
    }
}
