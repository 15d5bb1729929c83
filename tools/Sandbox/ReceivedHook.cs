namespace HorizonAI.Sandbox;

/// <summary>A post to the sandbox's stand-in webhook: its headers and body as sent.</summary>
public sealed record ReceivedHook(IReadOnlyDictionary<string, string> Headers, string Body);
