using HorizonAI.Storage;
using HorizonAI.Grains.Storage;
using HorizonAI.Storage.GroupCommit;
using HorizonAI.ServiceDefaults.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// The product's message store on its own: the PostgreSQL store with its group-commit writer on a fresh database, on
/// the clock the test gives it (the real one by default).
/// </summary>
public sealed class TestMessageStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestMessageStore(IMessageStore store, IMessageLogQueries queries, TestDatabase database, ServiceProvider services)
    {
        Store = store;
        Queries = queries;
        Database = database;
        _services = services;
    }

    public IMessageStore Store { get; }

    /// <summary>What the webhooks write (status callbacks), on the same writer.</summary>
    public HorizonAI.Storage.Messages.MessageIntake Intake => _services.GetRequiredService<HorizonAI.Storage.Messages.MessageIntake>();

    public IMessageLogQueries Queries { get; }

    public TestDatabase Database { get; }

    /// <summary>The store's other services (its data source, the campaign and access stores on the same database).</summary>
    public IServiceProvider Services => _services;

    public static async Task<TestMessageStore> CreateAsync(GroupCommitOptions? options = null, TimeProvider? time = null)
    {
        var database = await TestDatabase.CreateAsync();
        var services = new ServiceCollection()
            .AddMetrics()
            .AddSingleton<HorizonMetrics>()
            .AddSingleton(time ?? TimeProvider.System)
            .AddSingleton(NpgsqlDataSource.Create(database.ConnectionString))
            .AddKeyedSingleton(MessageDataSource.Key, MessageDataSource.Create(database.ConnectionString))
            .AddSingleton(Options.Create(options ?? new GroupCommitOptions()))
            .AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>))
            .AddSingleton<GroupCommitWriter>()
            .AddSingleton<HorizonAI.Storage.Messages.MessageIntake>()
            .AddSingleton<IMessageStore, PostgresMessageStore>()
            .AddSingleton<IMessageLogQueries, MessageLogQueries>()
            .AddSingleton<HorizonAI.Grains.Campaigns.ICampaignStore, HorizonAI.Grains.Campaigns.PostgresCampaignStore>()
            .AddSingleton<HorizonAI.Grains.Access.IAccessStore, HorizonAI.Grains.Access.PostgresAccessStore>()
            .AddSingleton<IBotStore, BotStore>()
            .BuildServiceProvider();
        return new TestMessageStore(
            services.GetRequiredService<IMessageStore>(), services.GetRequiredService<IMessageLogQueries>(), database, services);
    }

    /// <summary>
    /// Records bot ids as the bots table does when a bot is created (each its own number here), for operations that
    /// read a bot's number from its id (the recovery sweep).
    /// </summary>
    public async Task KnowBotsAsync(params string[] botIds)
    {
        foreach (var id in botIds)
        {
            await Database.ScalarAsync<long>("with known as (insert into bot_identities (id, phone_number) values (@id, @id) on conflict do nothing returning 1) select count(*) from known", ("id", id));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Database.DisposeAsync();
    }
}
