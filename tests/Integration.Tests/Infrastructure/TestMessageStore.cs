using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Storage.GroupCommit;
using HorizonAI.Grains.Storage.Memory;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The product's message store on its own: the PostgreSQL store with its group-commit writer on a fresh database,
/// or the in-memory store of <c>STORAGE_MODE=memory</c>.
/// </summary>
public sealed class TestMessageStore : IAsyncDisposable
{
    private readonly ServiceProvider? _services;

    private TestMessageStore(IMessageStore store, IMessageLogQueries queries, TestDatabase? database, ServiceProvider? services)
    {
        Store = store;
        Queries = queries;
        Database = database;
        _services = services;
    }

    public IMessageStore Store { get; }

    public IMessageLogQueries Queries { get; }

    /// <summary>The database of the PostgreSQL store; null for the in-memory one.</summary>
    public TestDatabase? Database { get; }

    public static async Task<TestMessageStore> CreateAsync(string kind, GroupCommitOptions? options = null)
    {
        if (kind == "memory")
        {
            var memory = new InMemoryMessageStore(TimeProvider.System, new HorizonAI.Grains.Campaigns.InMemoryCampaignStore(TimeProvider.System));
            return new TestMessageStore(memory, memory, null, null);
        }

        var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton<HorizonMetrics>()
            .AddSingleton(NpgsqlDataSource.Create(database.ConnectionString))
            .AddKeyedSingleton(PostgresMessageStore.DataSourceKey, PostgresMessageStore.CreateDataSource(database.ConnectionString))
            .AddSingleton(Options.Create(options ?? new GroupCommitOptions()))
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddSingleton<GroupCommitWriter>()
            .AddSingleton<IMessageStore, PostgresMessageStore>()
            .AddSingleton<IMessageLogQueries, MessageLogQueries>()
            .BuildServiceProvider();
        return new TestMessageStore(
            services.GetRequiredService<IMessageStore>(), services.GetRequiredService<IMessageLogQueries>(), database, services);
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
    }
}
