namespace HorizonAI.Grains.Storage;

/// <summary>One part of a turn's reply, stored by the turn and not yet sent: a row of the outbox.</summary>
/// <param name="MediaUrl">The media the message carries (its body is then the caption), or null.</param>
/// <param name="SentBy">Who sent it, for an operator's message (which answers no inbound message); null for the bot's reply.</param>
/// <param name="ContentSid">An approved template's Content SID (the body then only describes it in the transcript), or null for free text.</param>
/// <param name="ContentVariables">The template's variables as Twilio takes them, a JSON object string such as <c>{"1":"Ana"}</c>.</param>
/// <param name="TraceParent">The traceparent of the span that wrote it (its turn): its send continues that trace, also after a crash.</param>
public sealed record PendingPart(long Id, string Body, string? MediaUrl = null, string? SentBy = null, string? ContentSid = null, string? ContentVariables = null,
    string? TraceParent = null)
{
    /// <summary>
    /// When a send of this part was claimed (<c>sending_since</c>), or null if none ever was: a part read from the table
    /// with it set may have reached Twilio without being recorded, and is looked up there before it is sent again.
    /// </summary>
    public DateTimeOffset? SendingSince { get; init; }

    /// <summary>The write that returned this part claimed its send for its caller: it was never tried, and is the caller's to send.</summary>
    public bool ClaimedForSend { get; init; }
}
