using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace HorizonAI.Grains.Hosting;

/// <summary>
/// One policy for both upstreams: retry transient faults (408, 429, 5xx, timeouts, connection errors) with
/// exponential backoff and jitter, honouring Retry-After, inside a bounded total time; a circuit breaker keeps an
/// outage from piling up work. The SDKs' own retries are off, so retries happen here only.
/// </summary>
internal static class UpstreamResilience
{
    public static void Configure(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(90);
        options.Retry.MaxRetryAttempts = 5;
        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(20);
        options.Retry.ShouldRetryAfterHeader = true;
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
    }
}
