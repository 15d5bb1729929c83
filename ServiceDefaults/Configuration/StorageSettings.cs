using HorizonAI.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>
/// Where the cluster keeps its data: PostgreSQL (the default, and the only choice for production), or this single
/// silo's memory for a local try-out on a machine without PostgreSQL, where everything is lost when the silo stops.
/// </summary>
public sealed record StorageSettings(bool InMemory)
{
    public const string Variable = "STORAGE_MODE";
    public const string Postgres = "postgres";
    public const string Memory = "memory";

    public const string InMemoryWarning =
        "STORAGE_MODE=memory: bots, conversations and messages are kept in the silo's memory and are LOST when it stops; " +
        "a single silo only. Use PostgreSQL (DATABASE_URL) for anything but a local try-out.";

    /// <summary>Read while the host is built, since it chooses the Orleans providers; a bad value stops start-up.</summary>
    public static StorageSettings From(IConfiguration configuration) => configuration.Text(Variable)?.ToLowerInvariant() switch
    {
        null or Postgres => new StorageSettings(InMemory: false),
        Memory => new StorageSettings(InMemory: true),
        _ => throw new ConfigurationException($"{Variable} must be '{Postgres}' or '{Memory}'"),
    };
}
