using HorizonAI.Gateway.Access.Authorization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using HorizonAI.Gateway.Hosting;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Gateway.Infrastructure.Validation;
using HorizonAI.Gateway.Webhooks;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Logging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Console;

/// <summary>
/// The console's WhatsApp simulator. A message typed in the browser becomes the form Twilio would post, signed with
/// the account's auth token, and is posted over HTTP to this Gateway's own <c>/webhook/whatsapp</c>: it takes exactly
/// the production path (signature check, number parsing, durable inbox, assistant turn, reply through the Twilio API),
/// so what works in the simulator works for a real WhatsApp user.
/// </summary>
public static partial class SimulatorEndpoints
{
    /// <summary>
    /// The named <see cref="HttpClient"/> the simulator posts with. Without a base address of its own it targets the
    /// origin (scheme, host, port) of the console request; tests give it an in-memory handler and address.
    /// </summary>
    public const string SelfClient = "self";

    /// <summary>WhatsApp's limit for the text of one message.</summary>
    public const int MaxTextLength = 4096;

    /// <summary>The named <see cref="HttpClient"/> that puts attachments on the Twilio stand-in.</summary>
    public const string SandboxClient = "sandbox-media";

    /// <summary>The largest attachment: OpenAI transcribes up to 25 MB, Twilio's WhatsApp media are at most 16 MB.</summary>
    public const int MaxMediaBytes = 16 * 1024 * 1024;

    /// <summary>Stands in for <c>AccountSid</c> when TWILIO_ACCOUNT_SID is not configured (the Gateway does not need it).</summary>
    public const string PlaceholderAccountSid = "AC00000000000000000000000000000000";

    private const string WebhookPath = "/webhook/whatsapp";

