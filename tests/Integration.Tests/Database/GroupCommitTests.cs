using HorizonAI.Storage;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Storage.GroupCommit;
using HorizonAI.Integration.Tests.Infrastructure;
using Npgsql;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The PostgreSQL store's writer: concurrent writes share commits, a caller hears of its write only once it is
/// committed, a write that cannot be committed fails alone, and a status callback that overtakes its reply waits for it.
/// </summary>
public sealed class GroupCommitTests
{
    private const string Bot = "+15550000201";

    [Fact]
    public async Task ConcurrentWritesShareTransactions()
    {
        await using var test = await TestMessageStore.CreateAsync();
        const int writes = 200;
        var before = await WriteTransactionsAsync(test.Database);

        var results = await Task.WhenAll(Enumerable.Range(0, writes).Select(i =>
            test.Store.AcceptAsync(Inbound($"SMshare{i}", $"+569000{i:D5}", "hola"), MessageStatus.Received)));

        var transactions = await WriteTransactionsAsync(test.Database) - before - 1; // the second reading is one itself
        Assert.All(results, r => Assert.True(r.Inserted));
        Assert.Equal(writes, await test.Database.ScalarAsync<long>("select count(*) from messages"));
        Assert.InRange(transactions, 1, writes / 4);
    }

    [Fact]
    public async Task ACallerHearsOfItsWriteOnlyOnceItIsCommitted()
    {
        await using var test = await TestMessageStore.CreateAsync();

        // A check deferred to the commit: the statement succeeds, the commit fails.
        await test.Database.ScalarAsync<int>("""
            create function refuse_at_commit() returns trigger language plpgsql as
            'begin if new.body like ''%<no-commit>%'' then raise exception ''refused at commit''; end if; return null; end';
            create constraint trigger refuse_at_commit after insert on messages deferrable initially deferred
                for each row execute function refuse_at_commit();
            select 1
            """);

        var refused = await Assert.ThrowsAsync<PostgresException>(() =>
            test.Store.AcceptAsync(Inbound("SMnocommit", "+56900000201", "<no-commit>"), MessageStatus.Received));
        Assert.Contains("refused at commit", refused.MessageText, StringComparison.Ordinal);
        Assert.Equal(0L, await test.Database.ScalarAsync<long>("select count(*) from messages"));
    }

    [Fact]
    public async Task AWriteThatCannotBeCommittedFailsAloneAndTheRestOfItsFlushCommits()
    {
        // A long delay makes all the writes below share one flush.
        await using var test = await TestMessageStore.CreateAsync(new GroupCommitOptions { Flushes = 1, DelayMs = 50 });
        await test.Database.ScalarAsync<int>("""
            alter table messages add constraint no_poison check (body not like '%<poison>%');
            select 1
            """);

        var writes = Enumerable.Range(0, 20).Select(i => test.Store.AcceptAsync(
            Inbound($"SMflush{i}", $"+569000{i:D5}", i == 7 ? "<poison>" : "hola"), MessageStatus.Received)).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w => { try { await w; return null; } catch (Exception ex) { return ex; } }));

        Assert.IsType<PostgresException>(outcomes[7]);
        Assert.Equal(19, outcomes.Count(o => o is null));
        Assert.Equal(19L, await test.Database.ScalarAsync<long>("select count(*) from messages"));
    }

    [Fact]
    public async Task AStatusCallbackThatOvertakesItsPartIsAppliedWhenThePartIsRecorded()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var store = test.Store;
        var user = "+56900000202";
        var inbound = await store.AcceptAsync(Inbound("SMask", user, "hola"), MessageStatus.Received);
        var parts = (await store.CommitTurnAsync(new TurnRecord(Bot, user, [inbound.Id!.Value], ["hola", "chao", "otro"], 0, 0, 0, null, null, null)))!;

        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "delivered", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly2", "failed", "63016")));

        await store.RecordPartAsync(new PartRecord(Bot, user, parts[0].Id, "SMearly1", "queued", null, null, null, false));
        await store.RecordPartAsync(new PartRecord(Bot, user, parts[1].Id, "SMearly2", "queued", null, null, null, false));
        await store.RecordPartAsync(new PartRecord(Bot, user, parts[2].Id, "SMlate", "queued", null, null, null, true));

        var database = test.Database;
        Assert.Equal("delivered", await database.ScalarAsync<string>("select status from messages where twilio_sid = 'SMearly1'"));
        var failed = Assert.Single(await database.QueryAsync("select status, error_code, error_message from messages where twilio_sid = 'SMearly2'"));
        Assert.Equal("failed", failed["status"]);
        Assert.Equal("63016", failed["error_code"]);
        Assert.Contains("24-hour window", (string)failed["error_message"]!);
        Assert.Equal("queued", await database.ScalarAsync<string>("select status from messages where twilio_sid = 'SMlate'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from early_delivery_statuses"));

        // Once the row exists the ordinary rule holds: forward only.
        Assert.Equal(DeliveryStatusOutcome.Unchanged, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.Updated, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly1", "read", null)));
    }

    /// <summary>Write transactions so far: each takes a transaction id, and this reading takes one too.</summary>
    private static async Task<long> WriteTransactionsAsync(TestDatabase database) =>
        await database.ScalarAsync<long>("select pg_current_xact_id()::text::bigint");

    private static InboundMessage Inbound(string sid, string user, string body) => new()
    {
        MessageSid = sid,
        BotNumber = Bot,
        BotId = Bot,
        UserNumber = user,
        Body = body,
        ReceivedAt = DateTimeOffset.UtcNow,
    };
}
