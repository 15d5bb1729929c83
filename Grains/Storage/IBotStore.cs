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

    /// <summary>Inserts the bot unless its number exists; returns whether it was inserted.</summary>
    Task<bool> InsertAsync(BotDefinition bot, CancellationToken cancellationToken = default);

    Task<bool> UpdateAsync(BotDefinition bot, CancellationToken cancellationToken = default);

    Task<bool> DeleteAsync(string phoneNumber, CancellationToken cancellationToken = default);
}
