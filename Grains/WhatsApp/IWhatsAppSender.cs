namespace HorizonAI.Grains.WhatsApp;

/// <summary>Sends WhatsApp messages from a bot's own number.</summary>
public interface IWhatsAppSender
{
    /// <param name="mediaUrl">A public URL of media the message carries (Twilio fetches it), with <paramref name="body"/> as its caption; or null.</param>
    /// <param name="template">An approved template (its Content SID and variables as a JSON object string) sent instead of the body; or null.</param>
    Task<SentMessage> SendAsync(string botNumber, string userNumber, string body, string? mediaUrl, (string ContentSid, string? Variables)? template, CancellationToken cancellationToken);

    /// <summary>The latest messages Twilio has from the bot's number to the user, newest first (the Messages list).</summary>
    Task<IReadOnlyList<ListedMessage>> ListSentAsync(string botNumber, string userNumber, CancellationToken cancellationToken);

    /// <summary>Shows "typing…" to the user (and marks their message read); best effort.</summary>
    Task SendTypingIndicatorAsync(string inboundMessageSid, CancellationToken cancellationToken);
}
