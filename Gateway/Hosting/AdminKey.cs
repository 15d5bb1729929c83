using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// The admin API key. Outside local mode it must be configured, or the admin API is not served at all; in local
/// mode a random key is made up at start and printed, so a fresh clone works without setup.
/// </summary>
public sealed class AdminKey
{
    private readonly byte[]? _hash;

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
    }

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
