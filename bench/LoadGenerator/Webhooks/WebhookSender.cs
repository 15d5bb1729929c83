using System.Net;
using System.Net.Http.Headers;

namespace HorizonAI.LoadGenerator.Webhooks;

/// <summary>Posts signed webhooks to one URL over a bounded pool of keep-alive HTTP/1.1 connections.</summary>
public sealed class WebhookSender : IDisposable
{
    /// <summary>Status recorded when the request failed without an HTTP answer (refused, reset).</summary>
    public const int TransportError = 0;

    /// <summary>Status recorded when no answer came within the timeout (Twilio gives up after 15 s).</summary>
    public const int TimedOut = -1;

    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded");
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly string _signedUrl;
    private readonly WebhookSignature _signature;

    public WebhookSender(Uri url, string authToken, int maxConnections, TimeSpan timeout)
    {
        _url = url;

        // The Gateway checks the signature over the URL it was called on (scheme, Host header, path, query).
        _signedUrl = url.GetLeftPart(UriPartial.Query);
        _signature = new WebhookSignature(authToken);
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            Timeout = timeout,
        };
    }

    /// <summary>The HTTP status of the answer, <see cref="TimedOut"/> or <see cref="TransportError"/>.</summary>
    public async Task<int> PostAsync(InboundWebhook message, CancellationToken cancellationToken)
    {
        var fields = message.Fields();
        var content = new ByteArrayContent(InboundWebhook.Encode(fields));
        content.Headers.ContentType = FormContentType;
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content, Version = HttpVersion.Version11 };
        request.Headers.Add("X-Twilio-Signature", _signature.Sign(_signedUrl, fields));
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TimedOut;
        }
        catch (HttpRequestException)
        {
            return TransportError;
        }
    }

    /// <summary>What <c>wrk</c> needs to post the same message: the body and the headers.</summary>
    public (byte[] Body, string Signature) Prepare(InboundWebhook message)
    {
        var fields = message.Fields();
        return (InboundWebhook.Encode(fields), _signature.Sign(_signedUrl, fields));
    }

    public void Dispose() => _http.Dispose();
}
