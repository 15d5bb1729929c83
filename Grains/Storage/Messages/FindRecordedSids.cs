using HorizonAI.Storage;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// Which of the SIDs Twilio lists for a conversation its rows already carry: the rest may be a claimed part's send that
/// was never recorded (see <see cref="ClaimSend"/>). A read, straight from the pool.
/// </summary>
public static class FindRecordedSids
{
    public static Task<IReadOnlySet<string>> ReadAsync(NpgsqlDataSource dataSource, string bot, string user, IReadOnlyList<string> sids) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("select twilio_sid from messages where bot_id = @bot and user_number = @user and twilio_sid = any(@sids)");
            command.Parameters.Add(Text("bot", bot));
            command.Parameters.Add(Text("user", user));
            command.Parameters.Add(new NpgsqlParameter<string[]>("sids", [.. sids]));
            await using var reader = await command.ExecuteReaderAsync();
            return (IReadOnlySet<string>)(await RowsAsync(reader, r => r.GetString(0))).ToHashSet(StringComparer.Ordinal);
        });
}
