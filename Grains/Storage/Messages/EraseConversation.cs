using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>Every message of a conversation, the calls of tools made in it, and its state.</summary>
public sealed class EraseConversation(string bot, string user, DateTimeOffset now) : GroupCommitOperation<int>
{
    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        with erased as (delete from messages where bot_id = @bot and user_number = @user returning 1),
        calls as (delete from tool_calls where bot_id = @bot and user_number = @user returning 1),
        state as (delete from conversations where bot_id = @bot and user_number = @user and opted_out_at is null returning 1),
        kept as (
            update conversations set assistant_conversation_id = null, history = '[]'::jsonb, pending_call_id = null, mode = 'bot',
                human_since = null, handoff_trigger = null, handoff_reason = null, handoff_by = null, operator_active_at = null,
                handoff_notice_pending = false, updated_at = @now
            where bot_id = @bot and user_number = @user and opted_out_at is not null returning 1)
        select count(*)::int from erased
        """,
        Text("bot", bot), Text("user", user), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt32(0))).Single());
}
