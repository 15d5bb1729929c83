using System.Globalization;

namespace HorizonAI.LoadGenerator.Reporting;

/// <summary>
/// Just enough of the Prometheus text format to read a few series from the product's <c>/metrics</c>: gauges and
/// counters summed over their label sets, histograms merged over theirs.
/// </summary>
public sealed class PrometheusText
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    private PrometheusText()
    {
    }

    public bool IsEmpty => _samples.Count == 0;

    public static PrometheusText Parse(string? text)
    {
        var parsed = new PrometheusText();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            var name = brace < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..brace];
            var labels = brace < 0 || close < brace ? [] : Labels(line[(brace + 1)..close]);
            var rest = (close < 0 ? line[name.Length..] : line[(close + 1)..]).Trim().Split(' ')[0];
            if (double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                parsed._samples.Add((name, labels, value));
            }
        }

        return parsed;
    }

    /// <summary>The sum of <paramref name="name"/> over the label sets that have every given label; null when none do.</summary>
    public double? Sum(string name, params (string Label, string Value)[] where)
    {
        var matching = _samples.Where(s => s.Name == name && where.All(w => s.Labels.GetValueOrDefault(w.Label) == w.Value)).ToList();
        return matching.Count == 0 ? null : matching.Sum(s => s.Value);
    }

    /// <summary>A histogram merged over its label sets (filtered as in <see cref="Sum"/>); null when absent or empty.</summary>
    public HistogramSummary? Histogram(string name, params (string Label, string Value)[] where)
    {
        var count = Sum(name + "_count", where);
        var sum = Sum(name + "_sum", where);
        if (count is not > 0 || sum is null)
        {
            return null;
        }

        var buckets = _samples
            .Where(s => s.Name == name + "_bucket" && where.All(w => s.Labels.GetValueOrDefault(w.Label) == w.Value))
            .GroupBy(s => s.Labels.GetValueOrDefault("le", ""))
            .Select(g => (UpperBound: g.Key == "+Inf" ? double.PositiveInfinity : double.Parse(g.Key, CultureInfo.InvariantCulture), Count: g.Sum(s => s.Value)))
            .OrderBy(b => b.UpperBound)
            .ToList();
        double? Quantile(double q) => buckets.FirstOrDefault(b => b.Count >= q * count.Value) is { Count: > 0 } bucket ? bucket.UpperBound : null;
        return new HistogramSummary(count.Value, sum.Value / count.Value, Quantile(0.5), Quantile(0.99));
    }

    private static Dictionary<string, string> Labels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            var equals = text.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= text.Length || text[equals + 1] != '"')
            {
                break;
            }

            var end = equals + 2;
            while (end < text.Length && !(text[end] == '"' && text[end - 1] != '\\'))
            {
                end++;
            }

            labels[text[i..equals].Trim()] = text[(equals + 2)..Math.Min(end, text.Length)];
            i = end + 2; // past the closing quote and the comma
        }

        return labels;
    }
}
