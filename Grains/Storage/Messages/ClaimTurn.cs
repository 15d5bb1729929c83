using System.Text.Json;
using HorizonAI.Storage;
using HorizonAI.Storage.GroupCommit;
using Npgsql;
using NpgsqlTypes;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// A turn: claims its messages (all still <c>received</c>, locked first so that a concurrent claim or erasure is
/// seen), stores its reply parts as pending outbound rows (tokens on the first), and saves the conversation's state;
/// all of it, or nothing when the claim fails. When no older part waits in the outbox, the first part's send is
/// claimed with it (<c>sending_since</c>): the turn sends it at once, without a write of its own.
/// </summary>
public sealed class ClaimTurn(TurnRecord turn, DateTimeOffset now) : GroupCommitOperation<IReadOnlyList<PendingPart>?>
{
    public override void AddTo(NpgsqlBatch batch)
    {
        // With no part to send, the messages are settled at once (a failed turn without a fallback message).
        var claimStatus = turn.Parts.Count > 0 ? MessageStatus.Answering : MessageStatus.Failed;
        var readings = turn.MediaReadings?.ToList() ?? [];
        batch.BatchCommands.Add(Command("""
            with locked as (
                select id, status from messages
                where id = any(@ids) and bot_id = @bot and user_number = @user and direction = 'inbound' for update),
            conversation as (
                select mode from conversations where bot_id = @bot and user_number = @user for update),
            claim as (
                select count(*) = cardinality(@ids) and coalesce(bool_and(status = 'received'), false)
                       and not (@bot_mode_only and exists (select 1 from conversation where conversation.mode = 'human')) as ok
                from locked),
            claimed as (
                update messages m set status = @claim_status, error_code = @code, error_message = @error, updated_at = @now,
                    media_text = coalesce(read.text, m.media_text),
                    transcribed_seconds = coalesce(read.seconds, m.transcribed_seconds),
                    transcription_tokens = coalesce(read.tokens, m.transcription_tokens)
                from claim cross join unnest(@ids) as claimed_id(id)
                    left join unnest(@media_ids, @media_texts, @media_seconds, @media_tokens) as read(id, text, seconds, tokens)
                        on read.id = claimed_id.id
                where claim.ok and m.id = claimed_id.id
                returning m.id),
            waiting as (
                select 1 from messages
                where bot_id = @bot and user_number = @user and direction = 'outbound' and status = 'pending' limit 1),
            parts as (
                insert into messages (bot_id, user_number, direction, body, media_urls, status, input_tokens, output_tokens, cached_tokens, traceparent,
                    sending_since, knowledge_sources, knowledge_searches, file_searches, created_at, updated_at)
                select @bot, @user, 'outbound', part.body, case when part.media = '' then '{}'::text[] else array[part.media] end, 'pending',
                       case when part.n = 1 then @input end, case when part.n = 1 then @output end, case when part.n = 1 then @cached end, @traceparent,
                       case when part.n = 1 and not exists (select 1 from waiting) then @now end,
                       case when part.n = 1 then @knowledge_sources end, case when part.n = 1 then @knowledge_searches end,
                       case when part.n = 1 then @file_searches end, @now, @now
                from claim, unnest(@parts, @part_media) with ordinality as part(body, media, n)
                where claim.ok
                order by part.n
                returning id, body, media_urls[1] as media, sending_since is not null as claimed),
            saved as (
                insert into conversations (bot_id, user_number, assistant_conversation_id, history, opted_out_at, pending_call_id,
                    mode, human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending, updated_at)
                select @bot, @user, @conversation_id, @history, @opted_out_at, @pending_call_id,
                    case when @handoff then 'human' else 'bot' end, @human_since, @trigger, @reason, @by, @human_since, coalesce(@notice, false), @now
                from claim where claim.ok and @save
                on conflict (bot_id, user_number) do update
                    set assistant_conversation_id = excluded.assistant_conversation_id, history = excluded.history,
                        opted_out_at = excluded.opted_out_at, pending_call_id = excluded.pending_call_id, updated_at = excluded.updated_at,
                        mode = case when @handoff then 'human' else conversations.mode end,
                        human_since = case when @handoff then excluded.human_since else conversations.human_since end,
                        handoff_trigger = case when @handoff then excluded.handoff_trigger else conversations.handoff_trigger end,
                        handoff_reason = case when @handoff then excluded.handoff_reason else conversations.handoff_reason end,
                        handoff_by = case when @handoff then excluded.handoff_by else conversations.handoff_by end,
                        operator_active_at = case when @handoff then excluded.operator_active_at else conversations.operator_active_at end,
                        handoff_notice_pending = case when @handoff then excluded.handoff_notice_pending else conversations.handoff_notice_pending end
                returning 1)
            select parts.id, parts.body, parts.media, parts.claimed from claim left join parts on true where claim.ok order by parts.id
            """,
            new NpgsqlParameter<long[]>("ids", [.. turn.MessageIds]), Text("claim_status", claimStatus),
            new NpgsqlParameter<long[]>("media_ids", [.. readings.Select(r => r.Key)]),
            new NpgsqlParameter<string[]>("media_texts", [.. readings.Select(r => r.Value.Text)]),
            new NpgsqlParameter<float[]>("media_seconds", [.. readings.Select(r => (float)r.Value.TranscribedSeconds)]),
            new NpgsqlParameter<int[]>("media_tokens", [.. readings.Select(r => r.Value.TranscriptionTokens)]),
            Text("code", turn.ErrorCode), Text("error", turn.ErrorMessage), Timestamp("now", now), Text("traceparent", turn.TraceParent),
            Text("bot", turn.BotId), Text("user", turn.UserNumber), new NpgsqlParameter<string[]>("parts", [.. turn.Parts.Select(p => p.Body)]),
            new NpgsqlParameter<string[]>("part_media", [.. turn.Parts.Select(p => p.MediaUrl ?? "")]),
            Integer("input", turn.InputTokens), Integer("output", turn.OutputTokens), Integer("cached", turn.CachedTokens),
            new NpgsqlParameter("knowledge_sources", NpgsqlDbType.Jsonb)
            {
                Value = turn.Knowledge is { Sources.Count: > 0 } used ? JsonSerializer.Serialize(used.Sources.Select(k => new { id = k.Id, title = k.Title })) : DBNull.Value,
            },
            Integer("knowledge_searches", turn.Knowledge is { Searches: > 0 } searched ? searched.Searches : null),
            Integer("file_searches", turn.Knowledge is { FileSearches: > 0 } hosted ? hosted.FileSearches : null),
            Flag("save", turn.Conversation is not null), Text("conversation_id", turn.Conversation?.AssistantConversationId),
            Text("pending_call_id", turn.Conversation?.PendingCallId), Flag("bot_mode_only", turn.BotModeOnly), Flag("handoff", turn.Handoff is not null),
            Timestamp("human_since", turn.Handoff?.Since), Text("trigger", turn.Handoff?.Trigger), Text("reason", turn.Handoff?.Reason),
            Text("by", turn.Handoff?.By), new NpgsqlParameter("notice", NpgsqlDbType.Boolean) { Value = (object?)turn.Handoff?.NoticePending ?? DBNull.Value },
            new NpgsqlParameter("opted_out_at", NpgsqlDbType.TimestampTz) { Value = turn.Conversation?.OptedOutAt is { } optedOut ? optedOut.UtcDateTime : DBNull.Value },
            new NpgsqlParameter("history", NpgsqlDbType.Jsonb) { Value = turn.Conversation is { } c ? JsonSerializer.Serialize(c.History, HistoryJson) : DBNull.Value }));
    }

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        // No row: the claim failed. One row with a null id: claimed, with no part to send.
        var rows = await ReadRowsAsync(reader, r => r.IsDBNull(0) ? null : new PendingPart(r.GetInt64(0), r.GetString(1), OptionalText(r, 2), TraceParent: turn.TraceParent)
            {
                SendingSince = r.GetBoolean(3) ? now : null,
                ClaimedForSend = r.GetBoolean(3),
            });
        SetResult(rows.Count == 0 ? null : rows.OfType<PendingPart>().ToList());
    }
}
