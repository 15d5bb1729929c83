using HorizonAI.Grains.Campaigns;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>
/// A campaign's pace is its bot's <c>send_rate_per_second</c> of the application's clock, and a recipient that cannot be
/// queued is tried once a tick until it has failed <c>CAMPAIGN_MAX_ATTEMPTS</c> times.
/// </summary>
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

    [Fact]
    public async Task ARecipientThatCannotBeQueuedIsFailedWithItsReasonAfterItsAttemptsAndTheCampaignFinishes()
    {
        var maxAttempts = new OutboundOptions().MaxAttempts;
        var bot = SystemFixture.NewBotNumber();
        var template = new MessageTemplate("aviso", "HX0123456789abcdef0123456789abcdef", "es", []);
        Assert.Equal(BotWriteOutcome.Created, (await fixture.Client.GetGrain<IBotGrain>(bot).SaveAsync(
            new BotDefinition { Name = "Aviso", PhoneNumber = bot, Templates = [template], SendRatePerSecond = 10 }, BotWriteMode.Create)).Outcome);
        var (refused, welcome) = (SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber());

        // PostgreSQL refuses every message row for one user, as it would a row it can never take: each try at queueing
        // that recipient fails in the conversation's commit, through the message writer, back to the runner.
        var guard = "refuse_" + refused.TrimStart('+');
        await fixture.Database.ExecuteAsync($"""
            create function {guard}() returns trigger language plpgsql as 'begin raise exception ''no message rows for this user''; end';
            create trigger {guard} before insert on messages for each row when (new.user_number = '{refused}') execute function {guard}();
            """);
        try
        {
            var id = Guid.NewGuid().ToString("N")[..12];
            Assert.True(await fixture.Client.GetGrain<ICampaignRunnerGrain>(bot).CreateAsync(new CampaignRequest(id, bot, "Aviso", template.Name,
                [new CampaignRecipient(refused, []), new CampaignRecipient(welcome, [])], "test")));

            // One recipient a tick: the refused one each tick until it has failed its attempts, then the next, then the
            // tick that finds nothing pending and finishes the campaign. Each tick is waited for by what it changes in
            // the table; a tick that fires while the one before it is still ending is skipped by the runner (it never
            // overlaps itself), so such a tick changes nothing and the clock is moved on again.
            var ticks = 0;
            for (var progress = await CampaignProgressAsync(id); !progress.EndsWith("done", StringComparison.Ordinal);)
            {
                Assert.True(++ticks <= 3 * (maxAttempts + 2), $"the campaign still runs after {ticks - 1} ticks: {progress}");
                await Clock.WaitForWakeUpAsync(Tick, "the campaign's next tick");
                await Clock.AdvanceAsync(Tick);
                for (var (before, until) = (progress, DateTime.UtcNow.AddSeconds(3)); progress == before && DateTime.UtcNow < until;)
                {
                    await Task.Delay(50);
                    progress = await CampaignProgressAsync(id);
                }
            }

            var recipients = await fixture.Client.GetGrain<ICampaignDirectoryGrain>(0).RecipientsAsync(bot, id, 0, 10);
            var failed = recipients.Items[0];
            Assert.Equal((refused, "failed"), (failed.UserNumber, failed.Status));
            Assert.Contains($"not queued after {maxAttempts} attempts", failed.Reason, StringComparison.Ordinal);
            Assert.Contains("no message rows for this user", failed.Reason, StringComparison.Ordinal);
            Assert.Null(failed.MessageId);
            Assert.Equal((welcome, "queued"), (recipients.Items[1].UserNumber, recipients.Items[1].Status));
            Assert.Equal(maxAttempts, await fixture.Database.ScalarAsync<int>(
                "select attempts from campaign_recipients where campaign_id = @id and position = 0", ("id", id)));
            var summary = await fixture.Client.GetGrain<ICampaignDirectoryGrain>(0).GetAsync(bot, id);
            Assert.Equal(("done", 0, 1, 1), (summary!.Status, summary.Pending, summary.Queued, summary.Failed));
            Assert.NotNull(summary.FinishedAt);
        }
        finally
        {
            await fixture.Database.ExecuteAsync($"drop trigger {guard} on messages; drop function {guard}();");
        }
    }

    /// <summary>What a tick of the runner changes: each recipient's attempts and status, then the campaign's status.</summary>
    private Task<string> CampaignProgressAsync(string campaignId) =>
        fixture.Database.ScalarAsync<string>("""
            select string_agg(r.attempts || ':' || r.status, ' ' order by r.position) || ' ' || min(c.status)
            from campaign_recipients r join campaigns c on c.id = r.campaign_id where c.id = @id
            """, ("id", campaignId));

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
