using System.Security.Cryptography;
using System.Text;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// <c>X-Twilio-Signature</c> as Twilio computes it and <c>Twilio.Security.RequestValidator</c> checks it:
/// base64(HMAC-SHA1(auth token, url + every form field as key+value, keys sorted ordinally)). Computed here so
/// that the sandbox needs no Twilio package.
/// </summary>
internal static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }

        var hash = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString()));
        return Convert.ToBase64String(hash);
    }
}
