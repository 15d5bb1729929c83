using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>
/// Two silos (<see cref="GrainCluster"/>) whose OpenAI Files and Vector Stores calls reach <see cref="VectorStoreStandIn"/>,
/// with the knowledge sweep every 2 s so that a crash is picked up quickly, and transient failures bounded at two attempts.
/// </summary>
public sealed class KnowledgeCluster : IAsyncLifetime
{
    public VectorStoreStandIn Upstream { get; private set; } = null!;

    public GrainCluster Grains { get; private set; } = null!;

    public TestDatabase Database => Grains.Database;

    public IClusterClient Client => Grains.Client;

    public async ValueTask InitializeAsync()
    {
        Upstream = await VectorStoreStandIn.StartAsync();
        Grains = new GrainCluster(2, settings =>
        {
            settings["OPENAI_BASE_URL"] = Upstream.BaseUrl + "/v1";
            settings["KNOWLEDGE_SWEEP_SECONDS"] = "2";

            // A failure reaches the grain after one retry in the pipeline, and the grain's second attempt is the last.
            settings["UPSTREAM_MAX_RETRIES"] = "1";
            settings["KNOWLEDGE_MAX_ATTEMPTS"] = "2";
        }, _ => { });
        await Grains.InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Grains.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
