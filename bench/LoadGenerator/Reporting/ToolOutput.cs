using System.Globalization;
using System.Text.RegularExpressions;

namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>The figures the report needs from the text other tools print (pgbench, wrk) and from key=value files.</summary>
public static partial class ToolOutput
{
    /// <summary>pgbench's <c>tps = 6832.1 (without initial connection time)</c>.</summary>
    public static double? PgbenchTps(string? text) => Number(text, PgbenchTpsPattern());

    /// <summary>pgbench's <c>latency average = 1.171 ms</c>.</summary>
    public static double? PgbenchLatencyMs(string? text) => Number(text, PgbenchLatencyPattern());

    /// <summary>wrk's <c>Requests/sec:  40123.45</c>.</summary>
    public static double? WrkRequestsPerSecond(string? text) => Number(text, WrkRatePattern());

    /// <summary>A line of wrk's <c>--latency</c> distribution, e.g. <c>99%</c>, in milliseconds.</summary>
    public static double? WrkPercentileMs(string? text, string percentile)
    {
        if (text is null)
        {
            return null;
        }

        var match = Regex.Match(text, @"^\s*" + Regex.Escape(percentile) + @"\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant);
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    /// <summary><c>key=value</c> lines; blank lines and <c>#</c> comments are skipped.</summary>
    public static Dictionary<string, string> KeyValues(string? text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in (text ?? "").Split('\n'))
        {
            var trimmed = line.Trim();
            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (trimmed.Length == 0 || trimmed.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            values[trimmed[..equals].Trim()] = trimmed[(equals + 1)..].Trim();
        }

        return values;
    }

    /// <summary>Tab-separated rows (psql <c>-At -F '\t'</c>), skipping blank lines and psql's own messages.</summary>
    public static List<string[]> Rows(string? text, int columns) =>
        (text ?? "").Split('\n')
            .Select(line => line.TrimEnd('\r').Split('\t'))
            .Where(fields => fields.Length == columns)
            .ToList();

    private static double? Number(string? text, Regex pattern) =>
        text is not null && pattern.Match(text) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"^tps = ([0-9.]+) \(without initial connection time\)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PgbenchTpsPattern();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PgbenchLatencyPattern();

    [GeneratedRegex(@"^Requests/sec:\s+([0-9.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex WrkRatePattern();
}
