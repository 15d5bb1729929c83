using HorizonAI.Grains.Campaigns;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// Campaigns on PostgreSQL: stored with every recipient, handed out oldest campaign first, each recipient queued in the
/// commit of its message (<see cref="IMessageStore.AddOutboundAsync"/>) and so only once, skipped if the user opted out,
/// canceled while still pending, failed after its last failed try, and summed up from its recipients and their messages.
/// </summary>
public sealed class CampaignStoreContractTests
{
    private const string Bot = "+15550000501";
    private const string OtherBot = "+15550000502";
    private const string Ana = "+56900000501";
    private const string Beto = "+56900000502";
    private const string Carla = "+56900000503";
    private const string ContentSid = "HX0123456789abcdef0123456789abcdef";

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ACampaignIsStoredWithEveryRecipientPendingAndItsIdIsTakenOnce()
    {
        await using var test = await TestMessageStore.CreateAsync(time: new FakeTimeProvider(Start));
        await test.KnowBotsAsync(Bot, OtherBot);
        var campaigns = test.Services.GetRequiredService<ICampaignStore>();

        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_1", Bot, Ana, Beto, Carla)));
        Assert.False(await campaigns.CreateAsync(Bot, Campaign("c_1", Bot, "+56900000599")));
        Assert.Equal(new CampaignSummary("c_1", Bot, "Recordatorio c_1", "cita", CampaignSummary.Running, 3, 3, 0, 0, 0, Start, null), await campaigns.GetAsync(Bot, "c_1"));
        Assert.Null(await campaigns.GetAsync(OtherBot, "c_1"));

        // A page says how many recipients there are in all, also past the end.
        var page = await campaigns.RecipientsAsync(Bot, "c_1", 1, 1);
        Assert.Equal((3, new CampaignRecipientStatus(1, Beto, "pending", null, null, null, null)), (page.Total, Assert.Single(page.Items)));
        var past = await campaigns.RecipientsAsync(Bot, "c_1", 10, 1);
        Assert.Equal((3, 0), (past.Total, past.Items.Length));
        Assert.Equal(0, (await campaigns.RecipientsAsync(OtherBot, "c_1", 0, 10)).Total);
    }

