using System.Collections.Concurrent;
using System.Diagnostics;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>A real Silo or Gateway process started from its build output, with its output kept for assertions.</summary>
public sealed class ProductProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private ProductProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public string Name { get; }

    public int Id => _process.Id;

    /// <summary>The process's HTTP port (health, metrics), when the harness chose it.</summary>
    public int HttpPort { get; set; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts <c>dotnet HorizonAI.{project}.dll</c> with exactly the given settings on top of a clean environment.</summary>
    public static ProductProcess Start(string project, string name, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var dll = Path.Combine(RepositoryRoot, project, "bin", BuildConfiguration, "net10.0", $"HorizonAI.{project}.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build {project} first ({dll} is missing).");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        RemoveProductSettings(info.Environment);

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new ProductProcess(name, process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host._lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host._lines.Enqueue("[stderr] " + e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// Removes from a child's environment every product setting the test run itself may carry (credentials, ports,
    /// storage, log format…), so that a process sees only what its test gives it.
    /// </summary>
    public static void RemoveProductSettings(IDictionary<string, string?> environment)
    {
        string[] prefixes = ["ORLEANS_", "TWILIO_", "OPENAI_", "HORIZONAI_", "WEBHOOK_", "UPSTREAM_", "ADMIN_", "PRICE_", "TOOL_"];
        string[] names = ["MAX_TOOL_CALLS_PER_TURN", "DATABASE_URL", "PORT", "PUBLIC_BASE_URL", "ASPNETCORE_URLS", "LOG_FORMAT", "PG_BIN_DIR"];
        foreach (var key in environment.Keys.Where(k => prefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal)) || names.Contains(k)).ToList())
        {
            environment.Remove(key);
        }
    }

    public bool HasLine(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>kill -9: no shutdown, no hand-over.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end on its own; returns whether it did in time.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGTERM, as systemd and Kubernetes stop a process; returns whether it exited in time.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        return await WaitForExitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "HorizonAI.Orleans.sln")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("HorizonAI.Orleans.sln not found above the test output.");
        }
    }
}
