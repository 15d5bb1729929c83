using System.Text.Json;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Storage;
using HorizonAI.Storage.GroupCommit;
using HorizonAI.Storage.Messages;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The messages table in PostgreSQL, written through the silo's <see cref="GroupCommitWriter"/>. The operations below
/// follow a message's life: accepted (an inbound row), loaded by its conversation, claimed by a turn together with the
/// turn's reply parts, each part recorded once sent, the last one settling the messages it answers; status callbacks
/// move the parts' statuses forward. Each operation is one statement (or two reads), safe to run again. Every time
/// it writes or compares is the application's clock (<see cref="TimeProvider"/>), passed as a parameter, never SQL's
/// <c>@now</c>, so that one clock decides every rule and tests can drive it.
/// </summary>
public sealed class PostgresMessageStore(GroupCommitWriter writer, [FromKeyedServices(MessageDataSource.Key)] NpgsqlDataSource dataSource, TimeProvider time) : IMessageStore
{
    private const string UnsettledRows = """
        status in ('received', 'answering', 'pending')
        and ((direction = 'inbound' and status in ('received', 'answering')) or (direction = 'outbound' and status = 'pending'))
        """;

    private static readonly JsonSerializerOptions HistoryJson = new(JsonSerializerDefaults.Web);

    public Task<AcceptResult> AcceptAsync(InboundMessage message, string status, bool loadConversation) =>
        writer.WriteAsync(new Accept(message, status, loadConversation));

    public Task<ConversationSnapshot> LoadAsync(string botId, string userNumber) =>
        writer.WriteAsync(new Load(botId, userNumber));

    public Task<IReadOnlyList<PendingPart>?> CommitTurnAsync(TurnRecord turn) => writer.WriteAsync(new CommitTurn(turn, Now()));

    public Task<OutboundResult> AddOutboundAsync(string botId, string userNumber, OutboundRequest request) =>
        writer.WriteAsync(new AddOutbound(botId, userNumber, request, Now()));

    public Task<IReadOnlySet<string>> RecordedSidsAsync(string botId, string userNumber, IReadOnlyList<string> sids) =>
        writer.WriteAsync(new RecordedSids(botId, userNumber, sids));

    public Task<HumanMode> TakeOverAsync(string botId, string userNumber, HumanMode handoff) => writer.WriteAsync(new TakeOver(botId, userNumber, handoff, Now()));

    public Task<int?> ResumeAsync(string botId, string userNumber, bool answerHeld, DateTimeOffset? idleBefore) =>
        writer.WriteAsync(new Resume(botId, userNumber, answerHeld, idleBefore, Now()));

    public Task HandoffNoticeDoneAsync(string botId, string userNumber, DateTimeOffset since) => writer.WriteAsync(new NoticeDone(botId, userNumber, since));

    public Task<Settlement> RecordPartAsync(PartRecord part) => writer.WriteAsync(new RecordPart(part, Now()));

    public Task<int> SettleAsync(string botId, string userNumber, IReadOnlyCollection<long> messageIds, string status, string errorCode, string errorMessage) =>
        writer.WriteAsync(new Settle(botId, userNumber, messageIds, status, errorCode, errorMessage, Now()));


    public Task<int> EraseAsync(string botId, string userNumber) => writer.WriteAsync(new Erase(botId, userNumber, Now()));

    public Task<IReadOnlyList<PendingConversation>> FindPendingAsync(int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => FindPendingCoreAsync(shard, shards, before, now, limit));

