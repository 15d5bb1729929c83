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
            await using var command = dataSource.CreateCommand("""
                with doomed as (
                    select id from messages
                    where bot_id = @bot and created_at < @cutoff
                      and not ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
                    order by created_at
                    limit @batch
                    for update skip locked),
                gone as (
                    delete from messages m using doomed where m.id = doomed.id
                    returning m.user_number, m.direction, m.created_at, m.twilio_sid, m.input_tokens, m.output_tokens, m.cached_tokens, m.media_types,
                              m.transcribed_seconds, m.transcription_tokens, m.knowledge_searches, m.file_searches),
                per_day as (
                    insert into usage_erased (bot_id, day, inbound_messages, outbound_messages, input_tokens, output_tokens, cached_tokens,
                        audio_items, images, documents, transcribed_seconds, transcription_tokens, minute_billed_seconds, knowledge_searches, file_searches)
                    select @bot, (created_at at time zone 'UTC')::date,
                           count(*) filter (where direction = 'inbound')::int,
                           count(*) filter (where direction = 'outbound' and twilio_sid is not null)::int,
                           coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(cached_tokens), 0),
                           coalesce(sum((select count(*) from unnest(media_types) t where t like 'audio/%')), 0)::int,
                           coalesce(sum((select count(*) from unnest(media_types) t where t like 'image/%')), 0)::int,
                           coalesce(sum((select count(*) from unnest(media_types) t where t = 'application/pdf')), 0)::int,
                           coalesce(sum(transcribed_seconds), 0), coalesce(sum(transcription_tokens), 0),
                           coalesce(sum(transcribed_seconds) filter (where coalesce(transcription_tokens, 0) = 0), 0),
                           coalesce(sum(knowledge_searches), 0)::int, coalesce(sum(file_searches), 0)::int
                    from gone group by 2
                    on conflict (bot_id, day) do update set
                        inbound_messages = usage_erased.inbound_messages + excluded.inbound_messages,
                        outbound_messages = usage_erased.outbound_messages + excluded.outbound_messages,
                        input_tokens = usage_erased.input_tokens + excluded.input_tokens,
                        output_tokens = usage_erased.output_tokens + excluded.output_tokens,
                        cached_tokens = usage_erased.cached_tokens + excluded.cached_tokens,
                        audio_items = usage_erased.audio_items + excluded.audio_items,
                        images = usage_erased.images + excluded.images,
                        documents = usage_erased.documents + excluded.documents,
                        transcribed_seconds = usage_erased.transcribed_seconds + excluded.transcribed_seconds,
                        transcription_tokens = usage_erased.transcription_tokens + excluded.transcription_tokens,
                        minute_billed_seconds = usage_erased.minute_billed_seconds + excluded.minute_billed_seconds,
                        knowledge_searches = usage_erased.knowledge_searches + excluded.knowledge_searches,
                        file_searches = usage_erased.file_searches + excluded.file_searches
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
    /// Retention of the calls of tools: a bot's calls made before <c>cutoff</c> are deleted, and in the same statement
    /// counted per day in <c>usage_erased</c>, so the usage report keeps its figures. Returns how many went.
    /// </summary>
    public static Task<int> EraseToolCallsAsync(NpgsqlDataSource dataSource, string bot, DateTimeOffset cutoff) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                with gone as (
                    delete from tool_calls where bot_id = @bot and created_at < @cutoff returning created_at),
                per_day as (
                    insert into usage_erased (bot_id, day, tool_calls)
                    select @bot, (created_at at time zone 'UTC')::date, count(*)::int from gone group by 2
                    on conflict (bot_id, day) do update set tool_calls = usage_erased.tool_calls + excluded.tool_calls
                    returning 1)
                select count(*)::int from gone
                """);
            command.Parameters.Add(Text("bot", bot));
            command.Parameters.Add(Timestamp("cutoff", cutoff));
            return (int)(await command.ExecuteScalarAsync())!;
        });
}
