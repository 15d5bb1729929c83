namespace HorizonAI.Grains.WhatsApp;

/// <summary>Sends WhatsApp messages from a bot's own number.</summary>
public interface IWhatsAppSender
{
    Task<SentMessage> SendAsync(string botNumber, string userNumber, string body, CancellationToken cancellationToken);

    /// <summary>Shows "typing…" to the user (and marks their message read); best effort.</summary>
    Task SendTypingIndicatorAsync(string inboundMessageSid, CancellationToken cancellationToken);
}