    [Fact]
    public async Task PendingRecipientsComeFromTheOldestRunningCampaignFirstInOrder()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var campaigns = test.Services.GetRequiredService<ICampaignStore>();
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_old", Bot, Ana, Beto)));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_new", Bot, Carla, Ana)));
        Assert.True(await campaigns.CreateAsync(OtherBot, Campaign("c_theirs", OtherBot, Beto)));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_stopped", Bot, Beto)));
        Assert.NotNull(await campaigns.CancelAsync(Bot, "c_stopped", "changed our minds"));

        var next = await campaigns.NextPendingAsync(Bot, 3);
        Assert.Equal(
            [("c_old", 0, Ana, "Ana", "cita"), ("c_old", 1, Beto, "Beto", "cita"), ("c_new", 0, Carla, "Carla", "cita")],
            next.Select(r => (r.CampaignId, r.Position, r.UserNumber, string.Join(',', r.Values), r.Template)));
        Assert.Equal("Recordatorio c_old", next[0].CampaignName);

        // Both still have recipients to go: neither is done.
        Assert.Equal(2, await campaigns.FinishAsync(Bot));
        Assert.Equal(["c_stopped", "c_new", "c_old"], (await campaigns.ListAsync(Bot)).Select(c => c.Id));
        Assert.All(await campaigns.ListAsync(Bot), c => Assert.Equal(c.Id == "c_stopped" ? CampaignSummary.CanceledStatus : CampaignSummary.Running, c.Status));
    }

    [Fact]
    public async Task ARecipientIsQueuedOnceInTheCommitOfItsMessageAndSkippedIfTheUserOptedOut()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var (store, campaigns) = (test.Store, test.Services.GetRequiredService<ICampaignStore>());
        await store.OptOutAsync(Bot, Beto, Start);
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_q", Bot, Ana, Beto)));

        // Queued as a template, outside any 24-hour window; the runner trying the same recipient again queues nothing.
        var queued = await store.AddOutboundAsync(Bot, Ana, Template("c_q", 0));
        var part = Assert.Single(queued.Parts);
        Assert.Equal((null, ContentSid, """{"1":"Ana"}"""), (queued.Refusal, part.ContentSid, part.ContentVariables));
        var again = await store.AddOutboundAsync(Bot, Ana, Template("c_q", 0));
        Assert.Equal((OutboundResult.NotPending, 0), (again.Refusal, again.Parts.Count));
        Assert.Equal([part], (await store.LoadAsync(Bot, Ana)).Outbox);

        var skipped = await store.AddOutboundAsync(Bot, Beto, Template("c_q", 1));
        Assert.Equal((OutboundResult.OptedOut, 0), (skipped.Refusal, skipped.Parts.Count));
        Assert.Equal(
            [new CampaignRecipientStatus(0, Ana, "queued", null, part.Id, MessageStatus.Pending, null), new CampaignRecipientStatus(1, Beto, "skipped", "opted_out", null, null, null)],
            (await campaigns.RecipientsAsync(Bot, "c_q", 0, 10)).Items);

        // Nothing is left to go: the campaign is done, at the store's time.
        Assert.Empty(await campaigns.NextPendingAsync(Bot, 10));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, await campaigns.FinishAsync(Bot));
        Assert.Equal(new CampaignSummary("c_q", Bot, "Recordatorio c_q", "cita", CampaignSummary.Done, 2, 0, 1, 1, 0, Start, Start.AddMinutes(1)),
            await campaigns.GetAsync(Bot, "c_q"));

        // Its message counts as sent once Twilio took it, and as failed once Twilio says it was not delivered.
        await store.SentAsync(Bot, Ana, part, "SMcampaign1");
        Assert.Equal((1, 0), await SentAndFailedAsync(campaigns, "c_q"));
        Assert.Equal(DeliveryStatusOutcome.Updated, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMcampaign1", "undelivered", "63003")));
        Assert.Equal((0, 1), await SentAndFailedAsync(campaigns, "c_q"));
        Assert.Equal(("undelivered", "63003"), (await campaigns.RecipientsAsync(Bot, "c_q", 0, 1)).Items.Select(r => (r.MessageStatus, r.ErrorCode)).Single());
    }

    [Fact]
    public async Task CancelingStopsWhatIsPendingAndKeepsWhatWasQueued()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var (store, campaigns) = (test.Store, test.Services.GetRequiredService<ICampaignStore>());
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_x", Bot, Ana, Beto, Carla)));
        var queued = Assert.Single((await store.AddOutboundAsync(Bot, Ana, Template("c_x", 0))).Parts);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await campaigns.CancelAsync(OtherBot, "c_x", "not its campaign"));
        Assert.Null(await campaigns.CancelAsync(Bot, "c_none", "no such campaign"));
        Assert.Equal(new CampaignSummary("c_x", Bot, "Recordatorio c_x", "cita", CampaignSummary.CanceledStatus, 3, 0, 1, 0, 2, Start, Start.AddMinutes(1)),
            await campaigns.CancelAsync(Bot, "c_x", "stopped by ana"));
        Assert.Equal(
            [("queued", null, queued.Id), ("canceled", "stopped by ana", null), ("canceled", "stopped by ana", (long?)null)],
            (await campaigns.RecipientsAsync(Bot, "c_x", 0, 10)).Items.Select(r => (r.Status, r.Reason, r.MessageId)));

        // A runner that had picked the next recipient before the cancel queues nothing, and there is nothing left to run.
        Assert.Equal(OutboundResult.NotPending, (await store.AddOutboundAsync(Bot, Beto, Template("c_x", 1))).Refusal);
        Assert.Empty(await campaigns.NextPendingAsync(Bot, 10));
        Assert.Equal(0, await campaigns.FinishAsync(Bot));
        Assert.Equal(CampaignSummary.CanceledStatus, (await campaigns.GetAsync(Bot, "c_x"))!.Status);
    }

    [Fact]
    public async Task ARecipientThatFailsItsLastAttemptIsFailedWithItsReasonAndOnlyAPendingOneCounts()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var (store, campaigns) = (test.Store, test.Services.GetRequiredService<ICampaignStore>());
        Assert.True(await campaigns.CreateAsync(Bot, Campaign("c_f", Bot, Ana, Beto)));
        var queued = Assert.Single((await store.AddOutboundAsync(Bot, Ana, Template("c_f", 0))).Parts);

        // A try whose answer was lost after its claim committed counts for nothing: the recipient stays queued.
        Assert.False(await campaigns.RecordFailedAttemptAsync("c_f", 0, "lost answer", maxAttempts: 1));
        Assert.False(await campaigns.RecordFailedAttemptAsync("c_f", 1, "first", maxAttempts: 3));
        Assert.False(await campaigns.RecordFailedAttemptAsync("c_f", 1, "second", maxAttempts: 3));
        Assert.Equal(("c_f", 1), (await campaigns.NextPendingAsync(Bot, 10)).Select(r => (r.CampaignId, r.Position)).Single());
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await campaigns.RecordFailedAttemptAsync("c_f", 1, "third", maxAttempts: 3));
        Assert.False(await campaigns.RecordFailedAttemptAsync("c_f", 1, "fourth", maxAttempts: 3));

        Assert.Equal(
            [new CampaignRecipientStatus(0, Ana, "queued", null, queued.Id, MessageStatus.Pending, null), new CampaignRecipientStatus(1, Beto, "failed", "third", null, null, null)],
            (await campaigns.RecipientsAsync(Bot, "c_f", 0, 10)).Items);
        Assert.Empty(await campaigns.NextPendingAsync(Bot, 10));
        Assert.Equal(0, await campaigns.FinishAsync(Bot));
        var summary = await campaigns.GetAsync(Bot, "c_f");
        Assert.Equal((CampaignSummary.Done, 0, 1, 0, 1, Start.AddMinutes(1)), (summary!.Status, summary.Pending, summary.Queued, summary.Sent, summary.Failed, summary.FinishedAt));
    }

    /// <summary>A campaign of the <c>cita</c> template whose one value for each recipient is their name.</summary>
    private static CampaignRequest Campaign(string id, string bot, params string[] users) =>
        new(id, bot, "Recordatorio " + id, "cita", [.. users.Select(u => new CampaignRecipient(u, [Name(u)]))], "api");

    /// <summary>The template for one recipient, as the campaign runner hands it to the recipient's conversation.</summary>
    private static OutboundRequest Template(string campaign, int position) => new(["[template cita]"], "campaign")
    {
        ContentSid = ContentSid,
        ContentVariables = """{"1":"Ana"}""",
        Campaign = (campaign, position),
    };

    private static string Name(string user) => user switch { Ana => "Ana", Beto => "Beto", Carla => "Carla", _ => "?" };

    private static async Task<(int Sent, int Failed)> SentAndFailedAsync(ICampaignStore campaigns, string id) =>
        (await campaigns.GetAsync(Bot, id)) is { } summary ? (summary.Sent, summary.Failed) : throw new InvalidOperationException($"No campaign {id}.");
}
