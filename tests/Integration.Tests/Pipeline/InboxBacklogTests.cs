using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// The inbox backlog gauge counts what a conversation found waiting for a turn when it read the table, not what it was
/// handed: a message the Gateway stored but never handed over (its forward lost, the recovery sweep's case) counts
/// while it waits, and nothing stays counted, nor goes below zero, once it is answered.
/// </summary>
public sealed class InboxBacklogTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private const string Backlog = "horizonai.inbox.backlog";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AMessageNeverHandedOverCountsWhileItWaitsAndNotOnceAnswered()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();

        // A debounce of several seconds keeps the message waiting after the read that finds it, long enough to be seen
        // on a loaded machine.
        await TestBots.CreateAsync(fixture.Admin, bot, "Panadería", new { debounce_ms = 8000 });
        using var metrics = new RecordedMetrics(() => RecordedMetrics.Silos(fixture.System.Cluster.Silos));
        long Waiting() => metrics.Total(Backlog, ("bot", bot));

        // Stored as the Gateway stores a webhook, and never handed to the conversation: only a read of the table finds it.
        await fixture.System.Database.ScalarAsync<long>(
            $"insert into messages (bot_id, user_number, direction, body, twilio_sid, status, created_at, updated_at) values ((select id from bots where phone_number = '{bot}'), '{user}', 'inbound', 'hola', 'SM{Guid.NewGuid():N}', 'received', now(), now()) returning id");
        await (await fixture.System.Client.ConversationAsync(bot, user)).WakeAsync(user);

        await Eventually.TrueAsync(() => Task.FromResult(Waiting() == 1), Patience, "the waiting message counted once");
        Assert.Empty(fixture.System.Upstreams.RepliesTo(user));

        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await Eventually.TrueAsync(() => Task.FromResult(Waiting() == 0), Patience, "the answered message no longer counted");

        // A second message, handed over by the webhook as usual, is counted and given back the same way.
        await fixture.Webhooks.SendAsync(bot, user, "otra");
        await Eventually.TrueAsync(() => Task.FromResult(Waiting() == 1), Patience, "the handed message counted once");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        await Eventually.TrueAsync(() => Task.FromResult(Waiting() == 0), Patience, "nothing left counted");
    }
}
