using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>Inbox messages settled without a turn (their bot was disabled or removed).</summary>
public sealed class SettleInbox(string bot, string user, IReadOnlyCollection<long> ids, string status, string errorCode, string errorMessage, DateTimeOffset now) : GroupCommitOperation<int>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        update messages set status = @status, error_code = @code, error_message = @error, updated_at = @now
        where id = any(@ids) and bot_id = @bot and user_number = @user and direction = 'inbound' and status = 'received'
        returning id
        """,
        new NpgsqlParameter<long[]>("ids", [.. ids]), Text("bot", bot), Text("user", user), Text("status", status), Text("code", errorCode), Text("error", errorMessage), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt64(0))).Count);
}