    public static RouteHandlerBuilder MapSimulator(this RouteGroupBuilder group) =>
        group.MapPost("/simulate", SimulateAsync).WithName("SimulateWhatsAppMessage").Accepts<SimulationRequest>("application/json")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxMediaBytes / 3 * 4 + 64 * 1024)).RequireRole(ApiKeyRoles.Admin);

    public static async Task<Results<Ok<SimulationResult>, ValidationProblem, ProblemHttpResult>> SimulateAsync(
        SimulationRequest simulation, HttpContext context, IHttpClientFactory clients, IOptions<TwilioOptions> twilio, IOptions<GatewayOptions> gateway, ILoggerFactory loggers)
    {
        var (bot, user) = (simulation.BotNumber, simulation.UserNumber);
        var media = simulation.Media is { Data: { } data } ? Convert.FromBase64String(data) : null;
        var mediaType = MediaTypeAttribute.Essence(simulation.Media?.ContentType);

        if (twilio.Value.AuthToken is not { Length: > 0 } authToken)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "TWILIO_AUTH_TOKEN is not set; the simulator signs its messages with it");
        }

        var accountSid = twilio.Value.AccountSid ?? PlaceholderAccountSid;
        string? mediaUrl = null;
        if (media is not null)
        {
            var (url, problem) = await PutMediaAsync(clients, twilio.Value, accountSid, media, mediaType!, context.RequestAborted);
            if (problem is not null)
            {
                return problem;
            }

            mediaUrl = url;
        }

        var sid = "SM" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MessageSid"] = sid,
            ["AccountSid"] = accountSid,
            ["From"] = "whatsapp:" + user,
            ["To"] = "whatsapp:" + bot,
            ["Body"] = simulation.Text ?? "",
            ["NumMedia"] = mediaUrl is null ? "0" : "1",
            ["ProfileName"] = "Console",
            ["WaId"] = user.TrimStart('+'),
        };
        if (mediaUrl is not null)
        {
            fields["MediaUrl0"] = mediaUrl;
            fields["MediaContentType0"] = mediaType!;
        }

        var request = context.Request;
        var origin = $"{request.Scheme}://{request.Host.ToUriComponent()}";
        var path = request.PathBase.Add(WebhookPath).ToUriComponent();

        // The URL the webhook's validator will rebuild, by its own rule; the post arrives with this request's origin.
        var signedUrl = TwilioSignatureValidator.SignedUrl(gateway.Value.PublicBaseUrl, request, path);

        var http = clients.CreateClient(SelfClient);
        var target = new Uri(http.BaseAddress ?? new Uri(origin), path);
        using var post = new HttpRequestMessage(HttpMethod.Post, target) { Content = new FormUrlEncodedContent(fields) };
        post.Headers.Add(TwilioSignatureValidator.SignatureHeader, TwilioRequestSigner.Sign(authToken, signedUrl, fields));
        post.Headers.UserAgent.Add(new ProductInfoHeaderValue("HorizonAI-Console-Simulator", "1.0"));

        var logger = loggers.CreateLogger(typeof(SimulatorEndpoints));
        try
        {
            using var response = await http.SendAsync(post, context.RequestAborted);
            var status = (int)response.StatusCode;
            LogSimulated(logger, bot, sid, PhoneMask.Mask(user), status);
            var detail = response.IsSuccessStatusCode ? null : await ProblemTitleAsync(response, context.RequestAborted);
            return TypedResults.Ok(new SimulationResult(status, sid, bot, user, detail));
        }
        catch (HttpRequestException ex)
        {
            LogUnreachable(logger, bot, target.GetLeftPart(UriPartial.Path), ex.Message);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: $"The Gateway could not reach its own webhook at {target.GetLeftPart(UriPartial.Path)}");
        }
        catch (TaskCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            LogUnreachable(logger, bot, target.GetLeftPart(UriPartial.Path), "timed out");
            return TypedResults.Problem(statusCode: StatusCodes.Status504GatewayTimeout, title: "The Gateway's own webhook did not answer in time");
        }
    }

    /// <summary>
    /// Puts the attachment on the Twilio stand-in (<c>POST /_sandbox/media</c> of TWILIO_API_BASE_URL), which serves it
    /// at a Twilio media URL as Twilio would; real Twilio takes no uploads, so with it attachments are refused.
    /// </summary>
    private static async Task<(string? Url, ProblemHttpResult? Problem)> PutMediaAsync(
        IHttpClientFactory clients, TwilioOptions twilio, string accountSid, byte[] media, string contentType, CancellationToken cancellationToken)
    {
        var api = new Uri(twilio.ApiBaseUrl);
        if (api.Host.EndsWith("twilio.com", StringComparison.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
                title: "Attachments need the sandbox: TWILIO_API_BASE_URL points at Twilio, which takes no uploads"));
        }

        var http = clients.CreateClient(SandboxClient);
        using var content = new ByteArrayContent(media);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var target = new Uri(api, "/_sandbox/media?account_sid=" + Uri.EscapeDataString(accountSid));
        try
        {
            using var response = await http.PostAsync(target, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("url", out var url)
                    && url.ValueKind == JsonValueKind.String && url.GetString() is { Length: > 0 } mediaUrl)
                {
                    return (mediaUrl, null);
                }
            }

            return (null, TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway,
                title: $"The Twilio API at {api.GetLeftPart(UriPartial.Authority)} did not take the attachment ({(int)response.StatusCode})"));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway,
                title: $"The Twilio API at {api.GetLeftPart(UriPartial.Authority)} could not be reached to put the attachment"));
        }
    }

    /// <summary>The webhook answers refusals as problem details; their title says why (e.g. no bot has the number).</summary>
    private static async Task<string> ProblemTitleAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("title", out var title) && title.GetString() is { Length: > 0 } text
                ? text
                : fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Information, Message = "Bot {BotNumber}: console simulator posted {MessageSid} from {User}; the webhook answered {StatusCode}")]
    private static partial void LogSimulated(ILogger logger, string botNumber, string messageSid, string user, int statusCode);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Bot {BotNumber}: console simulator could not reach the Gateway's own webhook at {Url}: {Reason}")]
    private static partial void LogUnreachable(ILogger logger, string botNumber, string url, string reason);
}
