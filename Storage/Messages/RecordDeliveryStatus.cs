using HorizonAI.Grains.Interfaces;
using HorizonAI.Storage.GroupCommit;
using Npgsql;

namespace HorizonAI.Storage.Messages;

/// <summary>
/// A Twilio status callback: moves its outbound row forward (never back), or, when no row has the SID yet (the
/// callback overtook the recording of its part), keeps the most advanced status until the part is recorded.
/// </summary>
public sealed class RecordDeliveryStatus(DeliveryStatusUpdate update, DateTimeOffset now) : GroupCommitOperation<DeliveryStatusOutcome>
{
    /// <summary>The traceparent of the send this status is about, once read (null when its part is not recorded yet).</summary>
    public string? SendTraceParent { get; private set; }

    public override IEnumerable<string> LockedSids => [update.MessageSid];

    public override void AddTo(NpgsqlBatch batch) => batch.BatchCommands.Add(Command("""
        with updated as (
            update messages set status = @status,
                error_code = coalesce(@code, error_code), error_message = coalesce(@error, error_message), updated_at = @now
            where twilio_sid = @sid and direction = 'outbound' and delivery_status_rank(status) < delivery_status_rank(@status)
            returning 1),
        known as (
            select exists (select 1 from messages where twilio_sid = @sid and direction = 'outbound') as known,
                   (select traceparent from messages where twilio_sid = @sid and direction = 'outbound' limit 1) as traceparent),
        kept as (
            insert into early_delivery_statuses (twilio_sid, status, error_code, received_at)
            select @sid, @status, @code, @now from known where not known.known
            on conflict (twilio_sid) do update set status = excluded.status, error_code = coalesce(excluded.error_code, early_delivery_statuses.error_code)
                where delivery_status_rank(early_delivery_statuses.status) < delivery_status_rank(excluded.status)
            returning 1)
        select (select count(*) from updated)::int, (select known from known), (select count(*) from kept)::int, (select traceparent from known)
        """,
        StatusSql.Text("sid", update.MessageSid), StatusSql.Text("status", update.Status),
        StatusSql.Text("code", update.ErrorCode), StatusSql.Text("error", DeliveryStatuses.Reason(update.ErrorCode)), StatusSql.Timestamp("now", now)));

    public override async Task ReadAsync(NpgsqlDataReader reader)
    {
        var (updated, known, traceParent) = (await ReadRowsAsync(reader, r => (r.GetInt32(0), r.GetBoolean(1), r.IsDBNull(3) ? null : r.GetString(3)))).Single();
        SendTraceParent = traceParent;
        SetResult(updated > 0 ? DeliveryStatusOutcome.Updated : known ? DeliveryStatusOutcome.Unchanged : DeliveryStatusOutcome.UnknownMessage);
    }
}
