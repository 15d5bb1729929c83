using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>Human mode, entered unless it is on already; answers the handoff that stands.</summary>
public sealed class TakeOver(string bot, string user, HumanMode handoff, DateTimeOffset now) : GroupCommitOperation<HumanMode>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        with taken as (
            insert into conversations (bot_id, user_number, mode, human_since, handoff_trigger, handoff_reason, handoff_by,
                operator_active_at, handoff_notice_pending, updated_at)
            values (@bot, @user, 'human', @since, @trigger, @reason, @by, @since, @notice, @now)
            on conflict (bot_id, user_number) do update
                set mode = 'human', human_since = excluded.human_since, handoff_trigger = excluded.handoff_trigger,
                    handoff_reason = excluded.handoff_reason, handoff_by = excluded.handoff_by,
                    operator_active_at = excluded.operator_active_at, handoff_notice_pending = excluded.handoff_notice_pending, updated_at = @now
                where conversations.mode <> 'human'
            returning human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending)
        select * from taken
        union all
        select human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending from conversations
        where bot_id = @bot and user_number = @user and mode = 'human' and not exists (select 1 from taken)
        """,
        Text("bot", bot), Text("user", user), Timestamp("since", handoff.Since), Text("trigger", handoff.Trigger), Text("reason", handoff.Reason),
        Text("by", handoff.By), Flag("notice", handoff.NoticePending), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        // The new handoff, or the one that stands when it was in human mode already.
        SetResult((await ReadRowsAsync(reader, r => HumanMode(r, 0))).FirstOrDefault() ?? handoff);
    }
}
