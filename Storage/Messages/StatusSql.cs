using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Storage.Messages;

/// <summary>Typed parameters the message statements share.</summary>
public static class StatusSql
{
    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } at ? at.UtcDateTime : DBNull.Value };
}
