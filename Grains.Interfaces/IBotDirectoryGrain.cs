namespace HorizonAI.Grains.Interfaces;

/// <summary>Read-only queries over all bots (a stateless worker: any silo answers, none holds state).</summary>
[Alias("horizonai.bot-directory")]
public interface IBotDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Every bot, ordered by number.</summary>
    [Alias("list")]
    Task<BotDefinition[]> ListAsync();
}
