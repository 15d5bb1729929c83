using System.Globalization;
using System.Threading.RateLimiting;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
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
    public const string Policy = "webhooks";

    public int MaxConcurrency { get; set; } = 64;

    public int QueueLimit { get; set; } = 256;

    public static WebhookAdmissionOptions From(IConfiguration configuration) => new()
    {
        MaxConcurrency = Read(configuration, ConcurrencyVariable, 64),
        QueueLimit = Read(configuration, QueueVariable, 256),
    };

    // A malformed value reads as -1, which the validator names.
    private static int Read(IConfiguration configuration, string name, int fallback) => configuration[name] is { Length: > 0 } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : -1
        : fallback;
}

public sealed class WebhookAdmissionOptionsValidator : IValidateOptions<WebhookAdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookAdmissionOptions options)
    {
        var failures = new List<string>();
        if (options.MaxConcurrency < 1)
        {
            failures.Add($"{WebhookAdmissionOptions.ConcurrencyVariable} must be a whole number of requests, 1 or more");
        }

        if (options.QueueLimit < 0)
        {
            failures.Add($"{WebhookAdmissionOptions.QueueVariable} must be a whole number of requests, 0 or more");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Admission control for the webhooks: a bounded number in flight and a bounded queue, oldest first; beyond both, a
/// webhook is refused at once with 503 and nothing is stored, instead of piling up until Twilio's 15-second timeout.
/// Under a flood the Gateway keeps acknowledging at the rate the cluster can store, with bounded latency and memory,
/// and Twilio sees refusals (its fallback URL can take them) rather than timeouts for everything.
/// </summary>
public sealed partial class WebhookAdmissionPolicy(IOptions<WebhookAdmissionOptions> options, HorizonMetrics metrics, ILogger<WebhookAdmissionPolicy> logger)
    : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter(WebhookAdmissionOptions.Policy, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrency,
            QueueLimit = options.Value.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        metrics.WebhookRejected("overloaded");
        LogOverloaded(logger, options.Value.MaxConcurrency, options.Value.QueueLimit);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many webhooks in flight; nothing was stored, retry later")
            .ExecuteAsync(context.HttpContext);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Webhook refused: {MaxConcurrency} requests in flight and {QueueLimit} waiting")]
    private static partial void LogOverloaded(ILogger logger, int maxConcurrency, int queueLimit);
}

public static class WebhookAdmissionExtensions
{
    public static IServiceCollection AddWebhookAdmission(this IServiceCollection services) =>
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, WebhookAdmissionPolicy>(WebhookAdmissionOptions.Policy));
}
