using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// The send of a pending part no write has claimed yet (an operator's message, a campaign's template, a part whose
/// turn found the outbox busy): <c>sending_since</c> is set before Twilio is called, so that whoever finds the part
/// pending later knows it may have been sent. False when the part is no longer pending or another claimed it first;
/// its conversation then reads its open work again.
/// </summary>
public sealed class ClaimSend(string bot, string user, long partId, DateTimeOffset now) : GroupCommitOperation<bool>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        update messages set sending_since = @now
        where id = @id and bot_id = @bot and user_number = @user and direction = 'outbound' and status = 'pending' and sending_since is null
        returning 1
        """,
        Id("id", partId), Text("bot", bot), Text("user", user), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt32(0))).Count > 0);
}
