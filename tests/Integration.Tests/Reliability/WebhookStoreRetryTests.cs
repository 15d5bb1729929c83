using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;
using Npgsql;

namespace HorizonAI.Integration.Tests.Reliability;

/// <summary>The whole system reaches PostgreSQL through a proxy the tests can cut; the Gateway's store budget is 6 s.</summary>
public sealed class DatabaseBlinkFixture : SystemFixture
{
    public TcpProxy Proxy { get; private set; } = null!;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        var database = new NpgsqlConnectionStringBuilder(settings["DATABASE_URL"]);
        Proxy = new TcpProxy(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = Proxy.Port;
        settings["DATABASE_URL"] = database.ConnectionString;
        settings["WEBHOOK_STORE_TIMEOUT_SECONDS"] = "6";
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

/// <summary>
/// A webhook that arrives while its message cannot be stored (here: the database unreachable) keeps trying within
/// <c>WEBHOOK_STORE_TIMEOUT_SECONDS</c>, so a short outage costs a slower acknowledgement instead of a refusal; past
/// the budget it is refused with 503 and nothing of it is kept, so Twilio's next attempt is answered exactly once.
/// </summary>
public sealed class WebhookStoreRetryTests(DatabaseBlinkFixture fixture) : IClassFixture<DatabaseBlinkFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AMessageThatArrivesDuringADatabaseBlinkIsStoredWhenItEndsAndAnsweredOnce()
    {
        var (bot, user) = await ConversationAsync();

        using var metrics = new RecordedMetrics(() => [fixture.System.Gateway.Services]);
        fixture.Proxy.Cut();
        var pending = fixture.Webhooks.SendAsync(bot, user, "durante el corte", "SMblink00000000000000000000000001");
        await Eventually.TrueAsync(() => Task.FromResult(metrics.Total("horizonai.gateway.store.retries", ("bot", bot)) >= 2 || pending.IsCompleted),
            Patience, "the webhook's store attempts to fail and be tried again");
        Assert.False(pending.IsCompleted, "the webhook waits for the database instead of being refused at once");
        fixture.Proxy.Restore();

        Assert.Equal(HttpStatusCode.OK, (await pending).StatusCode);
        var replies = await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Contains("durante el corte", replies[1].Body, StringComparison.Ordinal);
        await WaitForStatusAsync("SMblink00000000000000000000000001", "answered");
        Assert.Equal(2, fixture.System.Upstreams.RepliesTo(user).Count);
    }

    [Fact]
    public async Task AMessageThatCannotBeStoredWithinTheBudgetIsRefusedWithNothingKeptAndItsRetryIsAnsweredOnce()
    {
        var (bot, user) = await ConversationAsync();
        const string sid = "SMblink00000000000000000000000002";

        using var metrics = new RecordedMetrics(() => [fixture.System.Gateway.Services]);
        fixture.Proxy.Cut();
        HttpResponseMessage refused;
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            refused = await fixture.Webhooks.SendAsync(bot, user, "demasiado largo", sid);

            // Refused when the 6-s budget ran out, not at the first failure.
            Assert.True(started.Elapsed >= TimeSpan.FromSeconds(5), $"refused after {started.Elapsed.TotalSeconds:0.0} s");

            // An attempt still in flight when the budget ended is abandoned, not undone: keep the database away until
            // it has ended (failed, the database being away), so that what follows sees only what the refusal left.
            await Eventually.TrueAsync(() => Task.FromResult(metrics.Total("horizonai.gateway.store.abandoned", ("bot", bot)) == 0),
                Patience, "the refused webhook's abandoned store attempt to end");
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("retry later", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Nothing of the refused attempt was kept: no row, no reply, while the conversation works again.
        var (_, otherUser) = await ConversationAsync(bot);
        Assert.Equal(0L, await CountInboundAsync(sid));
        Assert.Single(fixture.System.Upstreams.RepliesTo(user));

        // Twilio's next attempt (its fallback URL, or the operator's replay) is taken and answered once, as a new
        // message: had the refused attempt been kept, this one would be a duplicate of a row stamped before it.
        var retriedAt = DateTime.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "demasiado largo", sid)).StatusCode);
        var replies = await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Contains("demasiado largo", replies[1].Body, StringComparison.Ordinal);
        await WaitForStatusAsync(sid, "answered");
        Assert.Equal(1L, await CountInboundAsync(sid));
        Assert.True(await fixture.System.Database.ScalarAsync<DateTime>(
            "select created_at from messages where direction = 'inbound' and twilio_sid = @sid", ("sid", sid)) >= retriedAt.AddSeconds(-1), "the row is the retried message's");
        Assert.Equal(2, fixture.System.Upstreams.RepliesTo(user).Count);
        Assert.Single(fixture.System.Upstreams.RepliesTo(otherUser));
    }

    [Fact]
    public async Task AnAdminRequestThatMeetsTheDatabaseCutIsAnswered503WithRetryAfterNot500()
    {
        var (bot, user) = await ConversationAsync();
        HttpResponseMessage refused;
        fixture.Proxy.Cut();
        try
        {
            refused = await fixture.Admin.GetAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}");
        }
        finally
        {
            fixture.Proxy.Restore();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
        Assert.Contains("unavailable", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}")).StatusCode);
    }

    /// <summary>A bot and a user whose first message is answered, so that every grain on the path is active.</summary>
    private async Task<(string Bot, string User)> ConversationAsync(string? bot = null)
    {
        if (bot is null)
        {
            bot = SystemFixture.NewBotNumber();
            await TestBots.CreateAsync(fixture.Admin, bot, "Ferretería");
        }

        var user = SystemFixture.NewUserNumber();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "hola")).StatusCode);
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        return (bot, user);
    }

    private Task<long> CountInboundAsync(string sid) =>
        fixture.System.Database.ScalarAsync<long>("select count(*) from messages where direction = 'inbound' and twilio_sid = @sid", ("sid", sid));

    private Task WaitForStatusAsync(string sid, string status) => fixture.System.Database.WaitForInboundStatusAsync(sid, status, Patience);
}
