using System.Diagnostics;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.Storage.GroupCommit;

namespace HorizonAI.Storage.Messages;

/// <summary>
/// What Twilio's webhooks write, straight to the messages table through this process's <see cref="GroupCommitWriter"/>:
/// inbound messages and delivery statuses. A webhook is acknowledged once its write is committed, which needs
/// PostgreSQL only; the Gateway and the silos share these statements, so a message is stored by the same rule wherever
/// it arrives.
/// </summary>
public sealed class MessageIntake(GroupCommitWriter writer, TimeProvider time)
{
    /// <summary>Stores the message once per (bot, MessageSid) with <paramref name="status"/>; a repeat finds the stored row.</summary>
    public Task<AcceptedRow> AcceptAsync(InboundMessage message, string status) => writer.WriteAsync(new AcceptInbound(message, status));

    /// <summary>Moves an outbound message forward to the update's status, never backwards; a status for a reply not recorded yet waits for it.</summary>
    /// <remarks>The current span (the callback's request) is linked to the send the status settles.</remarks>
    public async Task<DeliveryStatusOutcome> RecordDeliveryStatusAsync(DeliveryStatusUpdate update)
    {
        var record = new RecordDeliveryStatus(update, PostgresTime.Now(time));
        var outcome = await writer.WriteAsync(record);
        Activity.Current.LinkTo(record.SendTraceParent);
        return outcome;
    }
}
