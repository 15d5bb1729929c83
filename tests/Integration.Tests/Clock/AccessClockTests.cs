using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>The access rules of time on the application's clock: the audit log's retention and a rotated key's overlap.</summary>
[Collection(FakeClockCollection.Name)]
public sealed class AccessClockTests(FakeClockCluster fixture)
{
    private FakeClock Clock => fixture.Clock;

    [Fact]
    public async Task AnAuditEntryIsPrunedOnceItIsOlderThanTheRetentionAndNotBefore()
    {
        var retention = TimeSpan.FromDays(365); // AUDIT_RETENTION_DAYS by default
        var bot = SystemFixture.NewBotNumber();
        var audit = fixture.Client.GetGrain<IAuditLogGrain>(0);
        await audit.RecordAsync(new AuditEntry(Clock.GetUtcNow(), "admin", "PUT /bots/{number}", bot, null, 200, "10.0.0.1"));
        await Clock.AdvanceAsync(TimeSpan.FromDays(300));
        await audit.RecordAsync(new AuditEntry(Clock.GetUtcNow(), "admin", "DELETE /bots/{number}", bot, null, 204, "10.0.0.1"));

        await Clock.AdvanceAsync(retention - TimeSpan.FromDays(300));
        await audit.PruneAsync();
        Assert.Equal(["PUT /bots/{number}", "DELETE /bots/{number}"], await ActionsAsync(bot)); // exactly the retention old: kept

        await Clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        await audit.PruneAsync();
        Assert.Equal(["DELETE /bots/{number}"], await ActionsAsync(bot));
    }

    [Fact]
    public async Task ARotatedKeysOldSecretWorksUntilTheOverlapEndsAndThenNot()
    {
        var overlap = TimeSpan.FromMinutes(10);
        var key = fixture.Client.GetGrain<IApiKeyGrain>(ApiKeyFormat.NewId());
        var issued = await key.CreateAsync(new ApiKeyRequest("rotación", "operate", [SystemFixture.NewBotNumber()]));
        var old = Secret(issued!.Secret);
        var current = Secret((await key.RotateAsync(overlap))!.Secret);

        await Clock.AdvanceAsync(overlap - TimeSpan.FromSeconds(1));
        Assert.NotNull(await key.VerifyAsync(old));
        Assert.NotNull(await key.VerifyAsync(current));

        await Clock.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Null(await key.VerifyAsync(old));
        Assert.NotNull(await key.VerifyAsync(current));
    }

    private static string Secret(string key) => ApiKeyFormat.TryParse(key, out _, out var secret) ? secret : throw new ArgumentException("not a key", nameof(key));

    private async Task<string[]> ActionsAsync(string bot) =>
        [.. (await fixture.Database.QueryAsync("select action from audit_log where bot_number = @bot order by at", ("bot", bot))).Select(r => (string)r["action"]!)];
}
