using System.Text.RegularExpressions;

namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>Facts read from the product's source text, so the manifests are checked against the code they deploy.</summary>
public static partial class ProductSource
{
    /// <summary>ASP.NET Core's default <c>HostOptions.ShutdownTimeout</c>, for an app that does not set its own.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The <c>HostOptions.ShutdownTimeout</c> a project sets, or ASP.NET Core's default.</summary>
    public static TimeSpan ShutdownTimeout(string project)
    {
        var settings = CSharpFiles(project)
            .SelectMany(f => ShutdownTimeoutPattern().Matches(File.ReadAllText(f)))
            .Select(m => TimeSpan.FromSeconds(int.Parse(m.Groups["seconds"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct()
            .ToList();
        Assert.True(settings.Count <= 1, $"{project} sets ShutdownTimeout to several values: {string.Join(", ", settings)}");
        return settings.Count == 1 ? settings[0] : DefaultShutdownTimeout;
    }

    /// <summary>Whether any C# file of a project (outside bin/obj) contains the text; the file it is in may move.</summary>
    public static bool Mentions(string project, string text) =>
        CSharpFiles(project).Any(f => File.ReadAllText(f).Contains(text, StringComparison.Ordinal));

    /// <summary>The <c>AssemblyName</c> of a project file, i.e. the DLL that <c>dotnet</c> runs.</summary>
    public static string AssemblyName(string projectFile)
    {
        var match = AssemblyNamePattern().Match(RepositoryRoot.ReadText(projectFile));
        Assert.True(match.Success, $"{projectFile} sets no AssemblyName");
        return match.Groups["name"].Value;
    }

    /// <summary>A project and every project it references, transitively, as repository-relative folders.</summary>
    public static IReadOnlyCollection<string> ProjectClosure(string projectFile)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([projectFile]);
        while (pending.TryPop(out var current))
        {
            if (!seen.Add(Path.GetDirectoryName(current)!.Replace('\\', '/')))
            {
                continue;
            }

            foreach (Match reference in ProjectReferencePattern().Matches(RepositoryRoot.ReadText(current)))
            {
                var absolute = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryRoot.Combine(current))!, reference.Groups["path"].Value.Replace('\\', '/')));
                pending.Push(RepositoryRoot.Relative(absolute));
            }
        }

        return seen;
    }

    private static IEnumerable<string> CSharpFiles(string project) =>
        Directory.EnumerateFiles(RepositoryRoot.Combine(project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    [GeneratedRegex(@"ShutdownTimeout\s*=\s*TimeSpan\.FromSeconds\((?<seconds>\d+)\)")]
    private static partial Regex ShutdownTimeoutPattern();

    [GeneratedRegex(@"<AssemblyName>(?<name>[^<]+)</AssemblyName>")]
    private static partial Regex AssemblyNamePattern();

    [GeneratedRegex(@"<ProjectReference\s+Include=""(?<path>[^""]+)""")]
    private static partial Regex ProjectReferencePattern();
}
