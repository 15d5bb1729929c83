using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.LoadGenerator.Webhooks;

/// <summary>
/// <c>X-Twilio-Signature</c> as Twilio documents it: base64(HMAC-SHA1(key = auth token, the URL followed by every
/// posted field's name and value, fields sorted by name in ordinal order)).
/// </summary>
public sealed class WebhookSignature(string authToken)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(authToken);

    public string Sign(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url, 1024);
        foreach (var (key, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(_key, Encoding.UTF8.GetBytes(data.ToString())));
    }
}
