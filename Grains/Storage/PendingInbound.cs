namespace HorizonAI.Grains.Storage;

/// <summary>An accepted inbound message not yet claimed by a turn: a row of the inbox.</summary>
/// <param name="Id">The row's id; ids follow the order in which messages were accepted.</param>
/// <param name="Media">The media items Twilio announced with it, fetched by the turn that answers it.</param>
/// <param name="TraceParent">The traceparent of the span that received it: the turn that answers it continues that trace.</param>
public sealed record PendingInbound(long Id, string MessageSid, string Body, IReadOnlyList<MediaItem> Media, DateTimeOffset ReceivedAt, string? TraceParent = null)
{
    /// <summary>The user's WhatsApp profile name, as Twilio gave it with the message (null when none).</summary>
    public string? ProfileName { get; init; }
}
