namespace HorizonAI.Grains.WhatsApp;

/// <summary>
/// The Twilio SDK always addresses api.twilio.com / messaging.twilio.com. This handler sends those requests to
/// <c>TWILIO_API_BASE_URL</c> instead (a proxy, a regional edge, or the local sandbox), keeping path and query.
/// </summary>
public sealed class TwilioBaseUrlHandler(Uri baseUrl) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri)
        {
            var builder = new UriBuilder(uri) { Scheme = baseUrl.Scheme, Host = baseUrl.Host, Port = baseUrl.Port };
            var prefix = baseUrl.AbsolutePath.TrimEnd('/');
            if (prefix.Length > 0)
            {
                builder.Path = prefix + uri.AbsolutePath;
            }

            request.RequestUri = builder.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
