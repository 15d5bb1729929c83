using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using HorizonAI.ServiceDefaults.Outbound;
using Polly;

namespace HorizonAI.Grains.Hosting;

/// <summary>
/// One policy for both upstreams: retry transient faults (408, 429, 5xx, timeouts, connection errors) with
/// exponential backoff and jitter, honouring Retry-After, inside a bounded total time; a circuit breaker keeps an
/// outage from piling up work; calls beyond a thousand in flight queue for a permit. The SDKs' own retries are off, so
/// retries happen here only. Other 4xx answers
/// (a bad request, Twilio 63016 or 21211) are permanent and pass straight through.
/// </summary>
internal static class UpstreamResilience
{
    public static void Configure(HttpStandardResilienceOptions options, IServiceProvider services)
    {
        var upstream = services.GetRequiredService<IOptions<UpstreamOptions>>().Value;
        var attempt = TimeSpan.FromSeconds(upstream.AttemptTimeoutSeconds);
        var total = TimeSpan.FromSeconds(upstream.TotalTimeoutSeconds);
        options.AttemptTimeout.Timeout = attempt;
        options.TotalRequestTimeout.Timeout = total < attempt ? attempt : total;
        // The library's retry strategy needs at least one attempt to be configurable; zero retries is that strategy
        // refusing to handle anything.
        options.Retry.MaxRetryAttempts = Math.Max(1, upstream.MaxRetries);
        if (upstream.MaxRetries == 0)
        {
            options.Retry.ShouldHandle = _ => PredicateResult.False();
        }

        options.Retry.BackoffType = DelayBackoffType.Exponential;
        options.Retry.UseJitter = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(20);
        options.Retry.ShouldRetryAfterHeader = true;

        // At most this many calls in flight per upstream and silo; a burst beyond waits its turn rather than failing
        // (a turn's own deadline bounds the wait), and only a full queue refuses a call (then a transient "busy").
        options.RateLimiter.DefaultRateLimiterOptions.PermitLimit = 1000;
        options.RateLimiter.DefaultRateLimiterOptions.QueueLimit = 20_000;

        // The breaker's sampling window must be at least twice the attempt timeout (a library rule).
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(60, attempt.TotalSeconds * 2));
        options.CircuitBreaker.MinimumThroughput = 20;
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(15);
    }

    /// <summary>A connection the outbound guard refused is refused again on every attempt: it is not retried.</summary>
    public static void NeverRetryRefusedConnections(HttpStandardResilienceOptions options)
    {
        var transient = options.Retry.ShouldHandle;
        options.Retry.ShouldHandle = args => args.Outcome.Exception is { } ex && IsRefusal(ex) ? PredicateResult.False() : transient(args);
    }

    private static bool IsRefusal(Exception exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is OutboundUrlRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
