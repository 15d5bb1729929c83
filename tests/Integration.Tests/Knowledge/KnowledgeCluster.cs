using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>
/// Two silos (<see cref="GrainCluster"/>) whose OpenAI Files and Vector Stores calls reach the cluster's own sandbox,
/// with the knowledge sweep every 2 s so that a crash is picked up quickly, and transient failures bounded at two attempts.
/// </summary>
public sealed class KnowledgeCluster : IAsyncLifetime
{
    public GrainCluster Grains { get; private set; } = null!;

    /// <summary>The sandbox the silos call: its Files and Vector Stores (<see cref="SandboxState.Knowledge"/>) and OpenAI fault switches.</summary>
    public SandboxState Upstreams => Grains.Upstreams;

    public TestDatabase Database => Grains.Database;

    public IClusterClient Client => Grains.Client;

    public async ValueTask InitializeAsync()
    {
        Grains = new GrainCluster(2, settings =>
        {
            settings["KNOWLEDGE_SWEEP_SECONDS"] = "2";

            // A failure reaches the grain after one retry in the pipeline, and the grain's second attempt is the last.
            settings["UPSTREAM_MAX_RETRIES"] = "1";
            settings["KNOWLEDGE_MAX_ATTEMPTS"] = "2";
        }, _ => { });
        await Grains.InitializeAsync();
    }

    public async ValueTask DisposeAsync() => await Grains.DisposeAsync();
}