    private async Task<IReadOnlyList<PendingConversation>> FindPendingCoreAsync(int shard, int shards, DateTimeOffset before, DateTimeOffset now, int limit)
    {
        // The partial index messages_unsettled holds only open work, and conversations_handoff only conversations in
        // human mode or with a notice to send, so this stays small however long the log is.
        await using var command = dataSource.CreateCommand($"""
            with open_work as (
                select bot_id, user_number, min(created_at) as since from messages
                where {UnsettledRows} and created_at < @before
                group by bot_id, user_number),
            handoffs as (
                select c.bot_id, c.user_number, c.updated_at as since from conversations c
                left join bots b on b.id = c.bot_id
                where (c.mode = 'human' or c.handoff_notice_pending)
                  and ((c.handoff_notice_pending and c.updated_at < @before)
                       or (c.mode = 'human' and b.auto_resume_minutes > 0
                           and c.operator_active_at + b.auto_resume_minutes * interval '1 minute' <= @now)))
            select due.bot_id, i.phone_number, due.user_number from (select * from open_work union all select * from handoffs) due
            join bot_identities i on i.id = due.bot_id
            where (hashtext(due.bot_id || '|' || due.user_number) & 2147483647) % @shards = @shard
            group by due.bot_id, i.phone_number, due.user_number
            order by min(due.since)
            limit @limit
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime>("now", now.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<DateTime>("before", before.UtcDateTime));
        command.Parameters.Add(new NpgsqlParameter<int>("shards", shards));
        command.Parameters.Add(new NpgsqlParameter<int>("shard", shard));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        var pending = new List<PendingConversation>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            pending.Add(new PendingConversation(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return pending;
    }

    public Task<IReadOnlyList<string>> ListUsersAsync(string botId) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ListUsersCoreAsync(botId));

    private async Task<IReadOnlyList<string>> ListUsersCoreAsync(string botId)
    {
        var users = new List<string>();
        await using var command = dataSource.CreateCommand("select distinct user_number from messages where bot_id = @bot");
        command.Parameters.Add(new NpgsqlParameter<string>("bot", botId));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            users.Add(reader.GetString(0));
        }

        return users;
    }

    private DateTimeOffset Now() => PostgresTime.Now(time);

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Integer(string name, int? value) => new(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Flag(string name, bool value) => new NpgsqlParameter<bool>(name, value);

    private static NpgsqlParameter Timestamp(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } at ? at.UtcDateTime : DBNull.Value };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>Reads human_since, handoff_trigger, handoff_reason, handoff_by, operator_active_at, handoff_notice_pending from <paramref name="first"/> on.</summary>
    private static HumanMode ReadHumanMode(NpgsqlDataReader r, int first) => new(
        Utc(r.GetDateTime(first)), r.IsDBNull(first + 1) ? Handoff.ByAdmin : r.GetString(first + 1), r.IsDBNull(first + 2) ? null : r.GetString(first + 2),
        r.IsDBNull(first + 3) ? null : r.GetString(first + 3), r.IsDBNull(first + 4) ? Utc(r.GetDateTime(first)) : Utc(r.GetDateTime(first + 4)), r.GetBoolean(first + 5));

    /// <summary>An inbound message, stored once per (bot, MessageSid); a repeat finds the row that is there.</summary>
    private sealed class Accept(InboundMessage message, string status, bool loadConversation) : GroupCommitOperation<AcceptResult>
    {
        public override void AddTo(NpgsqlBatch batch)
        {
            AcceptInbound.AddCommand(batch, message, status);
            if (loadConversation)
            {
                Load.AddCommands(batch, message.BotId!, message.UserNumber);
            }
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            var row = await AcceptInbound.ReadRowAsync(reader);
            var conversation = loadConversation ? await Load.ReadSnapshotAsync(reader) : null;
            SetResult(new AcceptResult(row.Inserted, row.Id, row.Status, conversation));
        }
    }

    /// <summary>A conversation's state and open work: its inbox (received) and outbox (pending parts).</summary>
    private sealed class Load(string bot, string user) : GroupCommitOperation<ConversationSnapshot>
    {
        public static void AddCommands(NpgsqlBatch batch, string bot, string user)
        {
            batch.BatchCommands.Add(Command(
                """
                select assistant_conversation_id, history, opted_out_at, pending_call_id, mode = 'human', human_since, handoff_trigger,
                       handoff_reason, handoff_by, operator_active_at, handoff_notice_pending
                from conversations where bot_id = @bot and user_number = @user
                """,
                Text("bot", bot), Text("user", user)));
            batch.BatchCommands.Add(Command($"""
                select id, direction, status, twilio_sid, body, media_urls, media_types, created_at, sent_by, content_sid, content_variables, traceparent from messages
                where bot_id = @bot and user_number = @user and {UnsettledRows}
                order by id
                """,
                Text("bot", bot), Text("user", user)));
        }

        public static async Task<ConversationSnapshot> ReadSnapshotAsync(NpgsqlDataReader reader)
        {
            var state = (await ReadRowsAsync(reader, r => (
                ConversationId: r.IsDBNull(0) ? null : r.GetString(0),
                History: r.IsDBNull(1) ? [] : JsonSerializer.Deserialize<List<HistoryTurn>>(r.GetString(1), HistoryJson) ?? [],
                OptedOutAt: r.IsDBNull(2) ? (DateTimeOffset?)null : Utc(r.GetDateTime(2)),
                PendingCallId: r.IsDBNull(3) ? null : r.GetString(3),
                Human: r.GetBoolean(4) ? ReadHumanMode(r, 5) : null))).FirstOrDefault();
            var inbox = new List<PendingInbound>();
            var outbox = new List<PendingPart>();
            var writtenAt = new Dictionary<long, DateTimeOffset>();
            await ReadRowsAsync(reader, r =>
            {
                var id = r.GetInt64(0);
                if (r.GetString(1) == "outbound")
                {
                    outbox.Add(new PendingPart(id, r.GetString(4), r.GetFieldValue<string[]>(5).FirstOrDefault(), r.IsDBNull(8) ? null : r.GetString(8),
                        r.IsDBNull(9) ? null : r.GetString(9), r.IsDBNull(10) ? null : r.GetString(10), r.IsDBNull(11) ? null : r.GetString(11)));
                    writtenAt[id] = Utc(r.GetDateTime(7));
                }
                else if (r.GetString(2) == MessageStatus.Received)
                {
                    inbox.Add(new PendingInbound(id, r.IsDBNull(3) ? "" : r.GetString(3), r.GetString(4),
                        MediaItem.Zip(r.GetFieldValue<string[]>(5), r.GetFieldValue<string[]>(6)),
                        Utc(r.GetDateTime(7)), r.IsDBNull(11) ? null : r.GetString(11)));
                }

                return id;
            });
            return new ConversationSnapshot(state.ConversationId, state.History ?? [], inbox, outbox)
            {
                OutboxWrittenAt = writtenAt,
                OptedOutAt = state.OptedOutAt,
                PendingCallId = state.PendingCallId,
                Human = state.Human,
            };
        }

        public override void AddTo(NpgsqlBatch batch) => AddCommands(batch, bot, user);

        public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult(await ReadSnapshotAsync(reader));
    }

    /// <summary>
    /// A turn: claims its messages (all still <c>received</c>, locked first so that a concurrent claim or erasure is
    /// seen), stores its reply parts as pending outbound rows (tokens on the first), and saves the conversation's state;
    /// all of it, or nothing when the claim fails.
    /// </summary>
    private sealed class CommitTurn(TurnRecord turn, DateTimeOffset now) : GroupCommitOperation<IReadOnlyList<PendingPart>?>
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
                parts as (
                    insert into messages (bot_id, user_number, direction, body, media_urls, status, input_tokens, output_tokens, cached_tokens, traceparent, created_at, updated_at)
                    select @bot, @user, 'outbound', part.body, case when part.media = '' then '{}'::text[] else array[part.media] end, 'pending',
                           case when part.n = 1 then @input end, case when part.n = 1 then @output end, case when part.n = 1 then @cached end, @traceparent, @now, @now
                    from claim, unnest(@parts, @part_media) with ordinality as part(body, media, n)
                    where claim.ok
                    order by part.n
                    returning id, body, media_urls[1] as media),
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
                select parts.id, parts.body, parts.media from claim left join parts on true where claim.ok order by parts.id
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
            var rows = await ReadRowsAsync(reader, r => r.IsDBNull(0) ? null : new PendingPart(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), TraceParent: turn.TraceParent));
            SetResult(rows.Count == 0 ? null : rows.OfType<PendingPart>().ToList());
        }
    }

    /// <summary>A message of the business: pending outbound rows naming who sent it, in order, if the user may get them.</summary>
    private sealed class AddOutbound(string bot, string user, OutboundRequest request, DateTimeOffset now) : GroupCommitOperation<OutboundResult>
    {
        public override void AddTo(NpgsqlBatch batch)
        {
            // First what decides it (read before the insert, in the same transaction), then the rows if it may go.
            batch.BatchCommands.Add(Command("""
                select (select opted_out_at is not null from conversations where bot_id = @bot and user_number = @user),
                       (select max(created_at) from messages where bot_id = @bot and user_number = @user and direction = 'inbound')
                """,
                Text("bot", bot), Text("user", user)));
            if (request.Campaign is { } campaign)
            {
                AddCampaignRow(batch, campaign);
                return;
            }

            batch.BatchCommands.Add(Command("""
                with allowed as (
                    select 1 where not exists (
                            select 1 from conversations where bot_id = @bot and user_number = @user and opted_out_at is not null)
                        and (not @needs_window or exists (
                            select 1 from messages where bot_id = @bot and user_number = @user and direction = 'inbound'
                              and created_at > @now - interval '24 hours'))),
                active as (
                    update conversations set operator_active_at = @now
                    where bot_id = @bot and user_number = @user and mode = 'human' and exists (select 1 from allowed))
                insert into messages (bot_id, user_number, direction, body, media_urls, status, sent_by, content_sid, content_variables, created_at, updated_at)
                select @bot, @user, 'outbound', part.body, case when part.media = '' then '{}'::text[] else array[part.media] end, 'pending', @sent_by,
                       @content_sid, @content_variables, @now, @now
                from unnest(@parts, @part_media) with ordinality as part(body, media, n)
                where exists (select 1 from allowed)
                order by part.n
                returning id, body, media_urls[1]
                """,
                Text("bot", bot), Text("user", user), Text("sent_by", request.SentBy), Flag("needs_window", request.NeedsWindow), Timestamp("now", now),
                Text("content_sid", request.ContentSid), Text("content_variables", request.ContentVariables),
                new NpgsqlParameter<string[]>("parts", [.. request.Parts.Select(p => p.Body)]),
                new NpgsqlParameter<string[]>("part_media", [.. request.Parts.Select(p => p.MediaUrl ?? "")])));
        }

        /// <summary>
        /// A campaign's template for one recipient: its row and the recipient's claim in one statement, so a recipient is
        /// queued once however often it is tried; a recipient who opted out is skipped instead.
        /// </summary>
        private void AddCampaignRow(NpgsqlBatch batch, (string Id, int Position) campaign)
        {
            var part = request.Parts.Single();
            batch.BatchCommands.Add(Command("""
                with allowed as (
                    select 1 where not exists (
                        select 1 from conversations where bot_id = @bot and user_number = @user and opted_out_at is not null)),
                claim as (
                    update campaign_recipients set status = 'queued', updated_at = @now,
                        message_id = nextval(pg_get_serial_sequence('messages', 'id'))
                    where campaign_id = @campaign_id and position = @position and status = 'pending' and exists (select 1 from allowed)
                    returning message_id),
                skip as (
                    update campaign_recipients set status = 'skipped', reason = 'opted_out', updated_at = @now
                    where campaign_id = @campaign_id and position = @position and status = 'pending' and not exists (select 1 from allowed)
                    returning 1)
                insert into messages (id, bot_id, user_number, direction, body, status, sent_by, content_sid, content_variables, created_at, updated_at)
                overriding system value
                select claim.message_id, @bot, @user, 'outbound', @body, 'pending', @sent_by, @content_sid, @content_variables, @now, @now from claim
                returning id, body, media_urls[1]
                """,
                Text("bot", bot), Text("user", user), Text("sent_by", request.SentBy), Text("body", part.Body), Timestamp("now", now),
                Text("content_sid", request.ContentSid), Text("content_variables", request.ContentVariables),
                Text("campaign_id", campaign.Id), Integer("position", campaign.Position)));
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            var (optedOut, lastInbound) = (await ReadRowsAsync(reader, r => (
                OptedOut: !r.IsDBNull(0) && r.GetBoolean(0),
                LastInbound: r.IsDBNull(1) ? (DateTimeOffset?)null : Utc(r.GetDateTime(1))))).Single();
            var parts = (await ReadRowsAsync(reader, r => new PendingPart(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), request.SentBy,
                request.ContentSid, request.ContentVariables))).OrderBy(p => p.Id).ToList();
            var refusal = parts.Count > 0 ? null
                : optedOut ? OutboundResult.OptedOut
                : request.Campaign is not null ? OutboundResult.NotPending
                : OutboundResult.OutsideWindow;
            SetResult(new OutboundResult(parts, refusal, lastInbound));
        }
    }

    private sealed class RecordedSids(string bot, string user, IReadOnlyList<string> sids) : GroupCommitOperation<IReadOnlySet<string>>
    {
        public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command(
            "select twilio_sid from messages where bot_id = @bot and user_number = @user and twilio_sid = any(@sids)",
            Text("bot", bot), Text("user", user), new NpgsqlParameter<string[]>("sids", [.. sids])));

        public override async Task ReadAsync(NpgsqlDataReader reader) =>
            SetResult((await ReadRowsAsync(reader, r => r.GetString(0))).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Human mode, entered unless it is on already; answers the handoff that stands.</summary>
    private sealed class TakeOver(string bot, string user, HumanMode handoff, DateTimeOffset now) : GroupCommitOperation<HumanMode>
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
            SetResult((await ReadRowsAsync(reader, r => ReadHumanMode(r, 0))).FirstOrDefault() ?? handoff);
        }
    }

    /// <summary>
    /// Back to the bot: the handoff's fields cleared, and with answer_held the messages this handoff held reopened. Those
    /// are told by when they were held, not received: a message that waited in the inbox when the operator took over
    /// was received before the handoff and held by it, while one held by an earlier handoff was held before it.
    /// </summary>
    private sealed class Resume(string bot, string user, bool answerHeld, DateTimeOffset? idleBefore, DateTimeOffset now) : GroupCommitOperation<int?>
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

    private sealed class NoticeDone(string bot, string user, DateTimeOffset since) : GroupCommitOperation<bool>
    {
        public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
            update conversations set handoff_notice_pending = false
            where bot_id = @bot and user_number = @user and handoff_notice_pending and human_since = @since
            returning 1
            """,
            Text("bot", bot), Text("user", user), Timestamp("since", since)));

