using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Security;

/// <summary>Failed authentication is throttled and the admin API is rate limited per client.</summary>
public sealed class AdminThrottlingTests(ThrottleFixture fixture) : IClassFixture<ThrottleFixture>
{
    [Fact]
    public async Task RepeatedFailedAuthenticationShutsTheClientOutEvenWithTheRightKey()
    {
        using var attacker = fixture.System.Gateway.CreateClient();
        attacker.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guess-0000000000000000");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/bots")).StatusCode);
        }

        var blocked = await attacker.GetAsync("/bots");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter is not null);

        // Every client of a test server shares one address, so the right key is shut out too: guessing gains nothing.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.Admin.GetAsync("/bots")).StatusCode);
        var signIn = await attacker.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = TestSystem.AdminKey }));
        Assert.Equal(HttpStatusCode.TooManyRequests, signIn.StatusCode);

        // Webhooks are not part of the admin surface and stay open.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await fixture.Webhooks.SendAsync(SystemFixture.NewBotNumber(), SystemFixture.NewUserNumber(), "hola")).StatusCode);
    }
}

public sealed class AdminRateLimitTests(ThrottleFixture fixture) : IClassFixture<ThrottleFixture>
{
    [Fact]
    public async Task TheAdminApiIsRateLimitedPerClient()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 45; i++)
        {
            statuses.Add((await fixture.Admin.GetAsync("/bots")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) <= 40);
    }
}

/// <summary>The dashboard and the session check count wrong keys like the admin API does.</summary>
public sealed class DashboardThrottlingTests(ThrottleFixture fixture) : IClassFixture<ThrottleFixture>
{
    [Fact]
    public async Task WrongKeysAtTheDashboardShutTheClientOutOfTheWholeAdminSurface()
    {
        using var attacker = fixture.System.Gateway.CreateClient(new() { AllowAutoRedirect = false });
        attacker.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guess-0000000000000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/console/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/dashboard/DashboardCounters")).StatusCode);

        var blocked = await attacker.GetAsync("/dashboard/DashboardCounters");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.True(blocked.Headers.RetryAfter is not null);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.Admin.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.Admin.GetAsync("/bots")).StatusCode);
    }
}
