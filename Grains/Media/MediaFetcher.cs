using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HorizonAI.Grains.Hosting;
using HorizonAI.ServiceDefaults.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.Grains.Media;

/// <summary>
/// Fetches an end user's media from Twilio with the account's credentials, on the resilient upstream pipeline. Media
/// URLs need Basic auth and answer with a redirect to a short-lived URL on another host: redirects are followed here,
/// never automatically, and the credentials go only to Twilio's own host. Webhooks name media on
/// <c>https://api.twilio.com</c>; with another <c>TWILIO_API_BASE_URL</c> (a proxy, an edge, the sandbox) the request
/// goes there instead, as the SDK's do.
/// </summary>
public sealed class MediaFetcher(IHttpClientFactory clients, IOptions<TwilioOptions> twilio, IOptions<UpstreamOptions> upstream)
{
    public const string HttpClientName = "twilio-media";
    private const int MaxRedirects = 3;
    private static readonly Uri TwilioApi = new(TwilioOptions.DefaultApiBaseUrl);

    /// <summary>
    /// The media's bytes and content type, or a permanent reason it cannot be had (not on Twilio, gone, too large).
    /// A transient failure that outlasted the retries is thrown, so that the turn is tried again later.
    /// </summary>
    public async Task<FetchedMedia> FetchAsync(string url, int maxBytes, CancellationToken cancellationToken)
    {
        var twilioBase = new Uri(twilio.Value.ApiBaseUrl);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var location) || !(SameOrigin(location, twilioBase) || SameOrigin(location, TwilioApi)))
        {
            return FetchedMedia.Refused("not a Twilio media URL");
        }

        if (SameOrigin(location, TwilioApi) && !SameOrigin(twilioBase, TwilioApi))
        {
            var prefix = twilioBase.AbsolutePath.TrimEnd('/');
            location = new UriBuilder(location) { Scheme = twilioBase.Scheme, Host = twilioBase.Host, Port = twilioBase.Port, Path = prefix + location.AbsolutePath }.Uri;
        }

        var client = clients.CreateClient(HttpClientName);
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, location);
            if (SameOrigin(location, twilioBase))
            {
                var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.Value.AccountSid}:{twilio.Value.AuthToken}"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (IsRedirect(response.StatusCode) && response.Headers.Location is { } next)
            {
                location = next.IsAbsoluteUri ? next : new Uri(location, next);
                if (location.Scheme != Uri.UriSchemeHttps && location.Scheme != Uri.UriSchemeHttp)
                {
                    return FetchedMedia.Refused("redirected to a URL that is not HTTP");
                }

                continue;
            }

            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
            {
                return FetchedMedia.Refused("Twilio no longer has it (" + (int)response.StatusCode + ")");
            }

            if (!response.IsSuccessStatusCode)
            {
                // 5xx and 429 that the pipeline's retries did not get past are transient; other answers are not.
                if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    throw new HttpRequestException($"media fetch answered {(int)response.StatusCode}", null, response.StatusCode);
                }

                return FetchedMedia.Refused("Twilio refused it (" + (int)response.StatusCode + ")");
            }

            var contentType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant() ?? "";
            if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
            {
                return FetchedMedia.TooLarge(length, maxBytes);
            }

            // The pipeline's attempt timeout ends with the headers: the body gets one of its own, so a stalled
            // download fails (and is retried with the turn) instead of holding the conversation.
            using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bodyTimeout.CancelAfter(TimeSpan.FromSeconds(upstream.Value.AttemptTimeoutSeconds));
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(bodyTimeout.Token);
                var bytes = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await body.ReadAsync(buffer, bodyTimeout.Token)) > 0)
                {
                    if (bytes.Length + read > maxBytes)
                    {
                        return FetchedMedia.TooLarge(bytes.Length + read, maxBytes);
                    }

                    bytes.Write(buffer, 0, read);
                }

                return new FetchedMedia(new BinaryData(bytes.ToArray()), contentType, null);
            }
            catch (OperationCanceledException) when (bodyTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException("the media download did not finish in time");
            }
        }

        return FetchedMedia.Refused("too many redirects");
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}

/// <summary>Fetched media, or (with <see cref="Refusal"/>) why it could not be fetched.</summary>
public sealed record FetchedMedia(BinaryData? Data, string ContentType, string? Refusal)
{
    public static FetchedMedia Refused(string reason) => new(null, "", reason);

    public static FetchedMedia TooLarge(long bytes, int limit) =>
        Refused($"too large ({Size(bytes)}; the limit is {Size(limit)})");

    public static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " MB"
        : Math.Ceiling(bytes / 1024.0).ToString(System.Globalization.CultureInfo.InvariantCulture) + " KB";
}
