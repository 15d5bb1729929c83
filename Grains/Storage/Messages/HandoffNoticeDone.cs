using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

public sealed class HandoffNoticeDone(string bot, string user, DateTimeOffset since) : GroupCommitOperation<bool>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        update conversations set handoff_notice_pending = false
        where bot_id = @bot and user_number = @user and handoff_notice_pending and human_since = @since
        returning 1
        """,
        Text("bot", bot), Text("user", user), Timestamp("since", since)));

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt32(0))).Count > 0);
}
