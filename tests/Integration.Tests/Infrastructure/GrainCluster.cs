using HorizonAI.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The grains on their own: Orleans' <see cref="InProcessTestCluster"/> with two silos carrying the product's grain
/// registrations, grain state, reminders and message log in PostgreSQL, and the real OpenAI and Twilio SDKs against
/// the stand-ins; no Gateway. Membership and transport are the test cluster's own, in memory (the PostgreSQL
/// membership is proven by the process tests). Tests call the grains directly through the cluster's client.
/// </summary>
public sealed class GrainCluster : IAsyncLifetime
{
    private readonly int _silos;
    private readonly Action<Dictionary<string, string?>> _settings;
    private readonly Action<ISiloBuilder> _silo;

    public GrainCluster()
        : this(2, _ => { }, _ => { })
    {
    }

    /// <summary>A cluster of <paramref name="silos"/> with the test's own settings and silo registrations on top of the product's.</summary>
    internal GrainCluster(int silos, Action<Dictionary<string, string?>> settings, Action<ISiloBuilder> silo)
    {
        _silos = silos;
        _settings = settings;
        _silo = silo;
    }

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public WebApplication Sandbox { get; private set; } = null!;

    public SandboxState Upstreams => Sandbox.Services.GetRequiredService<SandboxState>();

    public IClusterClient Client => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Sandbox = SandboxServer.Build();
        await Sandbox.StartAsync();
        var settings = TestSystem.BaseSettings(Database.ConnectionString, Sandbox);
        settings["OPENAI_MODEL"] = "gpt-test-mini";
        _settings(settings);

        var builder = new InProcessTestClusterBuilder((short)_silos);
        builder.Options.ClusterId = "grains-" + Guid.NewGuid().ToString("N")[..8];
        builder.Options.ServiceId = "horizonai-grain-tests";
        builder.ConfigureHost(host => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureHost(host => host.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Orleans.Runtime.Silo", LogLevel.Error));
        builder.ConfigureSilo((_, silo) =>
        {
            new ProductionLikeSilo().Configure(silo);
            _silo(silo);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Sandbox.DisposeAsync();
        await Database.DisposeAsync();
    }
}
