using System.ClientModel;
using Twilio.Exceptions;

namespace HorizonAI.Grains.Messaging;

/// <summary>A short, secret-free description of why an upstream call failed, for the message log and the logs.</summary>
public sealed record UpstreamFailure(string Code, string Reason)
{
    /// <summary>Worth trying again later: the upstream was down, slow, throttling or shedding load, or this silo had too many calls to it in flight.</summary>
    public bool IsTransient => Code is "circuit_open" or "timeout" or "connection" or "busy" or "http_408" or "http_429"
        || (Code.StartsWith("http_5", StringComparison.Ordinal) && Code.Length == 8);

    public static UpstreamFailure From(Exception exception) => exception switch
    {
        ApiException twilio => new UpstreamFailure(
            twilio.Code != 0 ? twilio.Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "http_" + twilio.Status,
            Trim(twilio.Message)),
        ClientResultException openAI => new UpstreamFailure("http_" + openAI.Status, Trim(FirstLine(openAI.Message))),
        Polly.CircuitBreaker.BrokenCircuitException => new UpstreamFailure("circuit_open", "upstream circuit is open after repeated failures"),
        Polly.RateLimiting.RateLimiterRejectedException => new UpstreamFailure("busy", "too many calls to the upstream in flight on this silo; the call was not made"),
        Polly.Timeout.TimeoutRejectedException => new UpstreamFailure("timeout", "upstream did not answer in time"),
        TimeoutException => new UpstreamFailure("timeout", "upstream did not answer in time"),
        TaskCanceledException => new UpstreamFailure("timeout", "upstream did not answer in time"),
        HttpRequestException { StatusCode: { } status } http => new UpstreamFailure("http_" + (int)status, Trim(http.Message)),
        HttpRequestException http => new UpstreamFailure("connection", Trim(http.Message)),
        _ => new UpstreamFailure("error", exception.GetType().Name),
    };

    private static string FirstLine(string text)
    {
        var index = text.IndexOf('\n', StringComparison.Ordinal);
        return index < 0 ? text : text[..index];
    }

    private static string Trim(string text) => text.Length <= 300 ? text : text[..300];
}
