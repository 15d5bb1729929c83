namespace HorizonAI.Grains.WhatsApp;

/// <summary>Where Twilio reports delivery status: <c>PUBLIC_BASE_URL</c> + <c>/webhook/status</c>, when it is set.</summary>
public sealed class ReplyOptions
{
    public Uri? StatusCallbackUrl { get; set; }
}
