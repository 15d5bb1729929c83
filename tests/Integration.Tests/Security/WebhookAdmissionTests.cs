using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Security;

/// <summary>Beyond the webhooks it may work on and hold, the Gateway refuses at once, stores nothing, and loses nothing it took.</summary>
public sealed class WebhookAdmissionTests(AdmissionFixture fixture) : IClassFixture<AdmissionFixture>
{
    [Fact]
    public async Task AFloodBeyondTheLimitIsRefusedWith503AndEveryAcceptedMessageIsAnsweredOnce()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Carnicería");
        var users = Enumerable.Range(0, 40).Select(_ => SystemFixture.NewUserNumber()).ToArray();

        var answers = await Task.WhenAll(users.Select(user => fixture.Webhooks.SendAsync(bot, user, "flood " + user)));

        var refused = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(refused);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Equal("1", refused[0].Headers.RetryAfter?.ToString());
        Assert.Contains("nothing was stored", await refused[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var accepted = users.Where((_, i) => answers[i].StatusCode == HttpStatusCode.OK).ToHashSet();
        Assert.NotEmpty(accepted);
        await fixture.System.Upstreams.WaitForTwilioMessagesAsync(accepted.Count, TimeSpan.FromSeconds(60));
        var replies = fixture.System.Upstreams.TwilioMessages.Where(m => m.From == "whatsapp:" + bot).ToList();
        Assert.Equal(accepted.Order(), replies.Select(m => m.To["whatsapp:".Length..]).Order());
        Assert.Equal(accepted.Count, await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", bot)));

        // Once the flood is over, one at a time is always let in.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, users[0], "después")).StatusCode);
    }
}

/// <summary>A burst that fits the queue waits its turn: all of it is acknowledged and answered.</summary>
public sealed class WebhookAdmissionQueueTests(AdmissionQueueFixture fixture) : IClassFixture<AdmissionQueueFixture>
{
    [Fact]
    public async Task ABurstWithinTheQueueIsAllAcceptedAndAnswered()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Verdulería");
        var users = Enumerable.Range(0, 40).Select(_ => SystemFixture.NewUserNumber()).ToArray();

        var answers = await Task.WhenAll(users.Select(user => fixture.Webhooks.SendAsync(bot, user, "burst " + user)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await fixture.System.Upstreams.WaitForTwilioMessagesAsync(users.Length, TimeSpan.FromSeconds(60));
        Assert.Equal(users.Order(), fixture.System.Upstreams.TwilioMessages.Where(m => m.From == "whatsapp:" + bot).Select(m => m.To["whatsapp:".Length..]).Order());
    }
}
