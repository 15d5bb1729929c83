namespace HorizonAI.Gateway.Access;

/// <summary>A read that is audited like a write (a transcript).</summary>
public sealed record AuditedRead;
