using Npgsql;
using HorizonAI.Storage;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// The recovery sweep's read: the conversations of one shard with rows unsettled since before <c>before</c>, oldest
/// first, and those in human mode whose bot's idle time has passed or whose handoff notice is unsent. A read, straight
/// from the pool.
/// </summary>
public static class SweepPending
{
    public static Task<IReadOnlyList<PendingConversation>> FindAsync(NpgsqlDataSource dataSource, int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => FindCoreAsync(dataSource, shard, shards, before, now, limit));

    private static async Task<IReadOnlyList<PendingConversation>> FindCoreAsync(NpgsqlDataSource dataSource, int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit)
    {
        // The partial index messages_unsettled holds only open work, and conversations_handoff only conversations in
        // human mode or with a notice to send, so this stays small however long the log is.
        await using var command = dataSource.CreateCommand("""
            with open_work as (
                select bot_id, user_number, min(created_at) as since from messages
                where status in ('received', 'answering', 'pending')
                  and ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
                  and created_at < @before
                group by bot_id, user_number),
            handoffs as (
                select c.bot_id, c.user_number, c.updated_at as since from conversations c
                left join bots b on b.id = c.bot_id
                where (c.mode = 'human' or c.handoff_notice_pending)
                  and ((c.handoff_notice_pending and c.updated_at < @before)
                       or (c.mode = 'human' and b.auto_resume_minutes > 0
                           and c.operator_active_at + b.auto_resume_minutes * interval '1 minute' <= @now)))
            select due.bot_id, i.phone_number, due.user_number from (select * from open_work union all select * from handoffs) due
            join bot_identities i on i.id = due.bot_id
            where (hashtext(due.bot_id || '|' || due.user_number) & 2147483647) % @shards = @shard
            group by due.bot_id, i.phone_number, due.user_number
            order by min(due.since)
            limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("before", before.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<int>("shards", shards));
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var pending = new List<PendingConversation>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pending.Add(new PendingConversation(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return pending;
    }
}
