using HorizonAI.Storage;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// Every user a bot keeps anything of (a purge erases each one's conversation): messages, calls of tools, a
/// conversation's state, or only what retention kept of it for the conversation list once their messages were erased.
/// A read, straight from the pool.
/// </summary>
public static class ListConversationUsers
{
    public static Task<IReadOnlyList<string>> ReadAsync(NpgsqlDataSource dataSource, string bot) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                select user_number from messages where bot_id = @bot
                union select user_number from tool_calls where bot_id = @bot
                union select user_number from conversations where bot_id = @bot
                union select user_number from conversations_erased where bot_id = @bot
                """);
            command.Parameters.Add(Text("bot", bot));
            await using var reader = await command.ExecuteReaderAsync();
            return (IReadOnlyList<string>)await RowsAsync(reader, r => r.GetString(0));
        });
}
