using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using Npgsql;

namespace HorizonAI.Grains.Storage;

/// <summary>The message log's reads in PostgreSQL, by bot id; the usage and the conversation list add what retention erased (<c>usage_erased</c>, <c>conversations_erased</c>).</summary>
public sealed class MessageLogQueries(NpgsqlDataSource dataSource) : IMessageLogQueries
{
    // Each page and its total come from one statement, so both see one snapshot: a message written in between
    // would otherwise count in the total and be missing from the page. The total's row is there even when the
    // page is empty (the left join), so a page past the end still says how many there are.
    public Task<Page<ConversationSummary>> ListConversationsAsync(string botId, int offset, int limit, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ListConversationsCoreAsync(botId, offset, limit, cancellationToken));

    private async Task<Page<ConversationSummary>> ListConversationsCoreAsync(string botId, int offset, int limit, CancellationToken cancellationToken)
    {
        var items = new List<ConversationSummary>();
        var total = 0;
        await using var command = dataSource.CreateCommand("""
            with summaries as materialized (
                select user_number, min(first_at) as first_at, max(last_at) as last_at, sum(messages)::int as messages
                from (
                    select user_number, min(created_at) as first_at, max(created_at) as last_at, count(*) as messages
                    from messages where bot_id = @bot
                    group by user_number
                    union all
                    select user_number, first_at, last_at, messages from conversations_erased where bot_id = @bot) kept
                group by user_number)
            select counted.total, page.user_number, page.first_at, page.last_at, page.messages, c.opted_out_at,
                   coalesce(c.mode, 'bot'), c.human_since, c.handoff_trigger, c.handoff_reason,
                   (select count(*)::int from messages m
                    where m.bot_id = @bot and m.user_number = page.user_number and m.direction = 'inbound'
                      and m.id > coalesce((select max(o.id) from messages o
                                           where o.bot_id = @bot and o.user_number = page.user_number and o.direction = 'outbound'), 0))
            from (select count(*)::int as total from summaries) counted
            left join lateral (
                select * from summaries
                order by last_at desc, user_number
                offset @offset limit @limit) page on true
            left join conversations c on c.bot_id = @bot and c.user_number = page.user_number
            order by page.last_at desc, page.user_number
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            total = reader.GetInt32(0);
            if (!reader.IsDBNull(1))
            {
                items.Add(new ConversationSummary(reader.GetString(1), Utc(reader.GetDateTime(2)), Utc(reader.GetDateTime(3)), reader.GetInt32(4))
                {
                    OptedOutAt = reader.IsDBNull(5) ? null : Utc(reader.GetDateTime(5)),
                    Mode = reader.GetString(6),
                    HumanSince = reader.IsDBNull(7) ? null : Utc(reader.GetDateTime(7)),
                    HandoffTrigger = reader.IsDBNull(8) ? null : reader.GetString(8),
                    HandoffReason = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Unread = reader.GetInt32(10),
                });
            }
        }

        return new Page<ConversationSummary>([.. items], total, offset, limit);
    }

    public Task<Page<TranscriptMessage>> GetTranscriptAsync(string botId, string userNumber, int offset, int limit, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => GetTranscriptCoreAsync(botId, userNumber, offset, limit, cancellationToken));

    private async Task<Page<TranscriptMessage>> GetTranscriptCoreAsync(string botId, string userNumber, int offset, int limit, CancellationToken cancellationToken)
    {
        var items = new List<TranscriptMessage>();
        var total = 0;
        await using var command = dataSource.CreateCommand("""
            select counted.total, page.id, page.direction, page.body, page.created_at, page.twilio_sid, page.status, page.error_code, page.error_message,
                   page.media_urls, page.media_types, page.media_text, page.sent_by, page.knowledge_sources
            from (select count(*)::int as total from messages where bot_id = @bot and user_number = @user) counted
            left join lateral (
                select id, direction, body, created_at, twilio_sid, status, error_code, error_message, media_urls, media_types, media_text, sent_by,
                       knowledge_sources
                from messages where bot_id = @bot and user_number = @user
                order by id offset @offset limit @limit) page on true
            order by page.id
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("user", userNumber);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            total = reader.GetInt32(0);
            if (!reader.IsDBNull(1))
            {
                items.Add(new TranscriptMessage(
                    reader.GetInt64(1), reader.GetString(2), reader.GetString(3), Utc(reader.GetDateTime(4)),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6),
                    reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8))
                {
                    Media = [.. MediaItem.Zip(reader.GetFieldValue<string[]>(9), reader.GetFieldValue<string[]>(10)).Select(m => new TranscriptMedia(m.Url, m.ContentType))],
                    MediaText = reader.IsDBNull(11) ? null : reader.GetString(11),
                    SentBy = reader.IsDBNull(12) ? null : reader.GetString(12),
                    KnowledgeSources = reader.IsDBNull(13) ? [] : JsonSerializer.Deserialize<TranscriptSource[]>(reader.GetString(13), SourceJson) ?? [],
                });
            }
        }

        await reader.CloseAsync();
        return new Page<TranscriptMessage>([.. await WithToolCallsAsync(botId, userNumber, items, cancellationToken)], total, offset, limit);
    }

    /// <summary>
    /// The page's messages with the calls of tools made while answering them, each after the newest message the model
    /// had read when it made the call. They do not count in the page's total, which counts messages.
    /// </summary>
    private async Task<List<TranscriptMessage>> WithToolCallsAsync(string botId, string userNumber, List<TranscriptMessage> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return items;
        }

        await using var command = dataSource.CreateCommand("""
            select id, through_message_id, tool, status, duration_ms, arguments, output, created_at
            from tool_calls
            where bot_id = @bot and user_number = @user and through_message_id between @first and @last
            order by through_message_id, turn_key, round, position
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("user", userNumber);
        command.Parameters.AddWithValue("first", items[0].Id);
        command.Parameters.AddWithValue("last", items[^1].Id);
        var calls = new List<(long Through, TranscriptMessage Call)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                calls.Add((reader.GetInt64(1), new TranscriptMessage(
                    reader.GetInt64(0), TranscriptMessage.ToolDirection, "", Utc(reader.GetDateTime(7)), null, reader.GetString(3), null, null)
                {
                    ToolCall = new TranscriptToolCall(reader.GetString(2), reader.IsDBNull(4) ? null : reader.GetInt32(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)),
                }));
            }
        }

        if (calls.Count == 0)
        {
            return items;
        }

        var merged = new List<TranscriptMessage>(items.Count + calls.Count);
        var next = 0;
        foreach (var (message, index) in items.Select((m, i) => (m, i)))
        {
            merged.Add(message);
            var before = index + 1 < items.Count ? items[index + 1].Id : long.MaxValue;
            while (next < calls.Count && calls[next].Through < before)
            {
                merged.Add(calls[next++].Call);
            }
        }

        return merged;
    }

    public Task<UsageDay[]> GetUsageAsync(string botId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => GetUsageCoreAsync(botId, from, to, cancellationToken));

    private async Task<UsageDay[]> GetUsageCoreAsync(string botId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = new List<UsageDay>();
        await using var command = dataSource.CreateCommand("""
            select day, sum(inbound)::int, sum(outbound)::int, sum(input)::bigint, sum(output)::bigint, sum(cached)::bigint, sum(audio)::int,
                   sum(images)::int, sum(documents)::int, sum(seconds)::float8, sum(transcription)::bigint, sum(minute_billed)::float8, sum(tools)::int,
                   sum(searches)::int, sum(file_searches)::int
            from (
                select (created_at at time zone 'UTC')::date as day,
                       count(*) filter (where direction = 'inbound') as inbound,
                       count(*) filter (where direction = 'outbound' and twilio_sid is not null) as outbound,
                       coalesce(sum(input_tokens), 0) as input, coalesce(sum(output_tokens), 0) as output, coalesce(sum(cached_tokens), 0) as cached,
                       coalesce(sum((select count(*) from unnest(media_types) t where t like 'audio/%')), 0) as audio,
                       coalesce(sum((select count(*) from unnest(media_types) t where t like 'image/%')), 0) as images,
                       coalesce(sum((select count(*) from unnest(media_types) t where t = 'application/pdf')), 0) as documents,
                       coalesce(sum(transcribed_seconds), 0) as seconds, coalesce(sum(transcription_tokens), 0) as transcription,
                       coalesce(sum(transcribed_seconds) filter (where coalesce(transcription_tokens, 0) = 0), 0) as minute_billed,
                       0 as tools, coalesce(sum(knowledge_searches), 0) as searches, coalesce(sum(file_searches), 0) as file_searches
                from messages
                where bot_id = @bot and created_at >= @from and created_at < @to
                group by 1
                union all
                select (created_at at time zone 'UTC')::date, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, count(*), 0, 0
                from tool_calls
                where bot_id = @bot and created_at >= @from and created_at < @to
                group by 1
                union all
                -- What retention erased of those days, counted before it went.
                select day, inbound_messages, outbound_messages, input_tokens, output_tokens, cached_tokens, audio_items, images, documents,
                       transcribed_seconds, transcription_tokens, minute_billed_seconds, tool_calls, knowledge_searches, file_searches
                from usage_erased
                where bot_id = @bot and day >= (@from at time zone 'UTC')::date and day < (@to at time zone 'UTC')::date) kept
            group by day order by day
            """);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("from", from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        command.Parameters.AddWithValue("to", to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new UsageDay(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5))
            {
                AudioItems = reader.GetInt32(6),
                Images = reader.GetInt32(7),
                Documents = reader.GetInt32(8),
                TranscribedSeconds = reader.GetDouble(9),
                TranscriptionTokens = reader.GetInt64(10),
                MinuteBilledSeconds = reader.GetDouble(11),
                ToolCalls = reader.GetInt32(12),
                KnowledgeSearches = reader.GetInt32(13),
                FileSearches = reader.GetInt32(14),
            });
        }

        return [.. days];
    }

    private static readonly JsonSerializerOptions SourceJson = new(JsonSerializerDefaults.Web);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
