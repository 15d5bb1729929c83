using System.Collections.Specialized;
using HorizonAI.Gateway.Hosting;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;
using Twilio.Security;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the SDK's validator over the URL Twilio called (PUBLIC_BASE_URL + path +
/// query behind a TLS proxy, else the request's own URL) and every posted field.
/// </summary>
public sealed class TwilioSignatureValidator(IOptions<TwilioOptions> twilio, IOptions<GatewayOptions> gateway)
{
    public const string SignatureHeader = "X-Twilio-Signature";

    public bool IsValid(HttpRequest request, IFormCollection form)
    {
        var signature = request.Headers[SignatureHeader].ToString();
        var token = twilio.Value.AuthToken;
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(token))
        {
            return false;
        }

        var fields = new NameValueCollection(StringComparer.Ordinal);
        foreach (var (key, values) in form)
        {
            foreach (var value in values)
            {
                fields.Add(key, value ?? "");
            }
        }

        var validator = new RequestValidator(token);
        var algorithm = RequestValidator.GetSignatureAlgorithm(request.Headers[RequestValidator.SignatureSettingsHeader].ToString());
        try
        {
            return validator.Validate(PublicUrl(request), fields, signature, algorithm);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// The URL a signature covers: <paramref name="pathAndQuery"/> under PUBLIC_BASE_URL when it is set (Twilio calls
    /// the public address; a TLS proxy changes scheme and host on the way), else under the request's own origin.
    /// </summary>
    public static string SignedUrl(Uri? publicBaseUrl, HttpRequest request, string pathAndQuery) =>
        (publicBaseUrl is { } publicBase
            ? publicBase.GetLeftPart(UriPartial.Path).TrimEnd('/')
            : $"{request.Scheme}://{request.Host.ToUriComponent()}") + pathAndQuery;

    private string PublicUrl(HttpRequest request) =>
        SignedUrl(gateway.Value.PublicBaseUrl, request, request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent());
}
