using HorizonAI.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Storage.Messages;

/// <summary>SQL pieces the message statements share: a status word's rank, an error code's reason, typed parameters.</summary>
public static class StatusSql
{
    /// <summary>SQL <c>case</c> arms that turn a status word into its rank (see <see cref="DeliveryStatuses"/>).</summary>
    private static readonly string RankCases = string.Join(' ', DeliveryStatuses.All.Select(kv => $"when '{kv.Key}' then {kv.Value}"));

    private static readonly string ReasonCases =
        string.Join(' ', DeliveryStatuses.KnownReasons.Select(kv => $"when '{kv.Key}' then '{kv.Value.Replace("'", "''", StringComparison.Ordinal)}'"));

    public static string Rank(string expression) => $"(case {expression} {RankCases} else 0 end)";

    public static string Reason(string column) => $"case {column} {ReasonCases} else 'Twilio error ' || {column} end";

    public static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } at ? at.UtcDateTime : DBNull.Value };
}
