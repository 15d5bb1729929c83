using HorizonAI.Storage;
using Npgsql;

namespace HorizonAI.Gateway.Access.Authentication;

/// <summary>
/// Console sessions ended before their time, in PostgreSQL (the <c>console_session_revocations</c> table), so that a
/// sign-out on one Gateway ends the session on every Gateway at once: each request that presents a session cookie is
/// looked up here. A row is kept only until its session would have expired anyway (the cookie is refused by then on
/// its own), and each sign-out deletes the rows past that point, so the table holds no more than the sign-outs of one
/// session lifetime.
/// </summary>
public sealed class ConsoleSessionRevocations(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>Ends the session on every Gateway; revoking it again changes nothing.</summary>
    public Task RevokeAsync(ConsoleSession session) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("""
            with pruned as (delete from console_session_revocations where expires_at < @now)
            insert into console_session_revocations (session_id, expires_at) values (@id, @expires)
            on conflict (session_id) do nothing
            """);
        command.Parameters.AddWithValue("id", session.Id);
        command.Parameters.AddWithValue("expires", session.ExpiresAt.UtcDateTime);
        command.Parameters.AddWithValue("now", time.GetUtcNow().UtcDateTime);
        return await command.ExecuteNonQueryAsync();
    });

    public Task<bool> IsRevokedAsync(string sessionId) => BrokenConnections.RetryOnceAsync(dataSource, async () =>
    {
        await using var command = dataSource.CreateCommand("select exists (select 1 from console_session_revocations where session_id = @id)");
        command.Parameters.AddWithValue("id", sessionId);
        return (bool)(await command.ExecuteScalarAsync())!;
    });
}
