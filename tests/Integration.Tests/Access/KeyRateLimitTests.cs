using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Access;

/// <summary>Five admin requests a minute per key, so that one key can be run out in a test.</summary>
public sealed class KeyRateLimitFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["API_KEY_RATE_LIMIT_PER_MINUTE"] = "5";
}

public sealed class KeyRateLimitTests(KeyRateLimitFixture fixture) : IClassFixture<KeyRateLimitFixture>
{
    [Fact]
    public async Task AKeyPastItsLimitIsRefusedWhileOtherKeysFromTheSameClientGoOn()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        using var busy = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "read", bot)).Key);
        using var calm = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "read", bot)).Key);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/bots")).StatusCode);
        }

        var refused = await busy.GetAsync("/bots");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await calm.GetAsync("/bots")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync("/bots")).StatusCode);
    }
}
