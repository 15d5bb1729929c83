using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Grains.Webhooks;

/// <summary>
/// How the platform signs what it POSTs to a business (handoff notices, tool calls): header
/// <c>X-HorizonAI-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>, keyed with the bot's secret.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-HorizonAI-Signature";

    /// <summary>The header's value for <paramref name="body"/> sent at <paramref name="timestamp"/> (unix seconds).</summary>
    public static string HeaderValue(string secret, string timestamp, ReadOnlySpan<byte> body) => $"t={timestamp},v1={Sign(secret, timestamp, body)}";

    /// <summary>Lower-case hex HMAC-SHA256 of <c>{timestamp}.{body}</c>: what a receiver computes to check a post.</summary>
    public static string Sign(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
