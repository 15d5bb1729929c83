using Npgsql;

namespace HorizonAI.Storage;

/// <summary>
/// A database restart or a network cut leaves the pool's idle connections dead, and Npgsql finds that out only when
/// each is used. A command that fails on its connection (not on an answer of PostgreSQL's) clears the pool's idle
/// connections and runs once more on a fresh one; a second failure is the caller's.
/// </summary>
public static class BrokenConnections
{
    public static async Task<T> RetryOnceAsync<T>(NpgsqlDataSource dataSource, Func<Task<T>> command)
    {
        try
        {
            return await command();
        }
        catch (NpgsqlException ex) when (IsConnectionFault(ex))
        {
            dataSource.Clear();
            return await command();
        }
    }

    /// <summary>The connection failed (closed, reset, unreachable) rather than PostgreSQL refusing the command.</summary>
    public static bool IsConnectionFault(Exception exception) => exception is NpgsqlException and not PostgresException;
}
