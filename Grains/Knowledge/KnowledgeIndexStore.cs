using HorizonAI.Storage;
using Npgsql;

namespace HorizonAI.Grains.Knowledge;

/// <summary>
/// The upstream index's side of the knowledge tables: which documents have work due, the file and the store recorded
/// for them, and their outcome. The table is the truth the grain works from; nothing here is cached. Every statement is
/// tried once more on a fresh connection when the pool's connection was broken.
/// </summary>
public sealed class KnowledgeIndexStore(NpgsqlDataSource dataSource)
{
    private const string Due = "(status = 'processing' or deleted_at is not null)";

    /// <summary>Bots with a document due by <paramref name="now"/>: what the sweep wakes.</summary>
    public Task<IReadOnlyList<string>> FindDueBotsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"""
                select bot_id from knowledge_documents
                where {Due} and next_attempt_at <= @now
                group by bot_id
                order by min(next_attempt_at)
                limit @limit
                """);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            command.Parameters.AddWithValue("limit", limit);
            var bots = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                bots.Add(reader.GetString(0));
            }

            return (IReadOnlyList<string>)bots;
        });

    /// <summary>The bot's documents due by <paramref name="now"/>, deletions first, then oldest due first.</summary>
    public Task<IReadOnlyList<DueDocument>> ListDueAsync(string botId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"""
                select id, title, file_name, content_type, openai_file_id, attempts, deleted_at is not null
                from knowledge_documents
                where bot_id = @bot and {Due} and next_attempt_at <= @now
                order by deleted_at is null, next_attempt_at, id
                limit @limit
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            command.Parameters.AddWithValue("limit", limit);
            var due = new List<DueDocument>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                due.Add(new DueDocument(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5), reader.GetBoolean(6)));
            }

            return (IReadOnlyList<DueDocument>)due;
        });

    /// <summary>When the bot's next piece of work falls due (null: nothing is left to do).</summary>
    public Task<DateTimeOffset?> NextDueAsync(string botId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand($"select min(next_attempt_at) from knowledge_documents where bot_id = @bot and {Due}");
            command.Parameters.AddWithValue("bot", botId);
            return await command.ExecuteScalarAsync(cancellationToken) is DateTime due ? new DateTimeOffset(due, TimeSpan.Zero) : (DateTimeOffset?)null;
        });

    /// <summary>The document's title, name, type, bytes and extracted text, read only when it is uploaded.</summary>
    public Task<DocumentUpload?> LoadUploadAsync(string documentId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("select title, file_name, content_type, content, text from knowledge_documents where id = @id");
            command.Parameters.AddWithValue("id", documentId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return DocumentUpload.For(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<byte[]>(3), reader.GetString(4));
        });

    /// <summary>The bot's name and number (its row may be gone: a bot deleted without purge keeps its knowledge).</summary>
    public Task<(string? Name, string? Number)> GetBotAsync(string botId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("select name, phone_number from bots where id = @bot");
            command.Parameters.AddWithValue("bot", botId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? (reader.GetString(0), reader.GetString(1)) : ((string?)null, (string?)null);
        });

    public Task<BotKnowledgeStore?> GetStoreAsync(string botId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("select vector_store_id, lost_at from knowledge_stores where bot_id = @bot");
            command.Parameters.AddWithValue("bot", botId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken)
                ? new BotKnowledgeStore(reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero))
                : null;
        });

    /// <summary>Records the vector store just made for the bot (at once: a crash after this reuses it rather than making another).</summary>
    public Task RecordStoreAsync(string botId, string vectorStoreId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                insert into knowledge_stores (bot_id, vector_store_id, usage_bytes, lost_at, error, updated_at)
                values (@bot, @store, 0, null, null, @now)
                on conflict (bot_id) do update set vector_store_id = excluded.vector_store_id, usage_bytes = 0, lost_at = null, error = null, updated_at = excluded.updated_at
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("store", vectorStoreId);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    public Task RecordUsageAsync(string botId, string vectorStoreId, long usageBytes, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand(
                "update knowledge_stores set usage_bytes = @usage, updated_at = @now where bot_id = @bot and vector_store_id = @store");
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("store", vectorStoreId);
            command.Parameters.AddWithValue("usage", usageBytes);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>
    /// The bot's store was found gone upstream: the store row says so, its ready documents carry the reason (they stay
    /// ready: the platform's own full-text search still finds them), and documents still processing fail with it, so
    /// that nothing is uploaded into a store that is no more. False when that store was already marked (or is not the
    /// bot's current one).
    /// </summary>
    public Task<bool> MarkStoreLostAsync(string botId, string vectorStoreId, string reason, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var store = new NpgsqlCommand("""
                update knowledge_stores set lost_at = @now, error = @reason, updated_at = @now
                where bot_id = @bot and vector_store_id = @store and lost_at is null
                """, connection, transaction);
            store.Parameters.AddWithValue("bot", botId);
            store.Parameters.AddWithValue("store", vectorStoreId);
            store.Parameters.AddWithValue("reason", reason);
            store.Parameters.AddWithValue("now", now.UtcDateTime);
            if (await store.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return false;
            }

            await using var documents = new NpgsqlCommand("""
                update knowledge_documents
                set error = @reason, status = case when status = 'processing' then 'failed' else status end, updated_at = @now
                where bot_id = @bot and deleted_at is null and status in ('processing', 'ready')
                """, connection, transaction);
            documents.Parameters.AddWithValue("bot", botId);
            documents.Parameters.AddWithValue("reason", reason);
            documents.Parameters.AddWithValue("now", now.UtcDateTime);
            await documents.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        });

    /// <summary>Records the file uploaded for a document, before it is added to the store: a crash after this reuses it.</summary>
    public Task RecordFileAsync(string documentId, string fileId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand(
                "update knowledge_documents set openai_file_id = @file, attempts = 0, next_attempt_at = @now where id = @id");
            command.Parameters.AddWithValue("id", documentId);
            command.Parameters.AddWithValue("file", fileId);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>Forgets a document's file (gone upstream): the next attempt uploads it again.</summary>
    public Task ForgetFileAsync(string documentId, string fileId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand(
                "update knowledge_documents set openai_file_id = null, next_attempt_at = @now where id = @id and openai_file_id = @file");
            command.Parameters.AddWithValue("id", documentId);
            command.Parameters.AddWithValue("file", fileId);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>The document's next look (a poll of its indexing, or a retry after a failure counted in <paramref name="attempts"/>).</summary>
    public Task ScheduleAsync(string documentId, DateTimeOffset next, int attempts, string? error, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand(
                "update knowledge_documents set next_attempt_at = @next, attempts = @attempts, error = @error where id = @id");
            command.Parameters.AddWithValue("id", documentId);
            command.Parameters.AddWithValue("next", next.UtcDateTime);
            command.Parameters.AddWithValue("attempts", attempts);
            command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>The document's outcome: ready (error null) or failed with the reason. Only a document still processing and not deleted changes.</summary>
    public Task<bool> FinishAsync(string documentId, string status, string? error, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                update knowledge_documents set status = @status, error = @error, updated_at = @now
                where id = @id and status = 'processing' and deleted_at is null
                """);
            command.Parameters.AddWithValue("id", documentId);
            command.Parameters.AddWithValue("status", status);
            command.Parameters.AddWithValue("error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("now", now.UtcDateTime);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        });

    /// <summary>Deletes a deleted document's row, its work upstream done.</summary>
    public Task DeleteDocumentAsync(string documentId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("delete from knowledge_documents where id = @id and deleted_at is not null");
            command.Parameters.AddWithValue("id", documentId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>The bot's vector store and the files of its documents (deleted ones included): what a purge or a reindex removes upstream.</summary>
    public Task<(string? VectorStoreId, IReadOnlyList<string> FileIds)> ListUpstreamAsync(string botId, bool deletedToo, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                select (select vector_store_id from knowledge_stores where bot_id = @bot),
                       coalesce((select array_agg(openai_file_id) from knowledge_documents
                                 where bot_id = @bot and openai_file_id is not null and (@deleted or deleted_at is null)), '{}')
                """);
            command.Parameters.AddWithValue("bot", botId);
            command.Parameters.AddWithValue("deleted", deletedToo);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (reader.IsDBNull(0) ? null : reader.GetString(0), (IReadOnlyList<string>)reader.GetFieldValue<string[]>(1));
        });

    /// <summary>
    /// A reindex: the bot has no vector store until the next document makes one, and every document not deleted is
    /// processing again, with no file, due now.
    /// </summary>
    public Task<int> ResetAsync(string botId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var store = new NpgsqlCommand("""
                update knowledge_stores set vector_store_id = null, usage_bytes = 0, lost_at = null, error = null, updated_at = @now
                where bot_id = @bot
                """, connection, transaction);
            store.Parameters.AddWithValue("bot", botId);
            store.Parameters.AddWithValue("now", now.UtcDateTime);
            await store.ExecuteNonQueryAsync(cancellationToken);
            await using var documents = new NpgsqlCommand("""
                update knowledge_documents
                set status = 'processing', error = null, openai_file_id = null, attempts = 0, next_attempt_at = @now, updated_at = @now
                where bot_id = @bot and deleted_at is null
                """, connection, transaction);
            documents.Parameters.AddWithValue("bot", botId);
            documents.Parameters.AddWithValue("now", now.UtcDateTime);
            var reset = await documents.ExecuteNonQueryAsync(cancellationToken);

            // Deleted documents' files are among those just removed upstream: their rows go too.
            await using var deleted = new NpgsqlCommand("delete from knowledge_documents where bot_id = @bot and deleted_at is not null", connection, transaction);
            deleted.Parameters.AddWithValue("bot", botId);
            await deleted.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return reset;
        });

    /// <summary>Deletes every knowledge row of the bot (a purge): its chunks, its documents and its store.</summary>
    public Task PurgeAsync(string botId, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var batch = dataSource.CreateBatch();
            foreach (var table in (string[])["knowledge_chunks", "knowledge_documents", "knowledge_stores"])
            {
                var command = new NpgsqlBatchCommand($"delete from {table} where bot_id = $1");
                command.Parameters.Add(new NpgsqlParameter { Value = botId });
                batch.BatchCommands.Add(command);
            }

            return await batch.ExecuteNonQueryAsync(cancellationToken);
        });
}
