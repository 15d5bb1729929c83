using System.Globalization;
using System.Threading.RateLimiting;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace HorizonAI.Gateway.Webhooks;

/// <summary>How many webhook requests this Gateway works on at once (<c>WEBHOOK_MAX_CONCURRENCY</c>).</summary>
public sealed class WebhookAdmissionOptions
{
    public const string Variable = "WEBHOOK_MAX_CONCURRENCY";
    public const string Policy = "webhooks";

    public int MaxConcurrency { get; set; } = 64;

    public static WebhookAdmissionOptions From(IConfiguration configuration) => new()
    {
        MaxConcurrency = configuration[Variable] is { Length: > 0 } text
            ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0
            : 64,
    };
}

public sealed class WebhookAdmissionOptionsValidator : IValidateOptions<WebhookAdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookAdmissionOptions options) =>
        options.MaxConcurrency >= 1
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{WebhookAdmissionOptions.Variable} must be a whole number of requests, 1 or more");
}

/// <summary>
/// Admission control for the webhooks: beyond the configured number of requests in flight, a webhook is refused at
/// once with 503 and nothing is stored, instead of queueing until Twilio's 15-second timeout. Under a flood the
/// Gateway keeps acknowledging at the rate the cluster can store, with bounded latency and memory, and Twilio sees
/// the refusals (its fallback URL can take them) rather than timeouts for everything.
/// </summary>
public sealed partial class WebhookAdmissionPolicy(IOptions<WebhookAdmissionOptions> options, HorizonMetrics metrics, ILogger<WebhookAdmissionPolicy> logger)
    : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => RejectAsync;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        RateLimitPartition.GetConcurrencyLimiter(WebhookAdmissionOptions.Policy, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrency,
            QueueLimit = 0,
        });

    private async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        metrics.WebhookRejected("overloaded");
        LogOverloaded(logger, options.Value.MaxConcurrency);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        response.Headers.RetryAfter = "1";
        await TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Too many webhooks in flight; nothing was stored, retry later")
            .ExecuteAsync(context.HttpContext);
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Debug, Message = "Webhook refused: {MaxConcurrency} requests already in flight")]
    private static partial void LogOverloaded(ILogger logger, int maxConcurrency);
}

public static class WebhookAdmissionExtensions
{
    public static IServiceCollection AddWebhookAdmission(this IServiceCollection services) =>
        services.AddRateLimiter(limiter => limiter.AddPolicy<string, WebhookAdmissionPolicy>(WebhookAdmissionOptions.Policy));
}
