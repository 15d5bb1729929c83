using System.Collections.Concurrent;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Storage.Memory;

/// <summary>Bots held in this silo's memory, for a local try-out without PostgreSQL; lost when the silo stops.</summary>
public sealed class InMemoryBotStore : IBotStore
{
    private readonly ConcurrentDictionary<string, BotDefinition> _bots = new(StringComparer.Ordinal);

    public Task<BotDefinition?> GetAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bots.GetValueOrDefault(phoneNumber));

    public Task<IReadOnlyList<BotDefinition>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<BotDefinition>>([.. _bots.Values.OrderBy(b => b.PhoneNumber, StringComparer.Ordinal)]);

    public Task<bool> InsertAsync(BotDefinition bot, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bots.TryAdd(bot.PhoneNumber, bot));

    public Task<bool> UpdateAsync(BotDefinition bot, CancellationToken cancellationToken = default)
    {
        while (_bots.TryGetValue(bot.PhoneNumber, out var current))
        {
            // The creation time is the store's, as in the table; everything else is the new definition's.
            if (_bots.TryUpdate(bot.PhoneNumber, bot with { CreatedAt = current.CreatedAt }, current))
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public Task<bool> DeleteAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        Task.FromResult(_bots.TryRemove(phoneNumber, out _));
}
