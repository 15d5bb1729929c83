using System.Net;
using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>
/// A console session lasts its lifetime of the Gateway's clock; a sign-out is remembered until then, and forgotten by
/// a later sign-out.
/// </summary>
public sealed class ConsoleSessionClockTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task AClientsConsoleSessionWorksForItsLifetimeAndThenNot()
    {
        var clock = new FakeClock();
        await using var gateway = fixture.System.Gateway.WithWebHostBuilder(web => web.ConfigureTestServices(services => clock.Install(services)));
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Consola");
        var (_, key) = await TestKeys.CreateAsync(fixture.Admin, "operate", bot);
        using var browser = gateway.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key }))).StatusCode);

        clock.Advance(ConsoleSession.Lifetime);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync("/console/session")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/console/session")).StatusCode);
    }

    [Fact]
    public async Task ASignOutIsRememberedUntilItsSessionWouldHaveEndedAndThenPruned()
    {
        var clock = new FakeClock();
        await using var gateway = fixture.System.Gateway.WithWebHostBuilder(web => web.ConfigureTestServices(services => clock.Install(services)));
        using var browser = gateway.CreateClient(ConsoleCookies.ByHand);
        var first = await ConsoleCookies.SignInAsync(browser, TestSystem.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, await ConsoleCookies.SendAsync(browser, HttpMethod.Delete, "/console/session", first));
        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(browser, HttpMethod.Get, "/console/session", first));

        clock.Advance(ConsoleSession.Lifetime - TimeSpan.FromSeconds(1));
        var second = await ConsoleCookies.SignInAsync(browser, TestSystem.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, await ConsoleCookies.SendAsync(browser, HttpMethod.Delete, "/console/session", second));
        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(browser, HttpMethod.Get, "/console/session", first));
        Assert.Equal(new[] { true, true }, await RevokedAsync(first, second));

        // Past the first session's end its cookie is refused on its own, and the next sign-out prunes its row.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(browser, HttpMethod.Get, "/console/session", first));
        var third = await ConsoleCookies.SignInAsync(browser, TestSystem.AdminKey);
        Assert.Equal(HttpStatusCode.NoContent, await ConsoleCookies.SendAsync(browser, HttpMethod.Delete, "/console/session", third));
        Assert.Equal(new[] { false, true, true }, await RevokedAsync(first, second, third));
    }

    private async Task<bool[]> RevokedAsync(params string[] sessions) => await Task.WhenAll(sessions.Select(async session =>
        await fixture.System.Database.ScalarAsync<long>("select count(*) from console_session_revocations where session_id = @id", ("id", ConsoleCookies.SessionId(session))) == 1));
}
