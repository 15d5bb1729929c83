using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>The project's own schema, proven against a real PostgreSQL and the real Orleans ADO.NET providers.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task RunningTheMigrationTwiceChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var migrator = new SchemaMigrator(database.ConnectionString, NullLogger<SchemaMigrator>.Instance);

        var first = await migrator.ApplyAsync();
        var before = await SnapshotAsync(database);
        var second = await migrator.ApplyAsync();
        var after = await SnapshotAsync(database);

        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), first);
        Assert.Empty(second);
        Assert.Equal(before, after);
        Assert.Contains("orleansquery|WriteToStorageKey", before);
    }

    [Fact]
    public void TheSchemaAGatewayWaitsForIsTheLatestMigration() =>
        Assert.Equal(HorizonAI.Storage.SchemaVersion.Expected, SchemaMigrator.Migrations[^1].Version);

    [Fact]
    public async Task SiloMigrateAppliesTheSchemaAndExitsAndASecondRunChangesNothing()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var password = string.IsNullOrEmpty(server.Password) ? "" : ":" + Uri.EscapeDataString(server.Password);
        var settings = new Dictionary<string, string?>
        {
            // The URL spelling operators paste from their provider.
            ["DATABASE_URL"] = $"postgres://{Uri.EscapeDataString(server.Username!)}{password}@{server.Host}:{server.Port}/{server.Database}",
        };
        var latest = SchemaMigrator.Migrations[^1].Version;

        var first = await MigrateAsync(settings);
        Assert.All(SchemaMigrator.Migrations, m => Assert.Contains($"Applied database migration {m.Version} ", first, StringComparison.Ordinal));
        Assert.Equal(SchemaMigrator.Migrations.Count, (int)await database.ScalarAsync<long>("select count(*) from schema_migrations"));
        var before = await SnapshotAsync(database);

        var second = await MigrateAsync(settings);
        Assert.DoesNotContain("Applied database migration", second, StringComparison.Ordinal);
        Assert.Contains($"Database schema is up to date at version {latest}", second, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(database));
        Assert.Equal(0L, await database.ScalarAsync<long>("select count(*) from orleans_cluster_member"));
    }

    [Fact]
    public async Task ConcurrentMigrationsApplyEachVersionOnce()
    {
        await using var database = await TestDatabase.CreateAsync(migrate: false);
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            new SchemaMigrator(database.ConnectionString, NullLogger<SchemaMigrator>.Instance).ApplyAsync()));

        Assert.Equal(SchemaMigrator.Migrations.Count, runs.Sum(r => r.Count));
        Assert.Equal(SchemaMigrator.Migrations.Count, (int)await database.ScalarAsync<long>("select count(*) from schema_migrations"));
    }

    [Fact]
    public async Task GrainStateSurvivesASiloRestart()
    {
        await using var system = await TestSystem.StartAsync();
        var counter = system.Client.GetGrain<ICounterGrain>("survivor");
        await counter.IncrementAsync();
        await counter.IncrementAsync();

        var silo = system.Cluster.Silos[0];
        await system.Cluster.StartAdditionalSiloAsync();
        await system.Cluster.StopSiloAsync(silo);
        await system.Cluster.WaitForLivenessToStabilizeAsync();

        Assert.Equal(2, await system.Client.GetGrain<ICounterGrain>("survivor").GetAsync());
        Assert.Equal(3, await system.Client.GetGrain<ICounterGrain>("survivor").IncrementAsync());
    }

    [Fact]
    public async Task AReminderFiresAndIsStoredInPostgres()
    {
        await using var system = await TestSystem.StartAsync();
        await system.Client.GetGrain<IReminderProbeGrain>("tick").StartAsync();

        var stored = await system.Database.ScalarAsync<long>("select count(*) from orleans_reminder where remindername = 'probe'");
        Assert.Equal(1, stored);
        await Eventually.WaitAsync(() => system.Client.GetGrain<IReminderProbeGrain>("tick").GetTicksAsync(), t => t >= 2, TimeSpan.FromSeconds(30), "two reminder ticks");
    }

    /// <summary>Runs <c>Silo migrate</c> as operators and the Kubernetes Job do; it must apply and exit 0 on its own.</summary>
    private static async Task<string> MigrateAsync(IReadOnlyDictionary<string, string?> settings)
    {
        await using var migrate = ProductProcess.Start("Silo", "migrate", settings, "migrate");
        Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60)), "Silo migrate exits on its own:\n" + migrate.Output);
        Assert.True(migrate.ExitCode == 0, $"Silo migrate exited with {migrate.ExitCode}:\n{migrate.Output}");
        return migrate.Output;
    }

    private static async Task<List<string>> SnapshotAsync(TestDatabase database)
    {
        var rows = await database.QueryAsync("""
            select 'column|' || table_name || '.' || column_name || ':' || data_type as item from information_schema.columns where table_schema = 'public'
            union all select 'index|' || indexname || ':' || indexdef from pg_indexes where schemaname = 'public'
            union all select 'routine|' || routine_name from information_schema.routines where routine_schema = 'public'
            union all select 'orleansquery|' || querykey || ':' || md5(querytext) from orleansquery
            union all select 'migration|' || version || ':' || checksum from schema_migrations
            """);
        var items = rows.Select(r => (string)r["item"]!).Order(StringComparer.Ordinal).ToList();
        items.AddRange(items.Where(i => i.StartsWith("orleansquery|", StringComparison.Ordinal)).Select(i => i[..i.IndexOf(':', StringComparison.Ordinal)]).ToList());
        return items;
    }
}
