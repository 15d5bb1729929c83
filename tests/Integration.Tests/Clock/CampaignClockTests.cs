using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>A campaign's pace is its bot's <c>send_rate_per_second</c> of the application's clock.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class CampaignClockTests(FakeClockCluster fixture)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100); // the runner's tick

    private FakeClock Clock => fixture.Clock;

    [Fact]
    public async Task ACampaignQueuesItsRatePerSecondOfTheClockAndALateTickSendsNoBurst()
    {
        const int rate = 5;
        var bot = SystemFixture.NewBotNumber();
        var template = new MessageTemplate("comeback", "HXfedcba9876543210fedcba9876543210", "es", []);
        Assert.Equal(BotWriteOutcome.Created, (await fixture.Client.GetGrain<IBotGrain>(bot).SaveAsync(
            new BotDefinition { Name = "Ritmo", PhoneNumber = bot, Templates = [template], SendRatePerSecond = rate }, BotWriteMode.Create)).Outcome);
        var id = Guid.NewGuid().ToString("N")[..12];
        var recipients = Enumerable.Range(0, 12).Select(_ => new CampaignRecipient(SystemFixture.NewUserNumber(), [])).ToArray();
        Assert.True(await fixture.Client.GetGrain<ICampaignRunnerGrain>(bot).CreateAsync(new CampaignRequest(id, bot, "Ritmo", template.Name, recipients, "test")));

        // Two seconds of the clock, a tick at a time: a tenth of a second's worth each, so exactly the rate each second.
        for (var ticks = 1; ticks <= 20; ticks++)
        {
            await Clock.WaitForWakeUpAsync(Tick, "the campaign's next tick");
            await Clock.AdvanceAsync(Tick);
            await Clock.WaitForWakeUpAsync(Tick, "the campaign's tick done");
            await WaitForQueuedAsync(id, rate * ticks / 10);
        }

        // A tick a minute late sends one tick's worth, not the minute's.
        await Clock.AdvanceAsync(TimeSpan.FromMinutes(1));
        await Clock.WaitForWakeUpAsync(Tick, "the late tick done");
        await WaitForQueuedAsync(id, 2 * rate + 1);
    }

    /// <summary>
    /// The tick has ended when its timer is set again; the recipients it handed on are queued by their conversations'
    /// commits, which this waits for. No further tick runs until the test moves the clock, so the count cannot pass
    /// the expected one by itself: one above it is a pacing fault the wait reports.
    /// </summary>
    private async Task WaitForQueuedAsync(string campaignId, long expected)
    {
        var queued = await Eventually.WaitAsync(() => QueuedAsync(campaignId), count => count >= expected, TimeSpan.FromSeconds(30), $"{expected} recipients queued");
        Assert.Equal(expected, queued);
    }

    private Task<long> QueuedAsync(string campaignId) => fixture.Database.ScalarAsync<long>(
        "select count(*) from campaign_recipients where campaign_id = @id and status = 'queued'", ("id", campaignId));
}
