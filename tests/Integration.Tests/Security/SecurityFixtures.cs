using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Security;

/// <summary>Room for hundreds of fuzz requests a minute from one client.</summary>
public sealed class FuzzFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["ADMIN_RATE_LIMIT_PER_MINUTE"] = "100000";
}

/// <summary>Tight limits, to see them enforced.</summary>
public sealed class ThrottleFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["ADMIN_RATE_LIMIT_PER_MINUTE"] = "40";
        settings["ADMIN_AUTH_FAILURES_PER_MINUTE"] = "3";
    }
}

/// <summary>A Gateway that works on one webhook at a time and lets none wait, to see the rest refused.</summary>
public sealed class AdmissionFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["WEBHOOK_MAX_CONCURRENCY"] = "1";
        settings["WEBHOOK_QUEUE_LIMIT"] = "0";
    }
}

/// <summary>One webhook at a time, but room for a burst to wait its turn.</summary>
public sealed class AdmissionQueueFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["WEBHOOK_MAX_CONCURRENCY"] = "1";
        settings["WEBHOOK_QUEUE_LIMIT"] = "100";
    }
}
