using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HorizonAI.ServiceDefaults.Configuration;

/// <summary>The PostgreSQL database shared by Orleans (clustering, state, reminders) and the project's own tables.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Variable = "DATABASE_URL";

    /// <summary>Npgsql connection string, normalised from <c>DATABASE_URL</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>Why <c>DATABASE_URL</c> could not be read (e.g. "has no host"), or null.</summary>
    public string? Error { get; set; }

    public static DatabaseOptions From(IConfiguration configuration)
    {
        var ok = DatabaseConnectionString.TryParse(configuration.Text(Variable), out var connectionString, out var error);
        return new DatabaseOptions { ConnectionString = connectionString, Error = ok ? null : error };
    }

    // Whether the text is a connection string is known only by parsing it, which From has done.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Error is not null)
        {
            yield return new ValidationResult($"{Variable} {Error}; set it to e.g. postgres://user:password@host:5432/horizonai");
        }
    }
}

[OptionsValidator]
public sealed partial class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>;
