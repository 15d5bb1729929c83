using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>A message of the business: pending outbound rows naming who sent it, in order, if the user may get them.</summary>
public sealed class QueueOutbound(string bot, string user, OutboundRequest request, DateTimeOffset now) : GroupCommitOperation<OutboundResult>
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
            insert into messages (bot_id, user_number, direction, body, media_urls, status, sent_by, content_sid, content_variables, traceparent, created_at, updated_at)
            select @bot, @user, 'outbound', part.body, case when part.media = '' then '{}'::text[] else array[part.media] end, 'pending', @sent_by,
                   @content_sid, @content_variables, @traceparent, @now, @now
            from unnest(@parts, @part_media) with ordinality as part(body, media, n)
            where exists (select 1 from allowed)
            order by part.n
            returning id, body, media_urls[1]
            """,
            Text("bot", bot), Text("user", user), Text("sent_by", request.SentBy), Flag("needs_window", request.NeedsWindow), Timestamp("now", now),
            Text("content_sid", request.ContentSid), Text("content_variables", request.ContentVariables), Text("traceparent", request.TraceParent),
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
            insert into messages (id, bot_id, user_number, direction, body, status, sent_by, content_sid, content_variables, traceparent, created_at, updated_at)
            overriding system value
            select claim.message_id, @bot, @user, 'outbound', @body, 'pending', @sent_by, @content_sid, @content_variables, @traceparent, @now, @now from claim
            returning id, body, media_urls[1]
            """,
            Text("bot", bot), Text("user", user), Text("sent_by", request.SentBy), Text("body", part.Body), Timestamp("now", now),
            Text("content_sid", request.ContentSid), Text("content_variables", request.ContentVariables), Text("traceparent", request.TraceParent),
            Text("campaign_id", campaign.Id), Integer("position", campaign.Position)));
    }

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        var (optedOut, lastInbound) = (await ReadRowsAsync(reader, r => (
            OptedOut: !r.IsDBNull(0) && r.GetBoolean(0),
            LastInbound: r.IsDBNull(1) ? (DateTimeOffset?)null : Utc(r.GetDateTime(1))))).Single();
        var parts = (await ReadRowsAsync(reader, r => new PendingPart(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), request.SentBy,
            request.ContentSid, request.ContentVariables, request.TraceParent))).OrderBy(p => p.Id).ToList();
        var refusal = parts.Count > 0 ? null
            : optedOut ? OutboundResult.OptedOut
            : request.Campaign is not null ? OutboundResult.NotPending
            : OutboundResult.OutsideWindow;
        SetResult(new OutboundResult(parts, refusal, lastInbound));
    }
}
