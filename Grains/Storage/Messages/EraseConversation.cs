using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// Every message of a conversation, the calls of tools made in it, its state and its line in the conversation list
/// (what retention kept of it in <c>conversations_erased</c>): nothing of the user is left but an opt-out, which must
/// be honoured still. What the messages and calls counted in the usage report goes to <c>usage_erased</c> first, as
/// retention does: that report is the bot's, per day, with no user in it, and what was spent stays spent. Returns the
/// OpenAI conversation the state named (read in the statement's snapshot, before its changes), which the caller
/// deletes upstream.
/// </summary>
public sealed class EraseConversation(string bot, string user, DateTimeOffset now) : GroupCommitOperation<ErasedConversation>
{
    private static readonly string Sql = $"""
        with erased as (delete from messages where bot_id = @bot and user_number = @user returning {ErasedUsage.MessageColumns}),
        calls as (delete from tool_calls where bot_id = @bot and user_number = @user returning created_at),
        counted as (
            {ErasedUsage.Add(ErasedUsage.OfMessages("erased"), ErasedUsage.OfToolCalls("calls"))}
            returning 1),
        listed as (delete from conversations_erased where bot_id = @bot and user_number = @user returning 1),
        state as (delete from conversations where bot_id = @bot and user_number = @user and opted_out_at is null returning 1),
        kept as (
            update conversations set assistant_conversation_id = null, history = '[]'::jsonb, pending_call_id = null, mode = 'bot',
                human_since = null, handoff_trigger = null, handoff_reason = null, handoff_by = null, operator_active_at = null,
                handoff_notice_pending = false, updated_at = @now
            where bot_id = @bot and user_number = @user and opted_out_at is not null returning 1)
        select (select count(*)::int from erased),
               (select assistant_conversation_id from conversations where bot_id = @bot and user_number = @user)
        """;

    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command(Sql, Text("bot", bot), Text("user", user), Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => new ErasedConversation(r.GetInt32(0), OptionalText(r, 1)))).Single());
}
