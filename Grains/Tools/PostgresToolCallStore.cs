using System.Security.Cryptography;
using HorizonAI.Storage;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Grains.Tools;

/// <summary>
/// The tool_calls table. Calls are rare next to messages (a turn of a bot with tools), and each must be durable before
/// the business is called, so they are written straight to the pool rather than through the message store's group
/// commit. The times it writes (<c>created_at</c>, <c>finished_at</c>) are the application's clock, passed as
/// <c>@now</c>, like every time the message store writes: retention and the usage report compare them with that clock.
/// </summary>
public sealed class PostgresToolCallStore(NpgsqlDataSource dataSource, TimeProvider time) : IToolCallStore
{
    private const string Columns =
        "id, turn_key, through_message_id, round, position, call_id, tool, arguments, idempotency_key, status, output, duration_ms, created_at";

    public Task<IReadOnlyList<RecordedCall>> LoadTurnAsync(string botId, string userNumber, long turnKey, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"""
                select {Columns} from tool_calls
                where bot_id = @bot and user_number = @user and turn_key = @turn
                order by round, position
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("user", userNumber);
            command.Parameters.AddWithValue("turn", turnKey);
            return await ReadAllAsync(command, cancellationToken);
        });

    public Task<IReadOnlyList<RecordedCall>> RecordAsync(string botId, string userNumber, long turnKey, long throughMessageId, int round,
        IReadOnlyList<ModelCall> calls, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            // One statement: the new calls inserted, a call id the turn recorded before left as it is, and every one
            // of them read back as the table keeps it.
            await using var command = dataSource.CreateCommand($"""
                with given as (
                    select * from unnest(@call_ids, @tools, @arguments, @keys) with ordinality as g(call_id, tool, arguments, idempotency_key, position)
                ), inserted as (
                    insert into tool_calls (bot_id, user_number, turn_key, through_message_id, round, position, call_id, tool, arguments, idempotency_key, created_at)
                    select @bot, @user, @turn, @through, @round, position, call_id, tool, arguments, idempotency_key, @now from given
                    on conflict (bot_id, user_number, turn_key, call_id) do nothing
                    returning {Columns}
                )
                select {Columns} from inserted
                union all
                select {Columns} from tool_calls t
                where t.bot_id = @bot and t.user_number = @user and t.turn_key = @turn
                  and t.call_id = any(@call_ids) and not exists (select 1 from inserted i where i.call_id = t.call_id)
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("user", userNumber);
            command.Parameters.AddWithValue("turn", turnKey);
            command.Parameters.AddWithValue("through", throughMessageId);
            command.Parameters.AddWithValue("round", round);
            command.Parameters.AddWithValue("now", PostgresTime.Now(time).UtcDateTime);
            command.Parameters.Add(new NpgsqlParameter("call_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = calls.Select(c => c.CallId).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("tools", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = calls.Select(c => c.Name).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("arguments", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = calls.Select(c => c.Arguments).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = calls.Select(_ => NewKey()).ToArray() });
            var recorded = await ReadAllAsync(command, cancellationToken);
            return (IReadOnlyList<RecordedCall>)[.. calls.Select(c => recorded.First(r => r.CallId == c.CallId))];
        });

    public Task FinishAsync(long id, string status, string output, int durationMs, int attempts, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                update tool_calls
                set status = @status, output = @output, duration_ms = @duration, attempts = attempts + @attempts, finished_at = @now
                where id = @id
                """);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("output", output);
            command.Parameters.AddWithValue("duration", durationMs);
            command.Parameters.AddWithValue("attempts", attempts);
            command.Parameters.AddWithValue("now", PostgresTime.Now(time).UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public Task<IReadOnlyList<RecordedCall>> ListAsync(string botId, string userNumber, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"""
                select {Columns} from tool_calls
                where bot_id = @bot and user_number = @user and created_at >= @from and created_at < @to
                order by created_at, id
                limit @limit
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("user", userNumber);
            command.Parameters.AddWithValue("from", from.UtcDateTime);
            command.Parameters.AddWithValue("to", to.UtcDateTime);
            command.Parameters.AddWithValue("limit", limit);
            return await ReadAllAsync(command, cancellationToken);
        });

    /// <summary>What the business sees in <c>Idempotency-Key</c>: random, and the same on every attempt of the call.</summary>
    private static string NewKey() => "hzc_" + RandomNumberGenerator.GetHexString(32, lowercase: true);

    private static async Task<IReadOnlyList<RecordedCall>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var calls = new List<RecordedCall>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            calls.Add(new RecordedCall(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt32(3),
                reader.GetInt32(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.GetString(8),
                reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                new DateTimeOffset(reader.GetDateTime(12), TimeSpan.Zero)));
        }

        return calls;
    }
}
