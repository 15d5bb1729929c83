namespace HorizonAI.LoadGenerator.Replies;

/// <summary>A message the product sent through the sandbox's Twilio stand-in, as <c>GET /_sandbox/twilio/messages</c> lists it.</summary>
/// <param name="From">The bot, <c>whatsapp:+1555…</c>.</param>
/// <param name="To">The user, <c>whatsapp:+569…</c>.</param>
/// <param name="ReceivedAt">When the stand-in accepted it (after its injected latency).</param>
public sealed record SandboxReply(string Sid, string From, string To, string Body, DateTimeOffset ReceivedAt);
