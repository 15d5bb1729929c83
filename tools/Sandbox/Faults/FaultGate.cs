using System.Globalization;

namespace HorizonAI.Sandbox.Faults;

/// <summary>Plays a request's <see cref="FaultPlan"/>: latency, then hang, then an injected failure.</summary>
internal static class FaultGate
{
    /// <summary>
    /// Null when the request should be handled normally; otherwise the result to answer with (an injected
    /// failure, or an empty result when the client went away while the sandbox was delaying or hanging).
    /// </summary>
    public static async Task<IResult?> ApplyAsync(
        UpstreamFaults faults, HttpContext context, Func<FaultPlan, IResult> failure)
    {
        var plan = faults.TakePlan();
        if (plan.LatencyMs > 0 && !await DelayAsync(context, TimeSpan.FromMilliseconds(plan.LatencyMs)))
        {
            return TypedResults.Empty;
        }

        if (plan.Hang)
        {
            await DelayAsync(context, Timeout.InfiniteTimeSpan);
            return TypedResults.Empty;
        }

        if (!plan.Fail)
        {
            return null;
        }

        if (plan.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        return failure(plan);
    }

    /// <summary>
    /// Waits unless the client gives up or the sandbox stops; false when cut short, and then the connection is
    /// aborted so the client sees a dropped connection rather than an empty answer. Stopping counts so that a
    /// hanging request never holds up the shutdown of a test.
    /// </summary>
    public static async Task<bool> DelayAsync(HttpContext context, TimeSpan delay)
    {
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return false;
        }
    }
}
