using HorizonAI.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Real Silo and Gateway processes on one test database, with the sandbox stand-ins in the test process.</summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<ProductProcess> _processes = [];

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

    public static async Task<ProcessCluster> StartAsync()
    {
        var database = await TestDatabase.CreateAsync();
        var sandbox = SandboxServer.Build();
        await sandbox.StartAsync();
        return new ProcessCluster(database, sandbox);
    }

    public Dictionary<string, string?> Settings(int httpPort) => new()
    {
        ["DATABASE_URL"] = Database.ConnectionString,
        ["TWILIO_ACCOUNT_SID"] = TestSystem.AccountSid,
        ["TWILIO_AUTH_TOKEN"] = TestSystem.AuthToken,
        ["TWILIO_API_BASE_URL"] = Sandbox.BaseUrl(),
        ["OPENAI_API_KEY"] = "sk-test-key",
        ["OPENAI_BASE_URL"] = Sandbox.BaseUrl() + "/v1",
        ["ORLEANS_CLUSTER_ID"] = ClusterId,
        ["ORLEANS_SERVICE_ID"] = "horizonai-e2e",
        ["ADMIN_API_KEY"] = TestSystem.AdminKey,
        ["PORT"] = httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public ProductProcess StartSilo(string name)
    {
        var settings = Settings(ProductProcess.FreePort());
        settings["ORLEANS_SILO_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ORLEANS_GATEWAY_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Track(ProductProcess.Start("Silo", name, settings));
    }

    public (ProductProcess Process, HttpClient Http) StartGateway()
    {
        var port = ProductProcess.FreePort();
        var process = Track(ProductProcess.Start("Gateway", "gateway", Settings(port)));
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(40) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestSystem.AdminKey);
        return (process, http);
    }

    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, ProductProcess process) =>
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.Name} exited with {process.ExitCode}:\n{process.Output}");
            }

            try
            {
                return (await http.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
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
