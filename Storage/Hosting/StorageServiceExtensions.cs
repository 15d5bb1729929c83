using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using HorizonAI.ServiceDefaults.Telemetry;
using HorizonAI.Storage.GroupCommit;
using HorizonAI.Storage.Knowledge;
using HorizonAI.Storage.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace HorizonAI.Storage.Hosting;

public static class StorageServiceExtensions
{
    /// <summary>
    /// The message writer of this process (Gateway or Silo): <c>DATABASE_URL</c>, its own connections, the group-commit
    /// writer and <see cref="MessageIntake"/>, plus the shared data source the product's other reads use.
    /// </summary>
    public static IServiceCollection AddHorizonMessageWriter(this IServiceCollection services)
    {
        services.AddSettings(DatabaseOptions.From, new DatabaseOptionsValidator());
        services.AddSettings(GroupCommitOptions.From, new GroupCommitOptionsValidator());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<HorizonMetrics>();
        services.TryAddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.TryAddKeyedSingleton(MessageDataSource.Key, (sp, _) => MessageDataSource.Create(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));
        services.TryAddSingleton<GroupCommitWriter>();
        services.TryAddSingleton<MessageIntake>();
        return services;
    }

    /// <summary>Each bot's documents (<see cref="IKnowledgeStore"/>) on the shared data source (see <see cref="AddHorizonMessageWriter"/>).</summary>
    public static IServiceCollection AddHorizonKnowledgeStore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKnowledgeStore, PostgresKnowledgeStore>();
        return services;
    }
}
