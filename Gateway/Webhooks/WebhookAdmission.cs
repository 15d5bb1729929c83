using System.Threading.RateLimiting;
using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>
/// How many webhook requests this Gateway works on at once (<c>WEBHOOK_MAX_CONCURRENCY</c>), and how many more may
/// wait for their turn (<c>WEBHOOK_QUEUE_LIMIT</c>) so that a burst is absorbed rather than refused.
/// </summary>
public sealed class WebhookAdmissionOptions
{
    public const string ConcurrencyVariable = "WEBHOOK_MAX_CONCURRENCY";
    public const string QueueVariable = "WEBHOOK_QUEUE_LIMIT";

    [SettingRange(1, int.MaxValue, ErrorMessage = ConcurrencyVariable + " must be a whole number of requests, 1 or more")]
    public int MaxConcurrency { get; set; } = 64;

    [SettingRange(0, int.MaxValue, ErrorMessage = QueueVariable + " must be a whole number of requests, 0 or more")]
    public int QueueLimit { get; set; } = 256;

    public static WebhookAdmissionOptions From(IConfiguration configuration) => new()
    {
        MaxConcurrency = configuration.Integer(ConcurrencyVariable, 64),
        QueueLimit = configuration.Integer(QueueVariable, 256),
    };
}

[OptionsValidator]
public sealed partial class WebhookAdmissionOptionsValidator : IValidateOptions<WebhookAdmissionOptions>;

/// <summary>
/// Admission control for inbound messages: a bounded number being stored at once and a bounded queue, oldest first;
/// beyond both, a webhook is refused at once with 503 and nothing is stored, instead of piling up until Twilio's
/// 15-second timeout. A permit is taken only after the signature and the fields are checked, so unsigned or slow
/// requests never hold one. Under a flood the Gateway keeps acknowledging at the rate the cluster can store, with
/// bounded latency and memory, and Twilio sees refusals (its fallback URL can take them) rather than timeouts for
/// everything. Status callbacks are not limited: they follow the replies, so their rate is bounded by what was taken.
/// </summary>
public sealed partial class WebhookAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly WebhookAdmissionOptions _options;
    private readonly HorizonMetrics _metrics;
    private readonly ILogger<WebhookAdmission> _logger;

    public WebhookAdmission(IOptions<WebhookAdmissionOptions> options, HorizonMetrics metrics, ILogger<WebhookAdmission> logger)
    {
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = _options.MaxConcurrency,
            QueueLimit = _options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>
    /// A lease to release when the message is stored (or not), or null when refused: the queue is full, or the request's
    /// budget ended while it waited. Throws only when the caller went away.
    /// </summary>
    public async ValueTask<RateLimitLease?> TryEnterAsync(CancellationToken budget, CancellationToken requestAborted)
    {
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, budget);
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null;
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        return null;
    }

    public IResult Refuse(HttpContext context)
    {
        _metrics.WebhookRejected("overloaded");
        LogOverloaded(_logger, _options.MaxConcurrency, _options.QueueLimit);
        context.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Too many webhooks in flight; nothing was stored, retry later");
    }

    public void Dispose() => _limiter.Dispose();

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Webhook refused: no permit (at most {MaxConcurrency} being stored and {QueueLimit} waiting) within its budget")]
    private static partial void LogOverloaded(ILogger logger, int maxConcurrency, int queueLimit);
}
