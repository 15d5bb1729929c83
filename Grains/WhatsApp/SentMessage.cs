namespace HorizonAI.Grains.WhatsApp;

public sealed record SentMessage(string Sid, string Status);

/// <summary>A message in Twilio's Messages list.</summary>
public sealed record ListedMessage(string Sid, string Status, string Body, DateTimeOffset CreatedAt);
