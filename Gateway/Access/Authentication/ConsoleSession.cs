using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using HorizonAI.Grains.Interfaces;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// One console sign-in, as its cookie carries it: a random session id, until when it holds, and for a scoped key the
/// key's id and session token (which end with a rotation or revocation of the key). The cookie is
/// <c>a.&lt;session id&gt;.&lt;expiry&gt;.&lt;signature&gt;</c> for the admin key and
/// <c>k.&lt;session id&gt;.&lt;expiry&gt;.&lt;key id&gt;.&lt;token&gt;.&lt;signature&gt;</c> for a scoped key, signed with a key
/// derived from the admin key, which the database never holds: a session cannot be made from what the tables store.
/// The session id is what sign-out revokes (<see cref="ConsoleSessionRevocations"/>), on every Gateway at once.
/// </summary>
/// <param name="Id">32 lowercase hex digits, new at every sign-in.</param>
/// <param name="ExpiresAt">The end of the session, to the second.</param>
/// <param name="KeyId">The scoped key's id; null for the admin key.</param>
/// <param name="KeyToken">The scoped key's session token; null for the admin key.</param>
public sealed record ConsoleSession(string Id, DateTimeOffset ExpiresAt, string? KeyId, string? KeyToken)
{
    /// <summary>How long a session lasts after its sign-in, whatever the browser does with the cookie.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    private const string AdminPrefix = "a";
    private const string ScopedPrefix = "k";
    private const int IdLength = 32;
    private const int KeyTokenLength = 64;

    /// <summary>A new session of the admin key (<paramref name="grant"/> null) or of a scoped key, starting now.</summary>
    public static ConsoleSession Start(DateTimeOffset now, ApiKeyGrant? grant) => new(
        RandomNumberGenerator.GetHexString(IdLength, lowercase: true),
        DateTimeOffset.FromUnixTimeSeconds(now.Add(Lifetime).ToUnixTimeSeconds()),
        grant?.KeyId,
        grant?.SessionToken);

    /// <summary>The value of the session cookie.</summary>
    public string ToCookie(AdminKey key)
    {
        var expires = ExpiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var payload = KeyId is null ? $"{AdminPrefix}.{Id}.{expires}" : $"{ScopedPrefix}.{Id}.{expires}.{KeyId}.{KeyToken}";
        return $"{payload}.{key.SignSession(payload)}";
    }

    /// <summary>
    /// The session a cookie names, if the Gateway signed it and it has not expired by <paramref name="now"/>; whether
    /// it was revoked since is for <see cref="ConsoleSessionRevocations"/> to say.
    /// </summary>
    public static bool TryRead(string cookie, AdminKey key, DateTimeOffset now, [NotNullWhen(true)] out ConsoleSession? session)
    {
        session = null;
        var last = cookie.LastIndexOf('.');
        if (last < 0)
        {
            return false;
        }

        var (payload, signature) = (cookie[..last], cookie[(last + 1)..]);
        var parts = payload.Split('.');
        string? keyId = null, token = null;
        switch (parts)
        {
            case [AdminPrefix, _, _]:
                break;
            case [ScopedPrefix, _, _, var id, var value] when ApiKeyFormat.IsId(id) && value.Length == KeyTokenLength:
                (keyId, token) = (id, value);
                break;
            default:
                return false;
        }

        if (parts[1] is not { Length: IdLength } sessionId || !sessionId.All(char.IsAsciiHexDigitLower)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var until)
            || until < now.ToUnixTimeSeconds() || !key.SessionSignatureMatches(payload, signature))
        {
            return false;
        }

        session = new ConsoleSession(sessionId, DateTimeOffset.FromUnixTimeSeconds(until), keyId, token);
        return true;
    }
}
