namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// Loads the operator's single <c>.env</c> file (one file of shared credentials for every client).
/// Variables already set in the environment win, so systemd, Kubernetes and tests can override the file.
/// </summary>
public static class EnvironmentFile
{
    public static void LoadFromWorkingDirectory()
    {
        var path = Path.Combine(Directory.GetCurrentDirectory(), ".env");
        if (File.Exists(path))
        {
            DotNetEnv.Env.NoClobber().Load(path);
        }
    }
}
