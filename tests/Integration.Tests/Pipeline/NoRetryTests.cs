using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>UPSTREAM_MAX_RETRIES=0, a valid setting: the silo starts, and a transient fault is not tried again.</summary>
public sealed class NoRetryTests(NoRetryFixture fixture) : IClassFixture<NoRetryFixture>
{
    [Fact]
    public async Task WithNoRetriesATransientFaultIsMetOnceAndTheFallbackIsSent()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Sin reintentos", new { fallback_message = "Vuelva a escribir en un momento." });

        // The stand-in answers 503 to every request carrying the tag: with retries it would be asked again (see
        // UpstreamFailureTests, three retries there); with none it is asked once and the turn falls back.
        await fixture.Webhooks.SendAsync(bot, user, "hola #fail:503");

        var reply = Assert.Single(await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, TimeSpan.FromSeconds(45)));
        Assert.Equal("Vuelva a escribir en un momento.", reply.Body);
        Assert.Equal(1, fixture.System.Upstreams.OpenAIRejectedCount);
    }
}
