using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>A conversation keeps its messages through an OpenAI outage shorter than its patience and answers them after.</summary>
public sealed class OutagePatienceTests(PatientUpstreamFixture fixture) : IClassFixture<PatientUpstreamFixture>
{
    [Fact]
    public async Task MessagesAcceptedDuringAShortOutageAreAnsweredOnceItEnds()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Patient", new { fallback_message = "Fallback" });
        fixture.System.Upstreams.OpenAI.Down = true;

        await fixture.Webhooks.SendAsync(bot, user, "durante la caída");
        await Eventually.TrueAsync(() => Task.FromResult(fixture.System.Upstreams.OpenAIRejectedCount >= 4), TimeSpan.FromSeconds(45), "two deferred turns");
        Assert.Equal("received", await fixture.System.Database.ScalarAsync<string>(
            "select status from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", bot)));
        fixture.System.Upstreams.OpenAI.Down = false;

        var reply = await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, TimeSpan.FromSeconds(45));
        Assert.Contains("durante la caída", Assert.Single(reply).Body);
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<string>(
            "select status from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", bot)) == "answered", TimeSpan.FromSeconds(30), "answered");
    }
}
