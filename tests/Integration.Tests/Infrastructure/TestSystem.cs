using HorizonAI.Grains.Hosting;
using HorizonAI.Sandbox;
using HorizonAI.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Orleans.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The whole product in one test process: silos configured as in production (PostgreSQL clustering, state and
/// reminders; TCP between silos and clients; the real OpenAI and Twilio SDKs), the sandbox stand-ins they call over
/// HTTP, and the Gateway app, which finds the silos as an Orleans client through the same PostgreSQL table.
/// </summary>
public sealed class TestSystem : IAsyncDisposable
{
    public const string AuthToken = "test-auth-token-0123456789";
    public const string AccountSid = "AC00000000000000000000000000000001";
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    private WebApplicationFactory<HorizonAI.Gateway.GatewayApp>? _gateway;

    private TestSystem(TestDatabase database, WebApplication sandbox, TestCluster cluster, Dictionary<string, string?> settings)
    {
        Database = database;
        Sandbox = sandbox;
        Cluster = cluster;
        Settings = settings;
    }

    public TestDatabase Database { get; }

    public WebApplication Sandbox { get; }

    public SandboxState Upstreams => Sandbox.Services.GetRequiredService<SandboxState>();

    public TestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public Dictionary<string, string?> Settings { get; }

    /// <summary>The database and the stand-ins' settings every test host starts from.</summary>
    public static Dictionary<string, string?> BaseSettings(string databaseUrl, WebApplication sandbox) => new()
    {
        ["DATABASE_URL"] = databaseUrl,
        ["TWILIO_ACCOUNT_SID"] = AccountSid,
        ["TWILIO_AUTH_TOKEN"] = AuthToken,
        ["TWILIO_API_BASE_URL"] = sandbox.BaseUrl(),
        ["OPENAI_API_KEY"] = "sk-test-key",
        ["OPENAI_BASE_URL"] = sandbox.BaseUrl() + "/v1",

        // The sandbox's endpoints (handoff webhooks, tools) are on the loopback: the agency's own hosts here.
        ["TOOL_PRIVATE_HOSTS"] = "127.0.0.1,localhost",

        // The recovery sweep looks every 2 s for work left open 2 s, so tests of crashes need not wait ten.
        ["RECOVERY_SWEEP_SECONDS"] = "2",
        ["RECOVERY_MIN_AGE_SECONDS"] = "2",
    };

    /// <param name="database">A database prepared by the test (dropped with the system); a fresh one otherwise.</param>
    public static async Task<TestSystem> StartAsync(int silos = 1, Action<Dictionary<string, string?>>? configure = null, TestDatabase? database = null)
    {
        database ??= await TestDatabase.CreateAsync();
        var sandbox = SandboxServer.Build();
        await sandbox.StartAsync();
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        var settings = BaseSettings(database.ConnectionString, sandbox);
        foreach (var (key, value) in new Dictionary<string, string?>
        {
            ["OPENAI_MODEL"] = "gpt-test-mini",
            ["ORLEANS_CLUSTER_ID"] = clusterId,
            ["ORLEANS_SERVICE_ID"] = "horizonai-tests",
            ["ADMIN_API_KEY"] = AdminKey,

            // Every client of the in-memory test server has the same address, so tests that check refusals would
            // otherwise shut the other tests of their class out; Security/AdminThrottlingTests checks the throttle.
            ["ADMIN_AUTH_FAILURES_PER_MINUTE"] = "1000",
        })
        {
            settings[key] = value;
        }

        configure?.Invoke(settings);

        var builder = new TestClusterBuilder((short)silos);
        builder.Options.ClusterId = clusterId;
        builder.Options.ServiceId = "horizonai-tests";
        builder.Options.GatewayPerSilo = true;
        builder.Options.UseTestClusterMembership = false;
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(settings));
        builder.AddSiloBuilderConfigurator<ProductionLikeSilo>();
        builder.AddClientBuilderConfigurator<ProductionLikeClient>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new TestSystem(database, sandbox, cluster, settings);
    }

    /// <summary>The Gateway app (created on first use), talking to this cluster through PostgreSQL clustering.</summary>
    public WebApplicationFactory<HorizonAI.Gateway.GatewayApp> Gateway => _gateway ??= new WebApplicationFactory<HorizonAI.Gateway.GatewayApp>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Production");
        foreach (var (key, value) in Settings)
        {
            web.UseSetting(key, value);
        }

        // The in-memory test server cannot apply per-endpoint body limits (Kestrel can, and the endpoints check them
        // themselves); its warning on every request would bury the test output.
        web.ConfigureLogging(logging => logging.AddFilter("Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", LogLevel.Error));
    });

    /// <summary>Puts media on the Twilio stand-in for this account and returns its Twilio media URL.</summary>
    public string AddMedia(byte[] data, string contentType, string? transcript = null) =>
        Upstreams.Media.Add(Sandbox.BaseUrl(), AccountSid, data, contentType, transcript);

    public HttpClient CreateAdminClient()
    {
        var client = Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await Cluster.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
    }
}
