using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Browser.Tests.Infrastructure;

/// <summary>Where the browser tests leave what a person may want to look at: <c>artifacts/screenshots/</c> at the repository root.</summary>
public static class Artifacts
{
    public static string ScreenshotsDirectory { get; } = Directory.CreateDirectory(
        Path.Combine(ProductProcess.RepositoryRoot, "artifacts", "screenshots")).FullName;
}
