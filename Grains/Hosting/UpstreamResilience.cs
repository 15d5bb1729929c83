using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HorizonAI.Grains.Hosting;

/// <summary>
/// One policy for both upstreams: retry transient faults (408, 429, 5xx, timeouts, connection errors) with
/// exponential backoff and jitter, honouring Retry-After, inside a bounded total time; a circuit breaker keeps an
/// outage from piling up work. The SDKs' own retries are off, so retries happen here only. Other 4xx answers
/// (a bad request, Twilio 63016 or 21211) are permanent and pass straight through.
/// </summary>
internal static class UpstreamResilience
{
    public const string AttemptTimeoutVariable = "UPSTREAM_ATTEMPT_TIMEOUT_SECONDS";
    public const string TotalTimeoutVariable = "UPSTREAM_TOTAL_TIMEOUT_SECONDS";
    public const string MaxRetriesVariable = "UPSTREAM_MAX_RETRIES";

    public static void Configure(HttpStandardResilienceOptions options, IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var attempt = Seconds(configuration, AttemptTimeoutVariable, 30);
        var total = Seconds(configuration, TotalTimeoutVariable, 90);
        options.AttemptTimeout.Timeout = attempt;
        options.TotalRequestTimeout.Timeout = total < attempt ? attempt : total;
        options.Retry.MaxRetryAttempts = Math.Clamp(Integer(configuration, MaxRetriesVariable, 5), 0, 20);
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(20);
        options.Retry.ShouldRetryAfterHeader = true;

        // The breaker's sampling window must be at least twice the attempt timeout (a library rule).
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(60, attempt.TotalSeconds * 2));
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
    }

    private static TimeSpan Seconds(IConfiguration configuration, string name, double fallback) =>
        TimeSpan.FromSeconds(double.TryParse(configuration[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback);

    private static int Integer(IConfiguration configuration, string name, int fallback) =>
        int.TryParse(configuration[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
