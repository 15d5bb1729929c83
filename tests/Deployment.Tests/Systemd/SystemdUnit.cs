using HorizonAI.Deployment.Tests.Infrastructure;

namespace HorizonAI.Deployment.Tests.Systemd;

/// <summary>A systemd unit file as (section, key) → values; keys that repeat keep every value.</summary>
public sealed class SystemdUnit
{
    private readonly Dictionary<(string Section, string Key), List<string>> _entries;

    private SystemdUnit(string path, Dictionary<(string, string), List<string>> entries)
    {
        Path = path;
        _entries = entries;
    }

    public string Path { get; }

    public IReadOnlyList<string> All(string section, string key) =>
        _entries.TryGetValue((section, key), out var values) ? values : [];

    public string? Value(string section, string key) => All(section, key).LastOrDefault();

    public string Service(string key) =>
        Value("Service", key) ?? throw new Xunit.Sdk.XunitException($"{Path} sets no {key}= in [Service]");

    public static SystemdUnit Read(string relativePath)
    {
        var entries = new Dictionary<(string, string), List<string>>();
        var section = "";
        foreach (var raw in RepositoryRoot.ReadText(relativePath).Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{relativePath}: '{line}' is not key=value");
            var key = line[..equals].Trim();
            if (!entries.TryGetValue((section, key), out var values))
            {
                entries[(section, key)] = values = [];
            }

            values.Add(line[(equals + 1)..].Trim());
        }

        return new SystemdUnit(relativePath, entries);
    }
}
