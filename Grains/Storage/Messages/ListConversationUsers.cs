using HorizonAI.Storage;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>Every user a bot has messages with (a purge erases each one's conversation). A read, straight from the pool.</summary>
public static class ListConversationUsers
{
    public static Task<IReadOnlyList<string>> ReadAsync(NpgsqlDataSource dataSource, string bot) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("select distinct user_number from messages where bot_id = @bot");
            command.Parameters.Add(Text("bot", bot));
            await using var reader = await command.ExecuteReaderAsync();
            return (IReadOnlyList<string>)await RowsAsync(reader, r => r.GetString(0));
        });
}
