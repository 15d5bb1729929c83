using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HorizonAI.Sandbox.Diagnostics;
using HorizonAI.Sandbox.Faults;
using Microsoft.AspNetCore.Http.HttpResults;

namespace HorizonAI.Sandbox.TwilioApi;

/// <summary>
/// The subset of the Twilio REST API the app uses, in the wire format of the Twilio C# SDK 8.2.0: sending a
/// message (api.twilio.com) and the WhatsApp typing indicator (messaging.twilio.com). Both hosts map here: the
/// app's handler keeps the path and only rewrites scheme, host and port.
/// </summary>
internal static partial class TwilioEndpoints
{
    public const int MaxBodyLength = 1600;

    public static RouteGroupBuilder MapTwilio(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("")
            .AddEndpointFilter(new RejectionCounter(state => state.CountTwilioRejection()))
            .AddEndpointFilter(new FaultFilter(state => state.Twilio, TwilioErrors.Injected))
            .DisableAntiforgery()
            .WithTags("Twilio");

        group.MapPost("/2010-04-01/Accounts/{accountSid}/Messages.json", CreateMessage);
        group.MapGet("/2010-04-01/Accounts/{accountSid}/Messages.json", ListMessages);
        group.MapPost("/v2/Indicators/Typing.json", CreateTypingIndicator);
        group.MapFallback("/2010-04-01/{**path}", NotFound);
        group.MapFallback("/v2/{**path}", NotFound);
        return group;
    }

