namespace HorizonAI.Grains.WhatsApp;

public sealed record SentMessage(string Sid, string Status);
