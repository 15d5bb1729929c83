using HorizonAI.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace HorizonAI.Gateway.Hosting;

/// <summary>
/// Ready only once the database carries the schema this Gateway was built for (<see cref="SchemaVersion.Expected"/>,
/// applied by the Silo or <c>Silo migrate</c>): before that its statements could fail on a missing table or column.
/// </summary>
public sealed class SchemaHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await using var command = dataSource.CreateCommand("select coalesce(max(version), 0) from schema_migrations");
            var version = Convert.ToInt32(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture);
            return version >= SchemaVersion.Expected
                ? HealthCheckResult.Healthy($"schema version {version}")
                : HealthCheckResult.Unhealthy($"schema version {version}, this Gateway needs {SchemaVersion.Expected}: run the Silo or 'Silo migrate'");
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return HealthCheckResult.Unhealthy($"no schema yet, this Gateway needs version {SchemaVersion.Expected}: run the Silo or 'Silo migrate'");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable: " + ex.GetType().Name);
        }
    }
}
