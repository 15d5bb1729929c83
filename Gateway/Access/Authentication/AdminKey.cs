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
    private readonly byte[]? _sessionKey;

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

        // Console sessions are signed with a key derived from the admin key: the same on every Gateway, in no table.
        _sessionKey = configured is null ? null : HMACSHA256.HashData(Encoding.UTF8.GetBytes(configured), "horizonai-console-session-signature"u8);
    }

    /// <summary>
    /// Signs a console session (<see cref="ConsoleSession"/>) with a key derived from the admin key, which the database
    /// never holds: a session cannot be made from what the tables store.
    /// </summary>
    public string SignSession(string payload) => _sessionKey is null
        ? throw new InvalidOperationException("The admin API is switched off")
        : Convert.ToHexStringLower(HMACSHA256.HashData(_sessionKey, Encoding.UTF8.GetBytes(payload)));

    public bool SessionSignatureMatches(string payload, string signature) =>
        _sessionKey is not null && signature.Length == 64
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