        public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt32(0))).Count > 0);
    }

    /// <summary>
    /// A part after its send: its SID and Twilio's status (or a status callback that overtook it, kept in
    /// early_delivery_statuses), or its failure. A failed part marks the messages it answers failed; the last part
    /// settles them.
    /// </summary>
    private sealed class RecordPart(PartRecord part, DateTimeOffset now) : GroupCommitOperation<Settlement>
    {
        public override IEnumerable<string> LockedSids => part.TwilioSid is { } sid ? [sid] : [];

        public override void AddTo(NpgsqlBatch batch)
        {
            batch.BatchCommands.Add(Command($"""
                with early as (
                    delete from early_delivery_statuses where twilio_sid = @sid returning status, error_code),
                part as (
                    update messages m set twilio_sid = @sid, traceparent = coalesce(@traceparent, m.traceparent),
                        status = case when early.status is not null and {StatusSql.Rank("early.status")} > {StatusSql.Rank("@status::text")} then early.status else @status end,
                        error_code = coalesce(@code, early.error_code),
                        error_message = coalesce(@error, {StatusSql.Reason("early.error_code")}),
                        updated_at = @now
                    from (select 1) one left join early on true
                    where m.id = @id and m.status = 'pending'
                    returning m.id),
                settled as (
                    update messages m set
                        error_code = case when @failed then coalesce(m.error_code, @code) else m.error_code end,
                        error_message = case when @failed then coalesce(m.error_message, @inbound_error) else m.error_message end,
                        status = case when not @last then m.status
                                      when m.error_code is null and not @failed then 'answered' else 'failed' end,
                        updated_at = @now
                    where @answers and (@last or @failed) and m.bot_id = @bot and m.user_number = @user
                      and m.direction = 'inbound' and m.status = 'answering'
                    returning m.status, m.error_code)
                select count(*) filter (where status = 'answered')::int, count(*) filter (where status = 'failed')::int,
                       min(error_code) filter (where status = 'failed')
                from settled
                """,
                Text("sid", part.TwilioSid), Text("status", part.Status), Text("code", part.ErrorCode), Text("error", part.ErrorMessage),
                new NpgsqlParameter<long>("id", part.PartId), Flag("failed", part.Failed), Flag("last", part.IsLast), Flag("answers", part.AnswersInbound),
                Text("inbound_error", part.InboundErrorMessage), Text("bot", part.BotId), Text("user", part.UserNumber), Timestamp("now", now),
                Text("traceparent", part.TraceParent)));
        }

        public override async Task ReadAsync(NpgsqlDataReader reader)
        {
            var row = (await ReadRowsAsync(reader, r => new Settlement(r.GetInt32(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetString(2)))).Single();
            SetResult(part.IsLast ? row : Settlement.None);
        }
    }

    /// <summary>Inbox messages settled without a turn (their bot was disabled or removed).</summary>
    private sealed class Settle(string bot, string user, IReadOnlyCollection<long> ids, string status, string errorCode, string errorMessage, DateTimeOffset now) : GroupCommitOperation<int>
    {
        public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
            update messages set status = @status, error_code = @code, error_message = @error, updated_at = @now
            where id = any(@ids) and bot_id = @bot and user_number = @user and direction = 'inbound' and status = 'received'
            returning id
            """,
            new NpgsqlParameter<long[]>("ids", [.. ids]), Text("bot", bot), Text("user", user), Text("status", status), Text("code", errorCode), Text("error", errorMessage), Timestamp("now", now)));

        public override async Task ReadAsync(NpgsqlDataReader reader) => SetResult((await ReadRowsAsync(reader, r => r.GetInt64(0))).Count);
    }

    /// <summary>Every message of a conversation and its state.</summary>
    private sealed class Erase(string bot, string user, DateTimeOffset now) : GroupCommitOperation<int>
    {
        public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
            with erased as (delete from messages where bot_id = @bot and user_number = @user returning 1),
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
}
