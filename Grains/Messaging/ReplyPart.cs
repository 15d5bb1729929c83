namespace HorizonAI.Grains.Messaging;

/// <summary>One WhatsApp message of a reply: text, or a media item (with its caption, possibly empty).</summary>
public sealed record ReplyPart(string Body, string? MediaUrl = null)
{
    public static implicit operator ReplyPart(string body) => new(body);
}
