using HorizonAI.Gateway.Hosting;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// The admin API key. Outside local mode it must be configured, or the admin API is not served at all; in local
/// mode a random key is made up at start and printed, so a fresh clone works without setup.
/// </summary>
public sealed class AdminKey
{
    private readonly byte[]? _hash;
    private readonly byte[]? _sessionToken;

    public AdminKey(IOptions<GatewayOptions> options)
    {
        var configured = options.Value.AdminApiKey;
        if (configured is null && options.Value.LocalMode)
        {
            configured = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
            Generated = true;
        }

        Value = configured;
        _hash = configured is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(configured));

        // The browser session carries a value derived from the key, never the key itself.
        _sessionToken = configured is null ? null : HMACSHA256.HashData(Encoding.UTF8.GetBytes(configured), "horizonai-console-session"u8);
    }

    /// <summary>The value of the console's session cookie (only after the key was presented).</summary>
    public string? SessionToken => _sessionToken is null ? null : Convert.ToBase64String(_sessionToken);

    public bool MatchesSession(string? presented)
    {
        if (_sessionToken is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(presented, buffer, out var written)
            && written == _sessionToken.Length
            && CryptographicOperations.FixedTimeEquals(buffer[..written], _sessionToken);
    }

    /// <summary>
    /// Signs a scoped key's console session with a key derived from the admin key, which the database never holds: a
    /// session cannot be made from what the api_keys table stores.
    /// </summary>
    public string SignSession(string payload) => _sessionToken is null
        ? throw new InvalidOperationException("The admin API is switched off")
        : Convert.ToHexStringLower(HMACSHA256.HashData(HMACSHA256.HashData(_sessionToken, "horizonai-scoped-session"u8), Encoding.UTF8.GetBytes(payload)));

    public bool SessionSignatureMatches(string payload, string signature) =>
        _sessionToken is not null && signature.Length == 64
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SignSession(payload)), Encoding.ASCII.GetBytes(signature));

    /// <summary>The key, or null when the admin API is switched off.</summary>
    public string? Value { get; }

    public bool Generated { get; }

    public bool Enabled => _hash is not null;

    /// <summary>Compares in constant time (over fixed-length hashes, so the key's length does not leak either).</summary>
    public bool Matches(string? presented)
    {
        if (_hash is null || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }
}
