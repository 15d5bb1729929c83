using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Sandbox.Business;

/// <summary>
/// <c>X-HorizonAI-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>, keyed with the bot's
/// tools secret. The demo checks the MAC only, not the timestamp's age: platform tests may run on a fake clock.
/// </summary>
public static class ToolSignature
{
    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string Header(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Mac(secret, timestamp.ToString(CultureInfo.InvariantCulture), body)}");

    /// <summary>Whether <paramref name="header"/> is a valid signature of <paramref name="body"/> with <paramref name="secret"/>.</summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body)
    {
        string? timestamp = null, mac = null;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal))
            {
                timestamp = part[2..];
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal))
            {
                mac = part[3..];
            }
        }

        if (timestamp is null || mac is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Mac(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(mac.ToLowerInvariant()));
    }

    private static string Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.UTF8.GetByteCount(timestamp) + 1 + body.Length];
        var at = Encoding.UTF8.GetBytes(timestamp, signed);
        signed[at] = (byte)'.';
        body.CopyTo(signed.AsSpan(at + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
