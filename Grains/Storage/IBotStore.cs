using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The persisted configuration of every bot. <see cref="Bots.BotGrain"/> is its only writer, so the grain's cached
/// copy is always current; listing reads the store directly.
/// </summary>
public interface IBotStore
{
    Task<BotDefinition?> GetAsync(string phoneNumber, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BotDefinition>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Inserts the bot with its id, unless its number has a bot, its id is another bot's or another number's, or one of its vector stores is another bot's.</summary>
    Task<BotInsertOutcome> InsertAsync(BotDefinition bot, CancellationToken cancellationToken = default);

    /// <summary>Replaces the number's bot, unless one of its vector stores is another bot's.</summary>
    Task<BotUpdateOutcome> UpdateAsync(BotDefinition bot, CancellationToken cancellationToken = default);

    /// <summary>Removes the number's bot: its id stays, deleted, with its data; it leaves every key's scope. Null if there was none.</summary>
    Task<DeletedBot?> DeleteAsync(string phoneNumber, CancellationToken cancellationToken = default);
}
