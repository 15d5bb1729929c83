using System.Net.Http.Headers;
using System.Text;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>The user and password of an <c>Authorization: Basic</c> header, as the Twilio SDK sends them.</summary>
internal sealed record BasicCredentials(string User, string Password)
{
    /// <summary>Null when the header is missing, not Basic, malformed, or has an empty user or password.</summary>
    public static BasicCredentials? From(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return null;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == decoded.Length - 1)
        {
            return null;
        }

        return new BasicCredentials(decoded[..colon], decoded[(colon + 1)..]);
    }
}
