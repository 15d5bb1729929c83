namespace HorizonAI.Deployment.Tests.Infrastructure;

/// <summary>The checkout these tests run from: the folder holding <c>HorizonAI.Orleans.sln</c>.</summary>
public static class RepositoryRoot
{
    private const string SolutionFile = "HorizonAI.Orleans.sln";

    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    /// <summary>The absolute path of a file or folder given relative to the repository root with '/'.</summary>
    public static string Combine(string relative) =>
        System.IO.Path.Combine([Path, .. relative.Split('/')]);

    public static string ReadText(string relative)
    {
        var path = Combine(relative);
        Assert.True(File.Exists(path), $"{relative} does not exist");
        return File.ReadAllText(path);
    }

    /// <summary>A path relative to the root with '/' separators, for messages.</summary>
    public static string Relative(string absolute) =>
        System.IO.Path.GetRelativePath(Path, absolute).Replace('\\', '/');

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}: run the tests from a checkout.");
    }
}
