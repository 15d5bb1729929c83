using System.Collections.Concurrent;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Access;

/// <summary>Keys and audit entries in this silo's memory, for a local try-out without PostgreSQL; lost when the silo stops.</summary>
public sealed class InMemoryAccessStore : IAccessStore
{
    private readonly ConcurrentDictionary<string, ApiKeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly List<AuditEntry> _audit = [];
    private long _nextAuditId;

    public Task<bool> InsertKeyAsync(ApiKeyRecord key) => Task.FromResult(_keys.TryAdd(key.Id, key));

    public Task<ApiKeyRecord?> GetKeyAsync(string id) => Task.FromResult(_keys.GetValueOrDefault(id));

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync() =>
        Task.FromResult<IReadOnlyList<ApiKeyRecord>>([.. _keys.Values.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)]);

    public Task UpdateKeyAsync(ApiKeyRecord key)
    {
        _keys.AddOrUpdate(key.Id, key, (_, current) => key with { LastUsedAt = current.LastUsedAt });
        return Task.CompletedTask;
    }

    public Task TouchKeyAsync(string id, DateTimeOffset usedAt)
    {
        while (_keys.TryGetValue(id, out var current) && !(current.LastUsedAt >= usedAt))
        {
            if (_keys.TryUpdate(id, current with { LastUsedAt = usedAt }, current))
            {
                break;
            }
        }

        return Task.CompletedTask;
    }

    public Task AppendAuditAsync(AuditEntry entry)
    {
        lock (_audit)
        {
            _audit.Add(entry with { Id = ++_nextAuditId });
        }

        return Task.CompletedTask;
    }

    public Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query)
    {
        lock (_audit)
        {
            var matching = _audit
                .Where(e => query.Bots is null || (e.BotNumber is not null && query.Bots.Contains(e.BotNumber)))
                .Where(e => (query.From is null || e.At >= query.From) && (query.To is null || e.At < query.To))
                .Where(e => query.KeyId is null || e.KeyId == query.KeyId)
                .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
                .ToList();
            return Task.FromResult(new Page<AuditEntry>([.. matching.Skip(query.Offset).Take(query.Limit)], matching.Count, query.Offset, query.Limit));
        }
    }

    public Task<int> PruneAuditAsync(DateTimeOffset before)
    {
        lock (_audit)
        {
            return Task.FromResult(_audit.RemoveAll(e => e.At < before));
        }
    }
}
