using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Storage.Knowledge;

/// <summary>
/// <see cref="IKnowledgeStore"/> on PostgreSQL. Chunks are searched in the bot's <c>knowledge_language</c>, read from
/// its row in the same statement that writes them; a bot that is gone meanwhile gets <c>simple</c>.
/// </summary>
public sealed class PostgresKnowledgeStore(NpgsqlDataSource dataSource, TimeProvider time) : IKnowledgeStore
{
    public const int PreviewLength = 2000;

    private const string Columns = "id, bot_id, title, file_name, content_type, bytes, status, error, created_at, updated_at";

    public Task<KnowledgeDocument?> AddAsync(NewKnowledgeDocument document, int maxDocuments, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => AddCoreAsync(document, maxDocuments, cancellationToken));

    private async Task<KnowledgeDocument?> AddCoreAsync(NewKnowledgeDocument document, int maxDocuments, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One add per bot at a time from here to the commit, so two adds cannot both take the last place.
        await using (var count = new NpgsqlCommand("""
            select pg_advisory_xact_lock(hashtextextended('knowledge:' || @bot, 0));
            select count(*) from knowledge_documents where bot_id = @bot and deleted_at is null;
            """, connection, transaction))
        {
            count.Parameters.AddWithValue("bot", document.BotId);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.NextResultAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetInt64(0) >= maxDocuments)
            {
                return null;
            }
        }

        var now = PostgresTime.Now(time);
        var stored = new KnowledgeDocument(KnowledgeIds.New(), document.BotId, document.Title, document.FileName, document.ContentType,
            document.Content.Length, KnowledgeStatus.Processing, null, now, now);
        await using (var insert = new NpgsqlCommand("""
            insert into knowledge_documents (id, bot_id, title, file_name, content_type, bytes, content, text, status, next_attempt_at, created_at, updated_at)
            values (@id, @bot, @title, @file_name, @content_type, @bytes, @content, @text, 'processing', @now, @now, @now);
            insert into knowledge_chunks (document_id, bot_id, ordinal, text, search)
            select @id, @bot, c.ordinal::integer - 1, c.piece,
                   to_tsvector(coalesce((select knowledge_language from bots where id = @bot), 'simple')::regconfig, c.piece)
            from unnest(@chunks) with ordinality as c(piece, ordinal);
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("id", stored.Id);
            insert.Parameters.AddWithValue("bot", stored.BotId);
            insert.Parameters.AddWithValue("title", stored.Title);
            insert.Parameters.AddWithValue("file_name", (object?)stored.FileName ?? DBNull.Value);
            insert.Parameters.AddWithValue("content_type", stored.ContentType);
            insert.Parameters.AddWithValue("bytes", stored.Bytes);
            insert.Parameters.AddWithValue("content", document.Content);
            insert.Parameters.AddWithValue("text", document.Text);
            insert.Parameters.AddWithValue("now", now.UtcDateTime);
            insert.Parameters.Add(new NpgsqlParameter("chunks", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = TextChunks.Split(document.Text).ToArray() });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return stored;
    }

    public Task<KnowledgePage> ListAsync(string botId, int offset, int limit, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ListCoreAsync(botId, offset, limit, cancellationToken));

    private async Task<KnowledgePage> ListCoreAsync(string botId, int offset, int limit, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(Command($"""
            select {Columns} from knowledge_documents where bot_id = @bot and deleted_at is null
            order by created_at desc, id desc offset @offset limit @limit
            """, ("bot", botId), ("offset", offset), ("limit", limit)));
        batch.BatchCommands.Add(Command("select count(*) from knowledge_documents where bot_id = @bot and deleted_at is null", ("bot", botId)));
        batch.BatchCommands.Add(Command("select vector_store_id, usage_bytes, lost_at, error, updated_at from knowledge_stores where bot_id = @bot", ("bot", botId)));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var items = new List<KnowledgeDocument>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(Read(reader, preview: false));
        }

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var total = (int)reader.GetInt64(0);

        await reader.NextResultAsync(cancellationToken);
        KnowledgeStoreState? store = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            store = new KnowledgeStoreState(
                reader.IsDBNull(0) ? null : reader.GetString(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero));
        }

        return new KnowledgePage(items, total, store);
    }

    public Task<KnowledgeDocument?> GetAsync(string botId, string id, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => GetCoreAsync(botId, id, cancellationToken));

    private async Task<KnowledgeDocument?> GetCoreAsync(string botId, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns}, left(text, {PreviewLength}) from knowledge_documents
            where id = @id and bot_id = @bot and deleted_at is null
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("bot", botId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader, preview: true) : null;
    }

    public Task<bool> DeleteAsync(string botId, string id, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => DeleteCoreAsync(botId, id, cancellationToken));

    private async Task<bool> DeleteCoreAsync(string botId, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            with gone as (
                update knowledge_documents set deleted_at = @now, updated_at = @now, next_attempt_at = @now
                where id = @id and bot_id = @bot and deleted_at is null
                returning id),
            chunks as (delete from knowledge_chunks c using gone where c.document_id = gone.id returning 1)
            select count(*) from gone
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("bot", botId);
        command.Parameters.AddWithValue("now", PostgresTime.Now(time).UtcDateTime);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    private static NpgsqlBatchCommand Command(string sql, params (string Name, object Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static KnowledgeDocument Read(NpgsqlDataReader reader, bool preview) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetString(4),
        reader.GetInt32(5),
        reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        new DateTimeOffset(reader.GetDateTime(8), TimeSpan.Zero),
        new DateTimeOffset(reader.GetDateTime(9), TimeSpan.Zero),
        preview ? reader.GetString(10) : null);
}
