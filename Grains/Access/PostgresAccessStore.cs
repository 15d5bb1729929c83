using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Grains.Access;

/// <summary>The api_keys and audit_log tables (migration 0009).</summary>
public sealed class PostgresAccessStore(NpgsqlDataSource dataSource) : IAccessStore
{
    private const string KeyColumns =
        "id, name, role, bots, secret_hash, previous_hash, previous_expires_at, created_at, rotated_at, last_used_at, revoked_at";

    public Task<bool> InsertKeyAsync(ApiKeyRecord key) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            insert into api_keys (id, name, role, bots, secret_hash, created_at)
            values (@id, @name, @role, @bots, @secret_hash, @created_at)
            on conflict (id) do nothing
            """);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("name", key.Name);
        command.Parameters.AddWithValue("role", key.Role);
        command.Parameters.AddWithValue("bots", key.Bots);
        command.Parameters.AddWithValue("secret_hash", key.SecretHash);
        command.Parameters.AddWithValue("created_at", key.CreatedAt.UtcDateTime);
        return await command.ExecuteNonQueryAsync() == 1;
    });

    public Task<ApiKeyRecord?> GetKeyAsync(string id) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand($"select {KeyColumns} from api_keys where id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    });

    public Task<IReadOnlyList<ApiKeyRecord>> ListKeysAsync() => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand($"select {KeyColumns} from api_keys order by created_at, id");
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync())
        {
            keys.Add(Read(reader));
        }

        return (IReadOnlyList<ApiKeyRecord>)keys;
    });

    public Task UpdateKeyAsync(ApiKeyRecord key) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            update api_keys set secret_hash = @secret_hash, previous_hash = @previous_hash, previous_expires_at = @previous_expires_at,
                rotated_at = @rotated_at, revoked_at = @revoked_at
            where id = @id
            """);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("secret_hash", key.SecretHash);
        command.Parameters.Add(new NpgsqlParameter("previous_hash", NpgsqlDbType.Bytea) { Value = (object?)key.PreviousHash ?? DBNull.Value });
        command.Parameters.Add(Time("previous_expires_at", key.PreviousExpiresAt));
        command.Parameters.Add(Time("rotated_at", key.RotatedAt));
        command.Parameters.Add(Time("revoked_at", key.RevokedAt));
        return await command.ExecuteNonQueryAsync();
    });

    public Task TouchKeyAsync(string id, DateTimeOffset usedAt) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand(
            "update api_keys set last_used_at = greatest(last_used_at, @used_at) where id = @id");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("used_at", usedAt.UtcDateTime);
        return await command.ExecuteNonQueryAsync();
    });

    public Task AppendAuditAsync(AuditEntry entry) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            insert into audit_log (at, key_id, action, bot_number, user_number, status, client)
            values (@at, @key_id, @action, @bot_number, @user_number, @status, @client)
            """);
        command.Parameters.AddWithValue("at", entry.At.UtcDateTime);
        command.Parameters.AddWithValue("key_id", entry.KeyId);
        command.Parameters.AddWithValue("action", entry.Action);
        command.Parameters.Add(Text("bot_number", entry.BotNumber));
        command.Parameters.Add(Text("user_number", entry.UserNumber));
        command.Parameters.AddWithValue("status", entry.Status);
        command.Parameters.Add(Text("client", entry.Client));
        return await command.ExecuteNonQueryAsync();
    });

    public Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = AuditCommand($"""
            select id, at, key_id, action, bot_number, user_number, status, client, count(*) over () as total
            from audit_log where {AuditFilter}
            order by at desc, id desc
            offset @offset limit @limit
            """, query);
        command.Parameters.AddWithValue("offset", query.Offset);
        command.Parameters.AddWithValue("limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<AuditEntry>();
        var total = 0L;
        while (await reader.ReadAsync())
        {
            total = reader.GetInt64(8);
            entries.Add(new AuditEntry(
                new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetString(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7))
            {
                Id = reader.GetInt64(0),
            });
        }

        if (entries.Count == 0 && query.Offset > 0)
        {
            total = await CountAuditAsync(query);
        }

        return new Page<AuditEntry>([.. entries], (int)total, query.Offset, query.Limit);
    });

    public Task<int> PruneAuditAsync(DateTimeOffset before) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("delete from audit_log where at < @before");
        command.Parameters.AddWithValue("before", before.UtcDateTime);
        return await command.ExecuteNonQueryAsync();
    });

    private async Task<long> CountAuditAsync(AuditQuery query)
    {
        await using var command = AuditCommand($"select count(*) from audit_log where {AuditFilter}", query);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private const string AuditFilter = """
        (@bots::text[] is null or bot_number = any(@bots))
          and (@from::timestamptz is null or at >= @from)
          and (@to::timestamptz is null or at < @to)
          and (@key_id::text is null or key_id = @key_id)
        """;

    /// <summary>A command over <see cref="AuditFilter"/> with the query's bots, times and key bound.</summary>
    private NpgsqlCommand AuditCommand(string sql, AuditQuery query)
    {
        var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter("bots", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)query.Bots ?? DBNull.Value });
        command.Parameters.Add(Time("from", query.From));
        command.Parameters.Add(Time("to", query.To));
        command.Parameters.Add(Text("key_id", query.KeyId));
        return command;
    }

    private static ApiKeyRecord Read(NpgsqlDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<string[]>(3),
        reader.GetFieldValue<byte[]>(4), new DateTimeOffset(reader.GetDateTime(7), TimeSpan.Zero))
    {
        PreviousHash = reader.IsDBNull(5) ? null : reader.GetFieldValue<byte[]>(5),
        PreviousExpiresAt = Optional(reader, 6),
        RotatedAt = Optional(reader, 8),
        LastUsedAt = Optional(reader, 9),
        RevokedAt = Optional(reader, 10),
    };

    private static DateTimeOffset? Optional(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : new DateTimeOffset(reader.GetDateTime(ordinal), TimeSpan.Zero);

    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } v ? v.UtcDateTime : DBNull.Value };

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
