namespace HorizonAI.Grains.Access;

/// <summary>A scoped key as stored: hashes of its secrets, never the secrets.</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, string[] Bots, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    public byte[]? PreviousHash { get; init; }

    public DateTimeOffset? PreviousExpiresAt { get; init; }

    public DateTimeOffset? RotatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }
}
