namespace HorizonAI.Browser.Tests.Infrastructure;

/// <summary>Where the browser tests leave what a person may want to look at: <c>artifacts/screenshots/</c> at the repository root.</summary>
public static class Artifacts
{
    public static string ScreenshotsDirectory { get; } = Create();

    private static string Create()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HorizonAI.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? throw new InvalidOperationException("HorizonAI.Orleans.sln not found above the test output.");
        var screenshots = Path.Combine(root, "artifacts", "screenshots");
        Directory.CreateDirectory(screenshots);
        return screenshots;
    }
}
