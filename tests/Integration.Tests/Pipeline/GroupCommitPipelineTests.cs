using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// The group commit seen from the webhook: concurrent webhooks share transactions, and a message whose row is not
/// committed is refused and never answered, while the messages that shared its flush are.
/// </summary>
public sealed class GroupCommitPipelineTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConcurrentWebhooksShareTransactions()
    {
        const int webhooks = 100;
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Panadería");
        var users = Enumerable.Range(0, webhooks).Select(_ => SystemFixture.NewUserNumber()).ToList();

        // The turns wait, so that only the webhooks' own writes fall inside the count.
        fixture.System.Upstreams.OpenAI.LatencyMs = 3_000;
        long transactions;
        try
        {
            var before = await WriteTransactionsAsync();
            var answers = await Task.WhenAll(users.Select(user => fixture.Webhooks.SendAsync(bot, user, "hola")));
            transactions = await WriteTransactionsAsync() - before - 1;
            Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        }
        finally
        {
            fixture.System.Upstreams.OpenAI.LatencyMs = 0;
        }

        // One transaction per webhook without group commit; the store must do far better.
        Assert.InRange(transactions, 1, webhooks / 2);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, [.. Enumerable.Repeat("answered", webhooks)], Patience);
        Assert.All(users, user => Assert.Single(fixture.System.Upstreams.RepliesTo(user)));
    }

    [Fact]
    public async Task AMessageWhoseRowIsNotCommittedIsRefusedAndNeverAnswered()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        var database = fixture.System.Database;

        // Refused by PostgreSQL at commit time, after every statement of its flush has run.
        await database.ScalarAsync<int>("""
            create function refuse_at_commit() returns trigger language plpgsql as
            'begin if new.body like ''%<no-commit>%'' then raise exception ''refused at commit''; end if; return null; end';
            create constraint trigger refuse_at_commit after insert on messages deferrable initially deferred
                for each row execute function refuse_at_commit();
            select 1
            """);
        try
        {
            using var metrics = new RecordedMetrics(() => RecordedMetrics.Silos(fixture.System.Cluster.Silos));
            var refusedUser = SystemFixture.NewUserNumber();
            var others = Enumerable.Range(0, 10).Select(_ => SystemFixture.NewUserNumber()).ToList();
            var refused = fixture.Webhooks.SendAsync(bot, refusedUser, "<no-commit> hola");
            var accepted = others.Select(user => fixture.Webhooks.SendAsync(bot, user, "hola")).ToList();

            var refusal = await refused;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refusal.StatusCode);
            Assert.All(await Task.WhenAll(accepted), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
            await database.WaitForInboundStatusesAsync(bot, [.. Enumerable.Repeat("answered", others.Count)], Patience);

            // Nothing of it was kept, so nothing answers it, not even the recovery sweep: whole sweeps of every shard,
            // begun once the others were answered, find nothing of the bot's open and wake nothing.
            Assert.Equal(0L, await metrics.WakesInWholeSweepsAsync(bot));
            Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from messages where user_number = @user", ("user", refusedUser)));
            Assert.Empty(fixture.System.Upstreams.RepliesTo(refusedUser));
            Assert.All(others, user => Assert.Single(fixture.System.Upstreams.RepliesTo(user)));
        }
        finally
        {
            await database.ScalarAsync<int>("drop trigger refuse_at_commit on messages; drop function refuse_at_commit(); select 1");
        }
    }

    /// <summary>Write transactions so far: each takes a transaction id, and this reading takes one too.</summary>
    private Task<long> WriteTransactionsAsync() =>
        fixture.System.Database.ScalarAsync<long>("select pg_current_xact_id()::text::bigint");
}
