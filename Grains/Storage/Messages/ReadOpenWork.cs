using System.Text.Json;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Storage;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// A conversation's open work, read when its pump starts a round: the inbox (inbound rows still <c>received</c>),
/// the outbox (outbound rows still <c>pending</c>, with whether a send of each was claimed) and the conversation's
/// state. One round trip of two indexed reads (the partial index <c>messages_unsettled</c> holds only open rows),
/// straight from the pool: a read waits for no flush of the writer.
/// </summary>
public static class ReadOpenWork
{

    public static Task<ConversationSnapshot> ReadAsync(NpgsqlDataSource dataSource, string bot, string user) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ReadCoreAsync(dataSource, bot, user));

    private static async Task<ConversationSnapshot> ReadCoreAsync(NpgsqlDataSource dataSource, string bot, string user)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            select assistant_conversation_id, history, opted_out_at, pending_call_id, mode = 'human', human_since, handoff_trigger,
                   handoff_reason, handoff_by, operator_active_at, handoff_notice_pending
            from conversations where bot_id = @bot and user_number = @user
            """) { Parameters = { Text("bot", bot), Text("user", user) } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            select id, direction, status, twilio_sid, body, media_urls, media_types, created_at, sent_by, content_sid, content_variables,
                   traceparent, sending_since, profile_name
            from messages
            where bot_id = @bot and user_number = @user
              and status in ('received', 'answering', 'pending')
              and ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
            order by id
            """) { Parameters = { Text("bot", bot), Text("user", user) } });
        await using var reader = await batch.ExecuteReaderAsync();
        var state = (await RowsAsync(reader, r => (
            ConversationId: OptionalText(r, 0),
            History: r.IsDBNull(1) ? [] : JsonSerializer.Deserialize<List<HistoryTurn>>(r.GetString(1), HistoryJson) ?? [],
            OptedOutAt: OptionalUtc(r, 2),
            PendingCallId: OptionalText(r, 3),
            Human: r.GetBoolean(4) ? HumanMode(r, 5) : null))).FirstOrDefault();
        var inbox = new List<PendingInbound>();
        var outbox = new List<PendingPart>();
        await RowsAsync(reader, r =>
        {
            var id = r.GetInt64(0);
            if (r.GetString(1) == "outbound")
            {
                outbox.Add(new PendingPart(id, r.GetString(4), r.GetFieldValue<string[]>(5).FirstOrDefault(), OptionalText(r, 8), OptionalText(r, 9),
                    OptionalText(r, 10), OptionalText(r, 11)) { SendingSince = OptionalUtc(r, 12) });
            }
            else if (r.GetString(2) == MessageStatus.Received)
            {
                inbox.Add(new PendingInbound(id, OptionalText(r, 3) ?? "", r.GetString(4), MediaItem.Zip(r.GetFieldValue<string[]>(5), r.GetFieldValue<string[]>(6)),
                    Utc(r.GetDateTime(7)), OptionalText(r, 11)) { ProfileName = OptionalText(r, 13) });
            }

            return id;
        });
        return new ConversationSnapshot(state.ConversationId, state.History ?? [], inbox, outbox)
        {
            OptedOutAt = state.OptedOutAt,
            PendingCallId = state.PendingCallId,
            Human = state.Human,
        };
    }
}
