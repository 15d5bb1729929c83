using HorizonAI.Silo.Database;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>
/// A fresh database on the PostgreSQL server that <c>scripts/test.sh</c> starts, migrated with the product's own
/// schema and dropped afterwards. Without that server the tests fail: none may pass by skipping the database.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string ServerVariable = "HORIZONAI_TEST_DATABASE_URL";

    private readonly string _serverConnectionString;

    private TestDatabase(string serverConnectionString, string name)
    {
        _serverConnectionString = serverConnectionString;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, MaxPoolSize = 200 }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{ServerVariable} is not set: run the tests with scripts/test.sh, which starts PostgreSQL.");

    public static async Task<TestDatabase> CreateAsync(bool migrate = true, string? server = null)
    {
        var database = new TestDatabase(server ?? ServerConnectionString, "t_" + Guid.NewGuid().ToString("N")[..16]);
        await using (var connection = new NpgsqlConnection(database._serverConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"create database {database.Name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        if (migrate)
        {
            await new SchemaMigrator(database.ConnectionString, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        }

        return database;
    }

    /// <summary>Runs a script of several statements (a fixture, a trigger) in one implicit transaction.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    public async Task<List<Dictionary<string, object?>>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var rows = new List<Dictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop database if exists {Name} with (force)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
