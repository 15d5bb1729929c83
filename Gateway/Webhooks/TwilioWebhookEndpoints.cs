using System.Diagnostics;
using HorizonAI.Gateway.Infrastructure;
using HorizonAI.Grains.Interfaces;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.Storage;
using HorizonAI.Storage.Messages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// The webhooks Twilio posts every inbound WhatsApp message and every status callback to (SPEC §3). Their group's
/// <see cref="TwilioWebhookFilter"/> reads the form and checks its signature first; the handlers start from a
/// <see cref="SignedForm"/>.
/// </summary>
public static partial class TwilioWebhookEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    private const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static RouteGroupBuilder MapTwilioWebhooks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/webhook").WithTags("Twilio webhooks").ExcludeFromDescription()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AddEndpointFilter<TwilioWebhookFilter>()
            .DisableValidation(); // the filter validates the form once it is read and signed
        group.MapPost("/whatsapp", ReceiveWhatsAppAsync);
        group.MapPost("/status", ReceiveStatusAsync);
        return group;
    }

    /// <summary>An inbound message: stored durably, then acknowledged with empty TwiML (SPEC §3).</summary>
    public static async Task<IResult> ReceiveWhatsAppAsync(
        InboundMessageForm form, HttpContext context, BotRoster roster, MessageIntake intake, InboundForwarder forwarder, WebhookAdmission admission,
        WebhookStore store, TimeProvider time, HorizonMetrics metrics, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoints));
        var (sid, bot, user) = (form.MessageSid!, form.BotNumber, form.UserNumber);
        var media = form.Media;
        var message = new InboundMessage
        {
            MessageSid = sid,
            BotNumber = bot,
            UserNumber = user,
            Body = form.Body,
            ProfileName = form.ProfileName,
            MediaUrls = [.. media.Select(m => m.Url)],
            MediaTypes = [.. media.Select(m => m.ContentType)],
            ReceivedAt = time.GetUtcNow(),

            // This request's span is the root of the message's trace: the row keeps it for the turn that answers it.
            TraceParent = HorizonTracing.CurrentTraceParent(),
        };
        var span = Activity.Current;
        span?.SetTag(HorizonTracing.BotTag, bot);
        span?.SetTag(HorizonTracing.UserTag, PhoneMask.Mask(user));
        span?.SetTag(HorizonTracing.MessageSidTag, sid);

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["BotNumber"] = bot, ["User"] = PhoneMask.Mask(user) });
        // The wait for a permit spends the same budget as storing, so a queued webhook is answered in time too.
        using var lease = await admission.TryEnterAsync(form.Budget, context.RequestAborted);
        if (lease is null)
        {
            metrics.GatewayWebhook(bot, "overloaded");
            return admission.Refuse(context);
        }

        // The bots table says whether the number has a bot and whether it answers; the row is committed before the
        // answer. No silo is asked: it is handed the message afterwards, and the table remembers it meanwhile.
        RosterEntry? known;
        AcceptedRow stored = new(false, null, null);
        try
        {
            known = await store.CallAsync(bot, sid, () => roster.FindAsync(bot, form.Budget).AsTask(), form.Budget);
            if (known is not null)
            {
                // The row belongs to the bot that has the number now (its id), not to the number.
                message = message with { BotId = known.Id };
                stored = await store.CallAsync(bot, sid, () => intake.AcceptAsync(message, known.Enabled ? MessageStatus.Received : MessageStatus.Ignored), form.Budget);
            }
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            metrics.GatewayWebhook(bot, "unavailable");
            return Unavailable(context, logger, metrics, ex, bot, sid);
        }

        var outcome = known switch
        {
            null => ReceiveOutcome.UnknownBot,
            _ when !stored.Inserted => ReceiveOutcome.Duplicate,
            { Enabled: true } => ReceiveOutcome.Accepted,
            _ => ReceiveOutcome.RecordedWithoutReply,
        };
        if (stored is { Status: MessageStatus.Received, Id: { } id })
        {
            // A repeat whose row still waits is handed over again: its first forward may have failed.
            forwarder.Forward(message with { StoredId = id, Redelivered = !stored.Inserted });
        }

        span?.SetTag(HorizonTracing.OutcomeTag, outcome.ToString());
        metrics.GatewayWebhook(bot, outcome switch
        {
            ReceiveOutcome.Accepted => "accepted",
            ReceiveOutcome.Duplicate => "duplicate",
            ReceiveOutcome.RecordedWithoutReply => "disabled",
            _ => "unknown_bot",
        });
        if (outcome == ReceiveOutcome.UnknownBot)
        {
            LogUnknownBot(logger, bot);
            metrics.WebhookRejected("unknown_bot");
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No bot has the number {bot}");
        }

        LogReceived(logger, bot, sid, PhoneMask.Mask(user), outcome);
        return TypedResults.Text(EmptyTwiml, "text/xml", System.Text.Encoding.UTF8);
    }

    /// <summary>Twilio's delivery status callbacks for our replies (SPEC §3).</summary>
    public static async Task<IResult> ReceiveStatusAsync(
        StatusCallbackForm form, HttpContext context, MessageIntake intake, WebhookStore store, HorizonMetrics metrics, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(TwilioWebhookEndpoints));

        var (sid, status, errorCode, bot) = (form.MessageSid!, form.MessageStatus!, form.ErrorCode, form.BotNumber);
        Activity.Current?.SetTag(HorizonTracing.BotTag, bot);
        Activity.Current?.SetTag(HorizonTracing.MessageSidTag, sid);
        DeliveryStatusOutcome outcome;
        try
        {
            var update = new DeliveryStatusUpdate(sid, status, errorCode);
            outcome = await store.CallAsync(bot, sid, () => intake.RecordDeliveryStatusAsync(update), form.Budget);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            return Unavailable(context, logger, metrics, ex, bot, sid);
        }
        Activity.Current?.SetTag(HorizonTracing.OutcomeTag, status + ": " + outcome);
        metrics.GatewayStatusCallback(bot, status);
        LogStatus(logger, bot, sid, status, errorCode ?? "none", outcome);
        return TypedResults.Text(EmptyTwiml, "text/xml", System.Text.Encoding.UTF8);
    }

    /// <summary>
    /// Not stored (the cluster or the database stayed unavailable for the whole <see cref="WebhookStore"/> budget): say so
    /// with a 503, so that nothing is acknowledged that was not kept. Twilio's debugger shows it, and its fallback URL
    /// can deliver it again.
    /// </summary>
    private static IResult Unavailable(HttpContext context, ILogger logger, HorizonMetrics metrics, Exception exception, string bot, string sid)
    {
        LogNotStored(logger, exception, bot, sid);
        metrics.WebhookRejected("unavailable");
        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Could not be stored right now; retry later");
    }

    /// <summary>A webhook refused before anything was stored: logged and counted by its reason.</summary>
    internal static void Reject(ILogger logger, HorizonMetrics metrics, string reason)
    {
        LogRejected(logger, reason);
        metrics.WebhookRejected(reason);
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Bot {BotNumber}: webhook message {MessageSid} from {User}: {Outcome}")]
    private static partial void LogReceived(ILogger logger, string botNumber, string messageSid, string user, ReceiveOutcome outcome);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Bot {BotNumber}: webhook for a number no bot has; answered 404")]
    private static partial void LogUnknownBot(ILogger logger, string botNumber);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Bot {BotNumber}: status callback for {MessageSid}: {Status} (error {ErrorCode}): {Outcome}")]
    private static partial void LogStatus(ILogger logger, string botNumber, string messageSid, string status, string errorCode, DeliveryStatusOutcome outcome);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "Bot {BotNumber}: webhook message {MessageSid} could not be stored; answered 503")]
    private static partial void LogNotStored(ILogger logger, Exception exception, string botNumber, string messageSid);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Webhook rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}
