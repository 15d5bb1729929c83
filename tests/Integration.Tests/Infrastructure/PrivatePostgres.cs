using System.Diagnostics;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL server of the test's own (through scripts/postgres.sh), so that a test can restart it without
/// disturbing the others that share the suite's server.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "horizonai-pg-" + Guid.NewGuid().ToString("N")[..8]);

    private PrivatePostgres(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=5;Command Timeout=30";

    public static async Task<PrivatePostgres> StartAsync()
    {
        var server = new PrivatePostgres(ProductProcess.FreePort());
        Directory.CreateDirectory(server._directory);
        if (!OperatingSystem.IsWindows())
        {
            // The server runs as the postgres user when we are root, so it must be able to enter this folder.
            File.SetUnixFileMode(server._directory, (UnixFileMode)0b111_101_101);
        }
        await server.RunAsync($"PG_FSYNC=off pg_start '{server._directory}/data' {server.Port}");
        return server;
    }

    public Task StopAsync() => RunAsync($"pg_stop '{_directory}/data'");

    public Task StartAgainAsync() => RunAsync($"PG_FSYNC=off pg_start '{_directory}/data' {Port}");

    private async Task RunAsync(string command)
    {
        var script = Path.Combine(ProductProcess.RepositoryRoot, "scripts", "postgres.sh");
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"source '{script}' && {command}");
        using var process = Process.Start(info)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{command}' failed ({process.ExitCode}): {errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
