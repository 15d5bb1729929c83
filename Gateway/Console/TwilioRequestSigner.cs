using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// Computes <c>X-Twilio-Signature</c> as Twilio does: HMAC-SHA1, keyed with the account's auth token, over the URL
/// followed by every posted field as name then value, in ordinal order of the names; base64.
/// </summary>
public static class TwilioRequestSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var data = new StringBuilder(url);
        foreach (var (name, value) in fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            data.Append(name).Append(value);
        }

        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }
}
