namespace HorizonAI.Grains.Storage;

/// <summary>Status words stored in the message log (Twilio's own words for outbound delivery states).</summary>
public static class MessageStatus
{
    public const string Received = "received";
    public const string Answered = "answered";
    public const string Failed = "failed";
    public const string Ignored = "ignored";
}
