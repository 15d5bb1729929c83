using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>Typed parameters and row readers the message statements share.</summary>
internal static class MessageSql
{
    /// <summary>How the history of a Chat Completions conversation is kept in <c>conversations.history</c>.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions HistoryJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Integer(string name, int? value) => new(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Flag(string name, bool value) => new NpgsqlParameter<bool>(name, value);

    public static NpgsqlParameter Id(string name, long value) => new NpgsqlParameter<long>(name, value);

    public static NpgsqlParameter OptionalId(string name, long? value) => new(name, NpgsqlDbType.Bigint) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } at ? at.UtcDateTime : DBNull.Value };

    public static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    public static DateTimeOffset? OptionalUtc(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : Utc(r.GetDateTime(column));

    public static string? OptionalText(NpgsqlDataReader r, int column) => r.IsDBNull(column) ? null : r.GetString(column);

    /// <summary>Reads human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending from <paramref name="first"/> on.</summary>
    public static HumanMode HumanMode(NpgsqlDataReader r, int first) => new(
        Utc(r.GetDateTime(first)), r.IsDBNull(first + 1) ? Handoff.ByAdmin : r.GetString(first + 1), OptionalText(r, first + 2),
        OptionalText(r, first + 3), r.IsDBNull(first + 4) ? Utc(r.GetDateTime(first)) : Utc(r.GetDateTime(first + 4)), r.GetBoolean(first + 5));

    /// <summary>Reads every row of the current result set and moves the reader to the next one.</summary>
    public static async Task<List<T>> RowsAsync<T>(NpgsqlDataReader reader, Func<NpgsqlDataReader, T> read)
    {
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        await reader.NextResultAsync();
        return rows;
    }
}
