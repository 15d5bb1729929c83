using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Access;

/// <summary>Scoped API keys and the audit log. Each key's grain is its only writer.</summary>
public interface IAccessStore
{
    /// <summary>False if the id is taken.</summary>
    Task<bool> InsertKeyAsync(ApiKeyRecord key);

    Task<ApiKeyRecord?> GetKeyAsync(string id);

    Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync();

    /// <summary>Writes the secrets, rotation and revocation of a key.</summary>
    Task UpdateKeyAsync(ApiKeyRecord key);

    Task TouchKeyAsync(string id, DateTimeOffset usedAt);

    Task AppendAuditAsync(AuditEntry entry);

    Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query);

    Task<int> PruneAuditAsync(DateTimeOffset before);
}
