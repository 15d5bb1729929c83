namespace HorizonAI.Storage;

/// <summary>
/// Status words stored in the messages table. Inbound: <c>received</c> (accepted, in the inbox) → <c>answering</c> (a
/// turn claimed it; its reply is being delivered) → <c>answered</c> or <c>failed</c>; <c>ignored</c> for a disabled bot or
/// an opted-out user; <c>held</c> in human mode (a person answers; back to <c>received</c> if the bot is asked to).
/// Outbound: <c>pending</c> (written by its turn, not yet sent), then Twilio's own words (<c>queued</c>, <c>sent</c>,
/// <c>delivered</c>…) or <c>failed</c>.
/// </summary>
public static class MessageStatus
{
    public const string Received = "received";
    public const string Answering = "answering";
    public const string Answered = "answered";
    public const string Failed = "failed";
    public const string Ignored = "ignored";
    public const string Held = "held";
    public const string Pending = "pending";

    /// <summary>Whether a row with this status is work still to do: an inbox or outbox entry.</summary>
    public static bool IsUnsettled(string status) => status is Received or Answering or Pending;
}
