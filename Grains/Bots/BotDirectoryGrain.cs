using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Bots;

/// <summary>Lists bots with one indexed query on the <c>bots</c> table rather than one grain call per bot.</summary>
[StatelessWorker]
public sealed class BotDirectoryGrain(IBotStore store) : Grain, IBotDirectoryGrain
{
    public async Task<BotDefinition[]> ListAsync() => [.. await store.ListAsync()];
}
