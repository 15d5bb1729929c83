namespace HorizonAI.Grains.Interfaces;

/// <summary>One admin write or transcript read: who (a key id, never the key), what, which bot, when, from where.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.audit-entry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string Action,
    [property: Id(3)] string? BotNumber,
    [property: Id(4)] string? UserNumber,
    [property: Id(5)] int Status,
    [property: Id(6)] string? Client)
{
    [Id(7)] public long Id { get; init; }
}

/// <summary>Which entries to read: newest first; <see cref="Bots"/> null for every bot (the admin key), else only those.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.audit-query")]
public sealed record AuditQuery([property: Id(0)] string[]? Bots, [property: Id(1)] int Offset, [property: Id(2)] int Limit)
{
    [Id(3)] public DateTimeOffset? From { get; init; }

    [Id(4)] public DateTimeOffset? To { get; init; }

    [Id(5)] public string? KeyId { get; init; }
}

/// <summary>The audit log (a stateless worker over the table).</summary>
[Alias("horizonai.audit-log")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    [Alias("record")]
    Task RecordAsync(AuditEntry entry);

    [Alias("list")]
    Task<Page<AuditEntry>> ListAsync(AuditQuery query);

    /// <summary>Deletes entries older than the retention (AUDIT_RETENTION_DAYS); answers how many went.</summary>
    [Alias("prune")]
    Task<int> PruneAsync();
}
