using System.Globalization;

namespace HorizonAI.LoadGenerator.Cli;

/// <summary>
/// The options after the command name: <c>--name value</c> pairs and bare <c>--flag</c> switches. Every option must
/// be read by the command, so a mistyped name fails the run instead of silently falling back to a default.
/// </summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    private Arguments()
    {
    }

    public static Arguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length < 3)
            {
                throw new UsageException($"unexpected argument '{arg}' (options are --name value)");
            }

            var name = arg[2..];
            string? value = null;
            if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (!parsed._values.TryAdd(name, value))
            {
                throw new UsageException($"--{name} is given twice");
            }
        }

        return parsed;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new UsageException($"--{name} is required");

    public string? Optional(string name)
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var value))
        {
            return null;
        }

        return value ?? throw new UsageException($"--{name} needs a value");
    }

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        var value = Optional(name) is { } text ? ParseLong(name, text) : fallback;
        return value < min || value > max
            ? throw new UsageException($"--{name} must be between {min} and {max}")
            : (int)value;
    }

    public double Double(string name, double fallback, double min = double.MinValue, double max = double.MaxValue)
    {
        var value = fallback;
        if (Optional(name) is { } text && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
        {
            throw new UsageException($"--{name} must be a number, not '{text}'");
        }

        return value < min || value > max ? throw new UsageException($"--{name} must be between {min} and {max}") : value;
    }

    public bool Flag(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value)
            ? value is null ? true : throw new UsageException($"--{name} is a switch and takes no value")
            : false;
    }

    /// <summary>Fails on any option the command did not ask for.</summary>
    public void RejectUnknown()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).Select(k => "--" + k).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException("unknown option(s): " + string.Join(", ", unknown));
        }
    }

    private static long ParseLong(string name, string text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"--{name} must be a whole number, not '{text}'");
}
