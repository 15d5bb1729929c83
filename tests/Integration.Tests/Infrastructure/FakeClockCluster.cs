using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The grains on a clock the test moves: a <see cref="GrainCluster"/> of one silo whose application clock — the
/// unkeyed <see cref="TimeProvider"/>, which grain timers follow too — is <see cref="Clock"/>. Orleans' own areas
/// (membership, messaging, reminders, activation management, the directory) stay on real time, so advancing the
/// clock fires only the product's timers and never stalls the runtime.
/// </summary>
public sealed class FakeClockCluster : IAsyncLifetime
{
    private readonly GrainCluster _grains;

    public FakeClockCluster() => _grains = new GrainCluster(1, settings =>
    {
        // The upstream pipelines' delays and timeouts are on this clock too: one retry, and a patience of a minute of it.
        settings["UPSTREAM_MAX_RETRIES"] = "1";
        settings["OPENAI_OUTAGE_PATIENCE_SECONDS"] = "60";
        // The sandbox's demo business, on loopback, is the agency's own host for the bots' tools.
        settings["TOOL_PRIVATE_HOSTS"] = "127.0.0.1,localhost";
    }, silo => Clock.Install(silo.Services));

    public FakeClock Clock { get; } = new();

    public TestDatabase Database => _grains.Database;

    public SandboxState Upstreams => _grains.Upstreams;

    /// <summary>Where the sandbox listens (its demo business's tools among the rest).</summary>
    public string SandboxUrl => _grains.Sandbox.BaseUrl();

    public IClusterClient Client => _grains.Client;

    public ValueTask InitializeAsync() => _grains.InitializeAsync();

    public ValueTask DisposeAsync() => _grains.DisposeAsync();
}
