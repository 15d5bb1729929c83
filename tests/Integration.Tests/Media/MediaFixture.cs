using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Media;

/// <summary>A system with small media limits (so an oversized image is cheap to make) and quick upstream retries.</summary>
public sealed class MediaFixture : SystemFixture
{
    public const int MaxImageBytes = 100_000; // MEDIA_MAX_IMAGE_BYTES below

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["MEDIA_MAX_IMAGE_BYTES"] = "100000";
        settings["UPSTREAM_ATTEMPT_TIMEOUT_SECONDS"] = "2";
        settings["UPSTREAM_TOTAL_TIMEOUT_SECONDS"] = "10";
        settings["UPSTREAM_MAX_RETRIES"] = "3";
    }
}
