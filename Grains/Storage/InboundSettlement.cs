namespace HorizonAI.Grains.Storage;

/// <summary>The outcome of the inbound messages a reply answers, written with the reply's last part.</summary>
public sealed record InboundSettlement(IReadOnlyCollection<string> MessageSids, string Status, string? ErrorCode, string? ErrorMessage);
