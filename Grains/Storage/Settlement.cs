namespace HorizonAI.Grains.Storage;

/// <summary>How many inbound messages a write settled, and the error code of those that failed.</summary>
public sealed record Settlement(int Answered, int Failed, string? ErrorCode)
{
    public static Settlement None { get; } = new(0, 0, null);

    public int Count => Answered + Failed;

    /// <summary>The send of the part named as next (<see cref="PartRecord.Next"/>) was claimed by this write: it is the caller's to send.</summary>
    public bool NextClaimed { get; init; }
}
