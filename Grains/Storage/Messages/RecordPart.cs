using HorizonAI.Storage.GroupCommit;
using Npgsql;
using static HorizonAI.Grains.Storage.Messages.MessageSql;

namespace HorizonAI.Grains.Storage.Messages;

/// <summary>
/// A part after its send: its SID and Twilio's status (or a status callback that overtook it, kept in
/// early_delivery_statuses), or its failure. A failed part marks the messages it answers failed; the last part
/// settles them. The send of the part that comes next (<see cref="PartRecord.Next"/>) is claimed in the same
/// statement, so a reply of several parts costs one write per part.
/// </summary>
public sealed class RecordPart(PartRecord part, DateTimeOffset now) : GroupCommitOperation<Settlement>
{
    public override IEnumerable<string> LockedSids => part.TwilioSid is { } sid ? [sid] : [];

    public override void AddTo(NpgsqlBatch batch)
    {
        batch.BatchCommands.Add(Command("""
            with early as (
                delete from early_delivery_statuses where twilio_sid = @sid returning status, error_code),
            part as (
                update messages m set twilio_sid = @sid, traceparent = coalesce(@traceparent, m.traceparent),
                    status = case when early.status is not null and delivery_status_rank(early.status) > delivery_status_rank(@status::text) then early.status else @status end,
                    error_code = coalesce(@code, early.error_code),
                    error_message = coalesce(@error, delivery_error_reason(early.error_code)),
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
                returning m.status, m.error_code),
            next as (
                update messages set sending_since = @now
                where id = @next and bot_id = @bot and user_number = @user and direction = 'outbound' and status = 'pending' and sending_since is null
                returning 1)
            select count(*) filter (where status = 'answered')::int, count(*) filter (where status = 'failed')::int,
                   min(error_code) filter (where status = 'failed'), exists (select 1 from next)
            from settled
            """,
            Text("sid", part.TwilioSid), Text("status", part.Status), Text("code", part.ErrorCode), Text("error", part.ErrorMessage),
            new NpgsqlParameter<long>("id", part.PartId), Flag("failed", part.Failed), Flag("last", part.IsLast), Flag("answers", part.AnswersInbound),
            Text("inbound_error", part.InboundErrorMessage), Text("bot", part.BotId), Text("user", part.UserNumber), Timestamp("now", now),
            Text("traceparent", part.TraceParent), OptionalId("next", part.Next)));
    }

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        var row = (await ReadRowsAsync(reader, r => new Settlement(r.GetInt32(0), r.GetInt32(1), OptionalText(r, 2)) { NextClaimed = r.GetBoolean(3) })).Single();
        SetResult(part.IsLast ? row : Settlement.None with { NextClaimed = row.NextClaimed });
    }
}
