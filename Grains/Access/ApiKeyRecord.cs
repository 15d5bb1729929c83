using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Grains.Access;

/// <summary>A scoped key as stored: hashes of its secrets, never the secrets.</summary>
public sealed record ApiKeyRecord(string Id, string Name, string Role, string[] Bots, byte[] SecretHash, DateTimeOffset CreatedAt)
{
    public byte[]? PreviousHash { get; init; }

    public DateTimeOffset? PreviousExpiresAt { get; init; }

    public DateTimeOffset? RotatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>What the admin API may show of it: never a hash.</summary>
    public ApiKeyInfo Info() => new(Id, Name, Role, Bots, CreatedAt)
    {
        RotatedAt = RotatedAt,
        PreviousExpiresAt = PreviousHash is null ? null : PreviousExpiresAt,
        LastUsedAt = LastUsedAt,
        RevokedAt = RevokedAt,
    };
}
