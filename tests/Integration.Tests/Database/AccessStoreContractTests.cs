using HorizonAI.Grains.Access;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The api_keys and audit_log tables on PostgreSQL: a key is written once and then only its secrets, rotation,
/// revocation and last use change; the audit log is read newest first within its filters and pruned by age.
/// </summary>
public sealed class AccessStoreContractTests
{
    private const string BotA = "+15550000401";
    private const string BotB = "+15550000402";

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AKeyIsInsertedOnceAndReadBackAsStored()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        var key = Key("k_ops", Start);

        Assert.True(await access.InsertKeyAsync(key));
        Assert.False(await access.InsertKeyAsync(Key("k_ops", Start.AddDays(1)) with { Name = "impostor", Role = ApiKeyRoles.Manage }));
        Assert.Equivalent(key, await access.GetKeyAsync("k_ops"), strict: true);
        Assert.Null(await access.GetKeyAsync("k_none"));
    }

    [Fact]
    public async Task KeysAreListedInTheOrderTheyWereMade()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        Assert.True(await access.InsertKeyAsync(Key("k_b", Start.AddMinutes(1))));
        Assert.True(await access.InsertKeyAsync(Key("k_c", Start)));
        Assert.True(await access.InsertKeyAsync(Key("k_a", Start.AddMinutes(1))));

        Assert.Equal(["k_c", "k_a", "k_b"], (await access.ListKeysAsync()).Select(k => k.Id));
    }

    [Fact]
    public async Task AnUpdateWritesTheSecretsRotationAndRevocationButNeverWhoTheKeyIsFor()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        var key = Key("k_rot", Start);
        Assert.True(await access.InsertKeyAsync(key));

        // A rotation keeps the previous secret's hash for the overlap; a name, role or bots in the record are not the update's to change.
        var rotated = key with { SecretHash = [9, 9, 9], PreviousHash = key.SecretHash, PreviousExpiresAt = Start.AddHours(1), RotatedAt = Start.AddMinutes(1) };
        await access.UpdateKeyAsync(rotated with { Name = "renamed", Role = ApiKeyRoles.Manage, Bots = [BotB] });
        Assert.Equivalent(rotated, await access.GetKeyAsync(key.Id), strict: true);

        var revoked = rotated with { PreviousHash = null, PreviousExpiresAt = null, RevokedAt = Start.AddMinutes(2) };
        await access.UpdateKeyAsync(revoked);
        Assert.Equivalent(revoked, await access.GetKeyAsync(key.Id), strict: true);
    }

    [Fact]
    public async Task ALastUseOnlyMovesForward()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        Assert.True(await access.InsertKeyAsync(Key("k_use", Start)));

        // Two silos may record uses out of order: the earlier one arriving late does not win.
        await access.TouchKeyAsync("k_use", Start.AddMinutes(2));
        await access.TouchKeyAsync("k_use", Start.AddMinutes(1));
        Assert.Equal(Start.AddMinutes(2), (await access.GetKeyAsync("k_use"))!.LastUsedAt);
        await access.TouchKeyAsync("k_use", Start.AddMinutes(3));
        Assert.Equal(Start.AddMinutes(3), (await access.GetKeyAsync("k_use"))!.LastUsedAt);

        await access.TouchKeyAsync("k_none", Start); // a key deleted meanwhile: nothing to record, nothing created
        Assert.Equal(["k_use"], (await access.ListKeysAsync()).Select(k => k.Id));
    }

    [Fact]
    public async Task TheAuditLogIsReadNewestFirstWithinItsFilters()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        var first = Entry(Start, "k_1", BotA) with { UserNumber = "+56900000401", Client = "203.0.113.7" };
        var second = Entry(Start.AddMinutes(1), "k_2", BotB);
        var third = Entry(Start.AddMinutes(2), "k_1", BotA);
        var fourth = Entry(Start.AddMinutes(3), "admin", null) with { Action = "create_key", Status = 201 };
        foreach (var entry in new[] { second, first, fourth, third })
        {
            await access.AppendAuditAsync(entry);
        }

        var all = await access.ListAuditAsync(new AuditQuery(null, 0, 10));
        Assert.Equal(4, all.Total);
        Assert.Equal([fourth, third, second, first], all.Items.Select(e => e with { Id = 0 }));
        Assert.Equal(4, all.Items.Select(e => e.Id).Distinct().Count());

        Assert.Equal([third, first], await ListAsync(access, new AuditQuery([BotA], 0, 10)));
        Assert.Equal([third, second], await ListAsync(access, new AuditQuery(null, 0, 10) { From = Start.AddMinutes(1), To = Start.AddMinutes(3) }));
        Assert.Equal([third, first], await ListAsync(access, new AuditQuery(null, 0, 10) { KeyId = "k_1" }));

        // A page says how many entries match in all, also past the end.
        var page = await access.ListAuditAsync(new AuditQuery([BotA, BotB], 1, 1));
        Assert.Equal((3, second), (page.Total, Assert.Single(page.Items) with { Id = 0 }));
        var past = await access.ListAuditAsync(new AuditQuery([BotA, BotB], 10, 1));
        Assert.Equal((3, 0), (past.Total, past.Items.Length));
    }

    [Fact]
    public async Task PruningDeletesOnlyWhatIsOlderThanTheCut()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var access = test.Services.GetRequiredService<IAccessStore>();
        foreach (var minutes in new[] { 0, 1, 2 })
        {
            await access.AppendAuditAsync(Entry(Start.AddMinutes(minutes), "k_1", BotA));
        }

        Assert.Equal(1, await access.PruneAuditAsync(Start.AddMinutes(1)));
        Assert.Equal(0, await access.PruneAuditAsync(Start.AddMinutes(1)));
        Assert.Equal([Start.AddMinutes(2), Start.AddMinutes(1)], (await access.ListAuditAsync(new AuditQuery(null, 0, 10))).Items.Select(e => e.At));
    }

    private static ApiKeyRecord Key(string id, DateTimeOffset createdAt) =>
        new(id, "operators of " + id, ApiKeyRoles.Operate, [BotA], [1, 2, 3, (byte)id.Length], createdAt);

    private static AuditEntry Entry(DateTimeOffset at, string keyId, string? bot) => new(at, keyId, "read_transcript", bot, null, 200, null);

    private static async Task<AuditEntry[]> ListAsync(IAccessStore access, AuditQuery query) =>
        [.. (await access.ListAuditAsync(query)).Items.Select(e => e with { Id = 0 })];
}
