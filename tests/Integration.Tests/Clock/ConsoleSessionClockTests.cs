using System.Net;
using HorizonAI.Gateway.Access.Authentication;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>A client's console session lasts its lifetime of the Gateway's clock.</summary>
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

        clock.Advance(ConsoleSessionAuthenticationHandler.SessionLifetime);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync("/console/session")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/console/session")).StatusCode);
    }
}
