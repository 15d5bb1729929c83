using HorizonAI.Grains.Interfaces;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace HorizonAI.Grains.Access;

/// <summary>Lists the scoped keys, never their secrets or hashes.</summary>
[StatelessWorker]
public sealed class ApiKeyDirectoryGrain(IAccessStore store) : Grain, IApiKeyDirectoryGrain
{
    public async Task<ApiKeyInfo[]> ListAsync()
    {
        var keys = await store.ListKeysAsync();
        return [.. keys.Select(k => k.Info())];
    }
}

/// <summary>Appends to and reads the audit log; prunes what is older than the retention.</summary>
[StatelessWorker]
public sealed class AuditLogGrain(IAccessStore store, IOptions<AuditOptions> options, TimeProvider time) : Grain, IAuditLogGrain
{
    public Task RecordAsync(AuditEntry entry) => store.AppendAuditAsync(entry);

    public Task<Page<AuditEntry>> ListAsync(AuditQuery query) => store.ListAuditAsync(query);

    public Task<int> PruneAsync() => store.PruneAuditAsync(time.GetUtcNow() - TimeSpan.FromDays(options.Value.RetentionDays));
}
