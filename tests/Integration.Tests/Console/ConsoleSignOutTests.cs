using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Console;

/// <summary>
/// Signing out of the console ends that session on every Gateway at once, for the admin key's sessions and a client
/// key's alike: a copy of the cookie replayed on another Gateway over the same database is refused.
/// </summary>
public sealed class ConsoleSignOutTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Theory]
    [InlineData("admin")]
    [InlineData("read")]
    public async Task ASignedOutSessionIsRefusedOnAnotherGatewayWhileTheKeysOtherSessionsGoOn(string role)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Salida");
        var key = role == "admin" ? TestSystem.AdminKey : (await TestKeys.CreateAsync(fixture.Admin, role, bot)).Key;
        await using var otherGateway = fixture.System.Gateway.WithWebHostBuilder(_ => { });
        using var here = fixture.System.Gateway.CreateClient(ConsoleCookies.ByHand);
        using var there = otherGateway.CreateClient(ConsoleCookies.ByHand);

        var session = await ConsoleCookies.SignInAsync(here, key);
        var otherSession = await ConsoleCookies.SignInAsync(here, key);
        Assert.NotEqual(session, otherSession);
        Assert.Equal(HttpStatusCode.OK, await ConsoleCookies.SendAsync(there, HttpMethod.Get, $"/bots/{bot}", session));

        Assert.Equal(HttpStatusCode.NoContent, await ConsoleCookies.SendAsync(here, HttpMethod.Delete, "/console/session", session));

        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(there, HttpMethod.Get, $"/bots/{bot}", session));
        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(there, HttpMethod.Get, "/console/session", session));
        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(here, HttpMethod.Get, $"/bots/{bot}", session));
        Assert.Equal(HttpStatusCode.OK, await ConsoleCookies.SendAsync(there, HttpMethod.Get, $"/bots/{bot}", otherSession));
        Assert.Equal(1L, await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from console_session_revocations where session_id = @id", ("id", ConsoleCookies.SessionId(session))));
    }

    [Fact]
    public async Task ASessionCookieTheGatewayDidNotSignIsRefused()
    {
        using var gateway = fixture.System.Gateway.CreateClient(ConsoleCookies.ByHand);
        var session = await ConsoleCookies.SignInAsync(gateway, TestSystem.AdminKey);
        var parts = session.Split('.');
        parts[1] = new string('0', parts[1].Length); // another session id under the same signature

        Assert.Equal(HttpStatusCode.Unauthorized, await ConsoleCookies.SendAsync(gateway, HttpMethod.Get, "/bots", string.Join('.', parts)));
        Assert.Equal(HttpStatusCode.OK, await ConsoleCookies.SendAsync(gateway, HttpMethod.Get, "/bots", session));
    }
}
