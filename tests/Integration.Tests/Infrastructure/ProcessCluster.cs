using HorizonAI.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Real Silo and Gateway processes on one test database, with the sandbox stand-ins in the test process.</summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<ProductProcess> _processes = [];
    private string? _lastReadiness;

    private ProcessCluster(TestDatabase database, WebApplication sandbox)
    {
        Database = database;
        Sandbox = sandbox;
        ClusterId = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    }

    public TestDatabase Database { get; }

    public WebApplication Sandbox { get; }

    public SandboxState Upstreams => Sandbox.Services.GetRequiredService<SandboxState>();

    public string ClusterId { get; }

    /// <summary>Settings added to every process started after they are set (e.g. LOG_FORMAT).</summary>
    public Dictionary<string, string?> ExtraSettings { get; } = [];

    /// <summary>Where the Gateway finds PostgreSQL, when it must differ from the silos' (e.g. through a <see cref="TcpProxy"/>).</summary>
    public string? GatewayDatabaseUrl { get; set; }

    public static async Task<ProcessCluster> StartAsync(string? databaseServer = null)
    {
        var database = await TestDatabase.CreateAsync(server: databaseServer);
        var sandbox = SandboxServer.Build();
        await sandbox.StartAsync();
        return new ProcessCluster(database, sandbox);
    }

    public Dictionary<string, string?> Settings(int httpPort)
    {
        var settings = BaseSettings(httpPort);
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }

        return settings;
    }

    private Dictionary<string, string?> BaseSettings(int httpPort)
    {
        var settings = TestSystem.BaseSettings(Database.ConnectionString, Sandbox);
        settings["ORLEANS_CLUSTER_ID"] = ClusterId;
        settings["ORLEANS_SERVICE_ID"] = "horizonai-e2e";
        settings["ADMIN_API_KEY"] = TestSystem.AdminKey;
        settings["PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    public IReadOnlyList<ProductProcess> Processes => _processes;

    public ProductProcess StartSilo(string name)
    {
        var httpPort = ProductProcess.FreePort();
        var settings = Settings(httpPort);
        settings["ORLEANS_SILO_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ORLEANS_GATEWAY_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var silo = Track(ProductProcess.Start("Silo", name, settings));
        silo.HttpPort = httpPort;
        return silo;
    }

    public (ProductProcess Process, HttpClient Http) StartGateway()
    {
        var port = ProductProcess.FreePort();
        var settings = Settings(port);
        if (GatewayDatabaseUrl is not null)
        {
            settings["DATABASE_URL"] = GatewayDatabaseUrl;
        }

        var process = Track(ProductProcess.Start("Gateway", "gateway", settings));
        process.HttpPort = port;
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(40) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestSystem.AdminKey);
        return (process, http);
    }

    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, ProductProcess process)
    {
        try
        {
            await WaitForReadinessAsync(http, timeout, process);
        }
        catch (TimeoutException ex)
        {
            var outputs = string.Join("\n", _processes.Select(p => $"--- {p.Name} (exited: {p.HasExited}) ---\n{string.Join('\n', p.Lines.TakeLast(15))}"));
            throw new TimeoutException($"{ex.Message}; /health/ready last answered: {_lastReadiness}\n{outputs}", ex);
        }
    }

    private async Task WaitForReadinessAsync(HttpClient http, TimeSpan timeout, ProductProcess process) =>
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode}:\n{process.Output}");
            }

            try
            {
                // Ready, and a silo answers (a Gateway is ready without one; the tests then talk to the cluster).
                var response = await http.GetAsync("/health/ready");
                _lastReadiness = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode && (!process.Name.Contains("gateway", StringComparison.OrdinalIgnoreCase)
                    || _lastReadiness.Contains("\"cluster\":{\"status\":\"Healthy\"", StringComparison.Ordinal));
            }
            catch (HttpRequestException ex)
            {
                _lastReadiness = ex.Message;
                return false;
            }
        }, timeout, $"{process.Name} to be ready");

    private ProductProcess Track(ProductProcess process)
    {
        _processes.Add(process);
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
    }
}
