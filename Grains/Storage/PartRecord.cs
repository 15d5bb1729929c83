namespace HorizonAI.Grains.Storage;

/// <summary>
/// One reply part after its send: Twilio's SID and status, or why it failed. The last part of a reply also settles
/// the messages it answers: <c>answered</c>, or <c>failed</c> when the turn or a part's delivery failed.
/// </summary>
/// <param name="PartId">The part's pending outbound row.</param>
/// <param name="TwilioSid">Null when Twilio did not take the part.</param>
/// <param name="InboundErrorMessage">For a part that failed: why the messages it answers are failed.</param>
/// <param name="BotId">The bot whose data the conversation is (its id, not its number).</param>
public sealed record PartRecord(
    string BotId,
    string UserNumber,
    long PartId,
    string? TwilioSid,
    string Status,
    string? ErrorCode,
    string? ErrorMessage,
    string? InboundErrorMessage,
    bool IsLast)
{
    /// <summary>False for an operator's message: recording it settles nothing and its failure fails no inbound message.</summary>
    public bool AnswersInbound { get; init; } = true;

    /// <summary>The traceparent of the send's span, kept on the row so that its status callbacks link to it.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The part its conversation sends next, if any: its send is claimed with this record (see <see cref="Settlement.NextClaimed"/>).</summary>
    public long? Next { get; init; }

    public bool Failed => TwilioSid is null;
}
