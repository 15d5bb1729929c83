using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>The PostgreSQL database shared by Orleans (clustering, state, reminders) and the project's own tables.</summary>
public sealed class DatabaseOptions
{
    public const string Variable = "DATABASE_URL";

    /// <summary>Npgsql connection string, normalised from <c>DATABASE_URL</c>.</summary>
    public string ConnectionString { get; set; } = "";

    public string? Error { get; set; }

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var ok = DatabaseConnectionString.TryParse(configuration.Text(Variable), out var connectionString, out var error);
        return new DatabaseOptions { ConnectionString = connectionString, Error = ok ? null : error };
    }
}

public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options) =>
        options.Error is null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{DatabaseOptions.Variable} {options.Error}; set it to e.g. postgres://user:password@host:5432/horizonai");
}
