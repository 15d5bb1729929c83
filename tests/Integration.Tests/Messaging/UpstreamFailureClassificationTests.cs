using HorizonAI.Grains.Messaging;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace HorizonAI.Integration.Tests.Messaging;

/// <summary>
/// Which failures of an upstream call are worth trying again later (the messages then wait for a later turn within the
/// outage patience) and which are the answer (the fallback is sent).
/// </summary>
public sealed class UpstreamFailureClassificationTests
{
    [Fact]
    public void ACallThisSiloRefusedToMakeIsTransientAsAreOutagesButABadRequestIsNot()
    {
        var busy = UpstreamFailure.From(new RateLimiterRejectedException());
        Assert.Equal(("busy", true), (busy.Code, busy.IsTransient));
        Assert.DoesNotContain("Polly", busy.Reason, StringComparison.Ordinal);

        Assert.True(UpstreamFailure.From(new BrokenCircuitException()).IsTransient);
        Assert.True(UpstreamFailure.From(new TimeoutRejectedException()).IsTransient);
        Assert.True(UpstreamFailure.From(new HttpRequestException("refused")).IsTransient);
        Assert.True(UpstreamFailure.From(new HttpRequestException("unavailable", null, System.Net.HttpStatusCode.ServiceUnavailable)).IsTransient);
        Assert.False(UpstreamFailure.From(new HttpRequestException("bad", null, System.Net.HttpStatusCode.BadRequest)).IsTransient);
        Assert.False(UpstreamFailure.From(new InvalidOperationException()).IsTransient);
    }
}
