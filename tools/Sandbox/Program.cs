using HorizonAI.Sandbox.Diagnostics;

namespace HorizonAI.Sandbox;

/// <summary>
/// The sandbox as its own process, for local "sandbox mode". A named class rather than top-level statements:
/// test projects reference both this and the Gateway, and two public global <c>Program</c> types would collide.
/// </summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        await using var app = SandboxServer.Build(args, ListenUrl(args));
        await app.StartAsync();
        SandboxLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SandboxLog.ServerCategory), app.BaseUrl());
        await app.WaitForShutdownAsync();
    }

    /// <summary><c>--urls</c> first (the usual ASP.NET Core switch), then <c>PORT</c> (what hosting platforms set), then the default.</summary>
    private static string ListenUrl(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls;
        }

        return Environment.GetEnvironmentVariable("PORT") is { Length: > 0 } port
            ? $"http://127.0.0.1:{port}"
            : SandboxServer.DefaultUrl;
    }
}
