namespace HorizonAI.Grains.Interfaces;

/// <summary>
/// What a scoped key may do, each role including the ones before it: <c>read</c> (conversations, transcripts, usage,
/// audit), <c>operate</c> (also operator messages, handoff and conversation reset), <c>manage</c> (also the bot's
/// assistant settings, never its number, its enabled switch, its metadata or other bots).
/// </summary>
public static class ApiKeyRoles
{
    public const string Read = "read";
    public const string Operate = "operate";
    public const string Manage = "manage";

    /// <summary>The admin key's role: everything, on every bot. Never given to a scoped key.</summary>
    public const string Admin = "admin";

    public static readonly string[] Scoped = [Read, Operate, Manage];

    /// <summary>0 read, 1 operate, 2 manage, 3 admin; -1 for anything else.</summary>
    public static int Rank(string? role) => role switch
    {
        Read => 0,
        Operate => 1,
        Manage => 2,
        Admin => 3,
        _ => -1,
    };
}

/// <summary>A scoped key as the admin API lists it: never its secret.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.api-key-info")]
public sealed record ApiKeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Role,
    [property: Id(3)] string[] Bots,
    [property: Id(4)] DateTimeOffset CreatedAt)
{
    [Id(5)] public DateTimeOffset? RotatedAt { get; init; }

    /// <summary>Until when the secret before the last rotation still works, if it does.</summary>
    [Id(6)] public DateTimeOffset? PreviousExpiresAt { get; init; }

    [Id(7)] public DateTimeOffset? LastUsedAt { get; init; }

    [Id(8)] public DateTimeOffset? RevokedAt { get; init; }
}

/// <summary>A key with its secret, the one time it is shown (creation and rotation).</summary>
[GenerateSerializer, Immutable, Alias("horizonai.issued-api-key")]
public sealed record IssuedApiKey([property: Id(0)] ApiKeyInfo Key, [property: Id(1)] string Secret);

/// <summary>What a presented key or console session may do: its id, role and bots.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.api-key-grant")]
public sealed record ApiKeyGrant([property: Id(0)] string KeyId, [property: Id(1)] string Name, [property: Id(2)] string Role, [property: Id(3)] string[] Bots)
{
    /// <summary>The console's session value for this key (derived from its stored hash, never the secret).</summary>
    [Id(4)] public string? SessionToken { get; init; }
}

/// <summary>A new key's definition, checked by the Gateway.</summary>
[GenerateSerializer, Immutable, Alias("horizonai.api-key-request")]
public sealed record ApiKeyRequest([property: Id(0)] string Name, [property: Id(1)] string Role, [property: Id(2)] string[] Bots);

/// <summary>
/// A scoped key as its holder sees it: <c>hzk_&lt;id&gt;_&lt;secret&gt;</c>, the id 12 lower-case hex digits (shown in
/// lists and the audit log), the secret 64 (256 random bits, shown once).
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "hzk_";
    public const int IdLength = 12;
    public const int SecretLength = 64;

    public static string NewId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(IdLength / 2));

    public static string NewSecret() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(SecretLength / 2));

    public static string Compose(string id, string secret) => $"{Prefix}{id}_{secret}";

    public static bool IsId(string? id) => id is { Length: IdLength } && id.All(char.IsAsciiHexDigitLower);

    public static bool TryParse(string? presented, out string id, out string secret)
    {
        id = secret = "";
        if (presented is not { Length: 4 + IdLength + 1 + SecretLength } || !presented.StartsWith(Prefix, StringComparison.Ordinal) || presented[4 + IdLength] != '_')
        {
            return false;
        }

        id = presented.Substring(4, IdLength);
        secret = presented[(4 + IdLength + 1)..];
        return IsId(id) && secret.All(char.IsAsciiHexDigitLower);
    }
}
