using HorizonAI.Storage;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>What one batch of a bot's retention erased: how many rows, and the conversations left without any message.</summary>
/// <param name="Emptied">Each conversation whose every message is gone, with the OpenAI conversation it had (null when none).</param>
public sealed record ErasedBatch(int Messages, IReadOnlyList<(string UserNumber, string? AssistantConversationId)> Emptied);

/// <summary>
/// Retention: erases one batch of a bot's settled messages created before <c>cutoff</c> (with what was read of their
/// media), oldest first, and in the same statement adds what the usage report and the conversation list showed of
/// them to <c>usage_erased</c> and <c>conversations_erased</c>, so those figures do not change. Unsettled rows (an
/// inbox message, a reply in flight, a part not sent) are never touched. A conversation left without any message also
/// loses its assistant conversation and the history kept for it; its opt-out and mode stay. Rows another erasure holds
/// are skipped (<c>skip locked</c>), so two silos erasing at once count nothing twice.
/// </summary>
public static class EraseExpired
{
    public static Task<ErasedBatch> EraseBatchAsync(NpgsqlDataSource dataSource, string bot, DateTimeOffset cutoff, DateTimeOffset now, int batch) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"""
                with doomed as (
                    select id from messages
                    where bot_id = @bot and created_at < @cutoff
                      and not ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
                    order by created_at
                    limit @batch
                    for update skip locked),
                gone as (
                    delete from messages m using doomed where m.id = doomed.id
                    returning m.user_number, {ErasedUsage.MessageColumns}),
                per_day as (
                    {ErasedUsage.Add(ErasedUsage.OfMessages("gone"))}
                    returning 1),
                per_user as (
                    insert into conversations_erased (bot_id, user_number, first_at, last_at, messages)
                    select @bot, user_number, min(created_at), max(created_at), count(*)::int from gone group by user_number
                    on conflict (bot_id, user_number) do update set
                        first_at = least(conversations_erased.first_at, excluded.first_at),
                        last_at = greatest(conversations_erased.last_at, excluded.last_at),
                        messages = conversations_erased.messages + excluded.messages
                    returning 1),
                emptied as (
                    select g.user_number from (select user_number, count(*) as erased from gone group by user_number) g
                    where g.erased = (select count(*) from messages m where m.bot_id = @bot and m.user_number = g.user_number)),
                cleared as (
                    update conversations c set assistant_conversation_id = null, history = '[]'::jsonb, pending_call_id = null, updated_at = @now
                    from emptied e, conversations before
                    where c.bot_id = @bot and c.user_number = e.user_number and before.bot_id = @bot and before.user_number = e.user_number
                    returning c.user_number, before.assistant_conversation_id)
                select (select count(*) from gone)::int, e.user_number, cleared.assistant_conversation_id,
                       (select count(*) from per_day)::int + (select count(*) from per_user)::int
                from (select 1) one
                left join emptied e on true
                left join cleared on cleared.user_number = e.user_number
                """);
            command.Parameters.Add(Text("bot", bot));
            command.Parameters.Add(Timestamp("cutoff", cutoff));
            command.Parameters.Add(Timestamp("now", now));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batch));
            await using var reader = await command.ExecuteReaderAsync();
            var erased = 0;
            var emptied = new List<(string, string?)>();
            while (await reader.ReadAsync())
            {
                erased = reader.GetInt32(0);
                if (!reader.IsDBNull(1))
                {
                    emptied.Add((reader.GetString(1), OptionalText(reader, 2)));
                }
            }

            return new ErasedBatch(erased, emptied);
        });

    /// <summary>
    /// Retention of the calls of tools: a bot's calls made before <c>cutoff</c>, with their arguments and outputs, are
    /// deleted, and in the same statement counted per day in <c>usage_erased</c>, so the usage report keeps its
    /// figures. A call of a turn that is not settled (its <c>turn_key</c> message still <c>received</c> or
    /// <c>answering</c>) is kept, ended or not: a turn run again finds its calls by that key and sends them with the
    /// keys the business already saw, which a deleted row would replace by new ones. Once the turn is settled no turn
    /// reads its calls again, so a call it left <c>running</c> (a crash during the call, then the turn ended without
    /// it) goes like any other: nothing would ever end it. Returns how many went.
    /// </summary>
    public static Task<int> EraseToolCallsAsync(NpgsqlDataSource dataSource, string bot, DateTimeOffset cutoff) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand(EraseToolCallsSql);
            command.Parameters.Add(Text("bot", bot));
            command.Parameters.Add(Timestamp("cutoff", cutoff));
            return (int)(await command.ExecuteScalarAsync())!;
        });

    private static readonly string EraseToolCallsSql = $"""
        with gone as (
            delete from tool_calls t
            where t.bot_id = @bot and t.created_at < @cutoff
              and not exists (select 1 from messages m where m.id = t.turn_key and m.bot_id = @bot and m.direction = 'inbound'
                                                        and m.status in ('received', 'answering'))
            returning t.created_at),
        per_day as (
            {ErasedUsage.Add(ErasedUsage.OfToolCalls("gone"))}
            returning 1)
        select count(*)::int from gone
        """;
}