    private static async Task<Results<Created<JsonObject>, JsonHttpResult<JsonObject>>> CreateMessage(
        string accountSid,
        HttpContext context,
        SandboxState state,
        StatusCallbackSender statusCallbacks,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(SandboxLog.TwilioCategory);
        var credentials = BasicCredentials.From(context.Request);
        if (credentials is null || !string.Equals(credentials.User, accountSid, StringComparison.Ordinal))
        {
            // Twilio answers 20003 both for missing credentials and for credentials of another account.
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return Reject(logger, context, 401, TwilioErrors.Authenticate, "Authenticate");
        }

        var form = await ReadFormAsync(context);
        var to = Field(form, "To");
        var from = Field(form, "From") ?? Field(form, "MessagingServiceSid");
        var body = Field(form, "Body") ?? "";
        var contentSid = Field(form, "ContentSid");
        var contentVariables = Field(form, "ContentVariables");
        var mediaUrls = form.TryGetValue("MediaUrl", out var media) ? media.OfType<string>().ToArray() : [];
        var statusCallback = Field(form, "StatusCallback");

        if (to is null)
        {
            return Reject(logger, context, 400, TwilioErrors.ToRequired, "A 'To' phone number is required.");
        }

        if (from is null)
        {
            return Reject(logger, context, 400, TwilioErrors.FromRequired, "A 'From' phone number is required.");
        }

        if (contentSid is not null && (!contentSid.StartsWith("HX", StringComparison.Ordinal) || contentSid.Length != 34))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidParameter, $"Invalid ContentSid {contentSid}.");
        }

        if (contentVariables is not null && !IsJsonObject(contentVariables))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidParameter, "ContentVariables must be a JSON object.");
        }

        if (body.Length == 0 && mediaUrls.Length == 0 && contentSid is null)
        {
            return Reject(logger, context, 400, TwilioErrors.MessageBodyRequired, "Message body is required.");
        }

        // Counted in UTF-16 code units: stricter than Twilio for emoji, so a splitter that passes here passes there.
        if (body.Length > MaxBodyLength)
        {
            return Reject(logger, context, 400, TwilioErrors.BodyTooLong,
                $"The concatenated message body exceeds the {MaxBodyLength} character limit.");
        }

        if (!PhoneAddress().IsMatch(to))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidTo, $"The 'To' number {to} is not a valid phone number.");
        }

        var fromIsService = from.StartsWith("MG", StringComparison.Ordinal);
        if (!fromIsService && !PhoneAddress().IsMatch(from))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidFrom,
                $"The 'From' number {from} is not a valid phone number, shortcode, or alphanumeric sender ID.");
        }

        if (!fromIsService && IsWhatsApp(to) != IsWhatsApp(from))
        {
            return Reject(logger, context, 400, TwilioErrors.ChannelMismatch,
                "Invalid From and To pair. From and To should be of the same channel");
        }

        if (!state.WhatsApp.TryTakeSend(from))
        {
            context.Response.Headers.RetryAfter = "1";
            return Reject(logger, context, 429, WhatsAppRules.RateLimited, "Too many requests: the sender's rate limit was exceeded.");
        }

        if (contentSid is null && !state.WhatsApp.InsideWindow(from, to))
        {
            return Reject(logger, context, 400, TwilioErrors.OutsideWindow, TwilioErrors.Describe(TwilioErrors.OutsideWindow));
        }

        var message = new SentMessage(NewSid("SM"), accountSid, from, to, contentSid is null ? body : $"content:{contentSid} {contentVariables ?? "{}"}", statusCallback, state.Now)
        {
            MediaUrls = mediaUrls,
            ContentSid = contentSid,
            ContentVariables = contentVariables,
        };
        state.RecordTwilioMessage(message);
        SandboxLog.MessageAccepted(logger, message.Sid, message.From, message.To);

        if (statusCallback is not null && state.SendStatusCallbacks)
        {
            var signingKey = state.TwilioAuthToken ?? credentials.Password;

            // After the 201 is written, so the app learns the SID before any callback can mention it.
            context.Response.OnCompleted(() =>
            {
                statusCallbacks.Start(message, signingKey);
                return Task.CompletedTask;
            });
        }

        var uri = $"/2010-04-01/Accounts/{accountSid}/Messages/{message.Sid}.json";
        return TypedResults.Created(uri, MessageJson(message, uri));
    }

    private static async Task<Results<Ok<JsonObject>, JsonHttpResult<JsonObject>>> CreateTypingIndicator(
        HttpContext context, SandboxState state, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(SandboxLog.TwilioCategory);
        if (BasicCredentials.From(context.Request) is null)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return Reject(logger, context, 401, TwilioErrors.Authenticate, "Authenticate");
        }

        var form = await ReadFormAsync(context);
        var channel = Field(form, "channel");
        var messageId = Field(form, "messageId");
        if (!string.Equals(channel, "whatsapp", StringComparison.Ordinal))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidParameter,
                $"Invalid channel '{channel}': typing indicators are supported for whatsapp only.");
        }

        // Twilio wants the SID of the inbound message being answered (SM… or MM…), not an id of ours.
        if (messageId is null || !(messageId.StartsWith("SM", StringComparison.Ordinal) || messageId.StartsWith("MM", StringComparison.Ordinal)))
        {
            return Reject(logger, context, 400, TwilioErrors.InvalidParameter,
                $"Invalid messageId '{messageId}': must be a Message SID (SM…) or Media SID (MM…).");
        }

        state.RecordTypingIndicator(new TypingIndicator(messageId, channel!, state.Now));
        SandboxLog.TypingIndicatorAccepted(logger, messageId);
        return TypedResults.Ok(new JsonObject { ["success"] = true });
    }

    /// <summary>
    /// The Messages list, newest first, filtered as Twilio filters it: <c>To</c>, <c>From</c>, and <c>DateSent&gt;</c> /
    /// <c>DateSent&gt;=</c> (a date or an ISO 8601 time). One page of up to <c>PageSize</c> (50 by default).
    /// </summary>
    private static Results<Ok<JsonObject>, JsonHttpResult<JsonObject>> ListMessages(string accountSid, HttpContext context, SandboxState state, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(SandboxLog.TwilioCategory);
        var credentials = BasicCredentials.From(context.Request);
        if (credentials is null || !string.Equals(credentials.User, accountSid, StringComparison.Ordinal))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
            return Reject(logger, context, 401, TwilioErrors.Authenticate, "Authenticate");
        }

        var query = context.Request.Query;
        string? Value(string name) => query.TryGetValue(name, out var value) && value.Count > 0 ? value[0] : null;
        var to = Value("To");
        var from = Value("From");
        var after = Value("DateSent>") ?? Value("DateSent>=");
        DateTimeOffset? since = after is not null && DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : null;
        var pageSize = int.TryParse(Value("PageSize"), out var size) ? Math.Clamp(size, 1, 1000) : 50;
        var uri = $"/2010-04-01/Accounts/{accountSid}/Messages.json";
        var messages = state.TwilioMessages
            .Where(m => m.AccountSid == accountSid && (to is null || m.To == to) && (from is null || m.From == from) && (since is null || m.ReceivedAt >= since))
            .OrderByDescending(m => m.ReceivedAt)
            .Take(pageSize)
            .Select(m => (JsonNode)MessageJson(m, $"/2010-04-01/Accounts/{accountSid}/Messages/{m.Sid}.json"))
            .ToArray();
        return TypedResults.Ok(new JsonObject
        {
            ["messages"] = new JsonArray(messages),
            ["end"] = Math.Max(messages.Length - 1, 0),
            ["first_page_uri"] = uri + "?PageSize=" + pageSize + "&Page=0",
            ["next_page_uri"] = null,
            ["page"] = 0,
            ["page_size"] = pageSize,
            ["previous_page_uri"] = null,
            ["start"] = 0,
            ["uri"] = uri + "?PageSize=" + pageSize + "&Page=0",
        });
    }

    private static JsonHttpResult<JsonObject> NotFound(HttpContext context) =>
        TwilioErrors.Create(404, TwilioErrors.NotFound, $"The requested resource {context.Request.Path} was not found");

    private static bool IsJsonObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static JsonHttpResult<JsonObject> Reject(ILogger logger, HttpContext context, int status, int code, string message)
    {
        SandboxLog.TwilioRejected(logger, context.Request.Path, status, code, message);
        return TwilioErrors.Create(status, code, message);
    }

    private static JsonObject MessageJson(SentMessage message, string uri)
    {
        var created = message.ReceivedAt.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["account_sid"] = message.AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = message.Body,
            ["date_created"] = created,
            ["date_sent"] = null,
            ["date_updated"] = created,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,
            ["from"] = message.From,
            ["messaging_service_sid"] = null,
            ["num_media"] = message.MediaUrls.Count.ToString(CultureInfo.InvariantCulture),
            ["num_segments"] = Segments(message).ToString(CultureInfo.InvariantCulture),
            ["price"] = null,
            ["price_unit"] = null,
            ["sid"] = message.Sid,
            ["status"] = "queued",
            ["subresource_uris"] = new JsonObject
            {
                ["media"] = $"/2010-04-01/Accounts/{message.AccountSid}/Messages/{message.Sid}/Media.json",
            },
            ["to"] = message.To,
            ["uri"] = uri,
        };
    }

    // WhatsApp messages are one segment whatever their length; SMS follows GSM-7 (160/153) or UCS-2 (70/67).
    private static int Segments(SentMessage message)
    {
        if (IsWhatsApp(message.To))
        {
            return 1;
        }

        var gsm = message.Body.All(c => c < 128);
        var (single, multi) = gsm ? (160, 153) : (70, 67);
        return message.Body.Length <= single ? 1 : (message.Body.Length + multi - 1) / multi;
    }

    private static async Task<IFormCollection> ReadFormAsync(HttpContext context) =>
        context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : FormCollection.Empty;

    private static string? Field(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values.ToString()) ? values.ToString() : null;

    private static bool IsWhatsApp(string address) => address.StartsWith("whatsapp:", StringComparison.Ordinal);

    private static string NewSid(string prefix) => prefix + RandomNumberGenerator.GetHexString(32, lowercase: true);

    [GeneratedRegex(@"^(whatsapp:)?\+[1-9][0-9]{6,14}$")]
    private static partial Regex PhoneAddress();
}
