namespace HorizonAI.Grains.Storage;

/// <summary>One part of a turn's reply, stored by the turn and not yet sent: a row of the outbox.</summary>
public sealed record PendingPart(long Id, string Body);
