using HorizonAI.ServiceDefaults.Configuration;
using HorizonAI.ServiceDefaults.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace HorizonAI.Silo.Database;

/// <summary>Runs <see cref="SchemaMigrator"/> against <c>DATABASE_URL</c>: at silo start and for <c>Silo migrate</c>.</summary>
public static class DatabaseMigration
{
    public static async Task RunAsync(IConfiguration configuration, ILoggerFactory? loggers = null)
    {
        var database = DatabaseOptions.From(configuration);
        var failure = new DatabaseOptionsValidator().Validate(null, database);
        if (failure.Failed)
        {
            throw new ConfigurationException(failure.FailureMessage);
        }

        using var ownLoggers = loggers is null ? LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true)) : null;
        var migrator = new SchemaMigrator(database.ConnectionString, (loggers ?? ownLoggers!).CreateLogger<SchemaMigrator>());
        await migrator.ApplyAsync();
    }
}
