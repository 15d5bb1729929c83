using HorizonAI.Grains.Interfaces;
using Npgsql;

namespace HorizonAI.Grains.Storage;

/// <summary>The message log's reads in PostgreSQL; all indexed by bot number.</summary>
public sealed class MessageLogQueries(NpgsqlDataSource dataSource) : IMessageLogQueries
{
    public async Task<Page<ConversationSummary>> ListConversationsAsync(string botNumber, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var items = new List<ConversationSummary>();
        var total = 0;
        await using var command = dataSource.CreateCommand("""
            select user_number, min(created_at), max(created_at), count(*)::int, count(*) over ()::int
            from messages where bot_number = @bot
            group by user_number
            order by max(created_at) desc, user_number
            offset @offset limit @limit
            """);
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new ConversationSummary(reader.GetString(0), Utc(reader.GetDateTime(1)), Utc(reader.GetDateTime(2)), reader.GetInt32(3)));
            total = reader.GetInt32(4);
        }

        if (items.Count == 0 && offset > 0)
        {
            total = await CountAsync("select count(distinct user_number)::int from messages where bot_number = @bot", botNumber, null, cancellationToken);
        }

        return new Page<ConversationSummary>([.. items], total, offset, limit);
    }

    public async Task<Page<TranscriptMessage>> GetTranscriptAsync(string botNumber, string userNumber, int offset, int limit, CancellationToken cancellationToken = default)
    {
        var items = new List<TranscriptMessage>();
        await using var command = dataSource.CreateCommand("""
            select id, direction, body, created_at, twilio_sid, status, error_code, error_message
            from messages where bot_number = @bot and user_number = @user
            order by id offset @offset limit @limit
            """);
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("user", userNumber);
        command.Parameters.AddWithValue("offset", offset);
        command.Parameters.AddWithValue("limit", limit);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new TranscriptMessage(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Utc(reader.GetDateTime(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
            }
        }

        var total = await CountAsync("select count(*)::int from messages where bot_number = @bot and user_number = @user", botNumber, userNumber, cancellationToken);
        return new Page<TranscriptMessage>([.. items], total, offset, limit);
    }

    public async Task<UsageDay[]> GetUsageAsync(string botNumber, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var days = new List<UsageDay>();
        await using var command = dataSource.CreateCommand("""
            select (created_at at time zone 'UTC')::date as day,
                   count(*) filter (where direction = 'inbound')::int,
                   count(*) filter (where direction = 'outbound' and twilio_sid is not null)::int,
                   coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint, coalesce(sum(cached_tokens), 0)::bigint
            from messages
            where bot_number = @bot and created_at >= @from and created_at < @to
            group by 1 order by 1
            """);
        command.Parameters.AddWithValue("bot", botNumber);
        command.Parameters.AddWithValue("from", from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        command.Parameters.AddWithValue("to", to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            days.Add(new UsageDay(DateOnly.FromDateTime(reader.GetDateTime(0)), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return [.. days];
    }

    private async Task<int> CountAsync(string sql, string botNumber, string? userNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("bot", botNumber);
        if (userNumber is not null)
        {
            command.Parameters.AddWithValue("user", userNumber);
        }

        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
