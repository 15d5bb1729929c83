using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// Back to the bot: the handoff's fields cleared, and with answer_held the messages this handoff held reopened. Those
/// are told by when they were held, not received: a message that waited in the inbox when the operator took over
/// was received before the handoff and held by it, while one held by an earlier handoff was held before it.
/// </summary>
public sealed class Resume(string bot, string user, bool answerHeld, DateTimeOffset? idleBefore, DateTimeOffset now) : GroupCommitOperation<int?>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        with resumed as (
            update conversations c set mode = 'bot', human_since = null, handoff_trigger = null, handoff_reason = null, handoff_by = null,
                operator_active_at = null, handoff_notice_pending = false, updated_at = @now
            from (select human_since from conversations where bot_id = @bot and user_number = @user for update) prior
            where c.bot_id = @bot and c.user_number = @user and c.mode = 'human'
              and (@idle_before::timestamptz is null or c.operator_active_at <= @idle_before)
            returning prior.human_since),
        reopened as (
            update messages m set status = 'received', error_code = null, error_message = null, updated_at = @now
            from resumed
            where @answer_held and m.bot_id = @bot and m.user_number = @user and m.direction = 'inbound'
              and m.status = 'held' and m.updated_at >= resumed.human_since
            returning 1)
        select (select count(*) from resumed)::int, (select count(*) from reopened)::int
        """,
        Text("bot", bot), Text("user", user), Flag("answer_held", answerHeld), Timestamp("idle_before", idleBefore), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        var (resumed, reopened) = (await ReadRowsAsync(reader, r => (r.GetInt32(0), r.GetInt32(1)))).Single();
        SetResult(resumed > 0 ? reopened : null);
    }
}
