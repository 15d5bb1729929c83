using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using Npgsql;
using NpgsqlTypes;

namespace HorizonAI.Grains.Storage;

/// <summary>
/// The <c>bots</c> table in PostgreSQL; listing is one indexed query, which stays fast at 10,000 bots.
/// </summary>
public sealed class BotStore(NpgsqlDataSource dataSource, TimeProvider time) : IBotStore
{
    private const string Columns =
        "phone_number, name, assistant_id, instructions, model, enabled, debounce_ms, fallback_message, typing_indicator, metadata, created_at, updated_at, " +
        "transcription_model, unreadable_media_message, opt_out_keywords, opt_in_keywords, opt_out_message, opt_in_message, " +
        "handoff_keywords, handoff_tool, handoff_message, handoff_webhook_url, handoff_webhook_secret, auto_resume_minutes, reset_keyword, reset_message, " +
        "templates, reengagement_template, send_rate_per_second, id, version, retention_days, tools, tools_secret, mcp_servers, " +
        "knowledge_language, vector_store_ids";

    public Task<BotDefinition?> GetAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => GetCoreAsync(phoneNumber, cancellationToken));

    private async Task<BotDefinition?> GetCoreAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from bots where phone_number = @number");
        command.Parameters.AddWithValue("number", phoneNumber);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public Task<IReadOnlyList<BotDefinition>> ListAsync(CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => ListCoreAsync(cancellationToken));

    private async Task<IReadOnlyList<BotDefinition>> ListCoreAsync(CancellationToken cancellationToken)
    {
        var bots = new List<BotDefinition>();
        await using var command = dataSource.CreateCommand($"select {Columns} from bots order by phone_number");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            bots.Add(Read(reader));
        }

        return bots;
    }

    public Task<BotInsertOutcome> InsertAsync(BotDefinition bot, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => InsertCoreAsync(bot, cancellationToken));

    /// <summary>
    /// The bot and its identity in one transaction: a new id is recorded with its number; the id of a deleted bot of
    /// the same number is taken up again (its data re-attaches); an id that a live bot or another number has is refused.
    /// </summary>
    private async Task<BotInsertOutcome> InsertCoreAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var identity = new NpgsqlCommand("""
            insert into bot_identities (id, phone_number) values (@id, @phone_number)
            on conflict (id) do update set deleted_at = null
                where bot_identities.phone_number = excluded.phone_number and bot_identities.deleted_at is not null
            returning 1
            """, connection, transaction))
        {
            identity.Parameters.AddWithValue("id", bot.Id ?? throw new ArgumentException("A bot is stored with its id.", nameof(bot)));
            identity.Parameters.AddWithValue("phone_number", bot.PhoneNumber);
            if (await identity.ExecuteScalarAsync(cancellationToken) is null)
            {
                return BotInsertOutcome.IdTaken;
            }
        }

        if (await VectorStoreTakenAsync(connection, transaction, bot, cancellationToken))
        {
            return BotInsertOutcome.VectorStoreTaken;
        }

        await using var command = new NpgsqlCommand($"""
            insert into bots ({Columns})
            values (@phone_number, @name, @assistant_id, @instructions, @model, @enabled, @debounce_ms, @fallback_message,
                    @typing_indicator, @metadata, @created_at, @updated_at, @transcription_model, @unreadable_media_message,
                    @opt_out_keywords, @opt_in_keywords, @opt_out_message, @opt_in_message,
                    @handoff_keywords, @handoff_tool, @handoff_message, @handoff_webhook_url, @handoff_webhook_secret, @auto_resume_minutes,
                    @reset_keyword, @reset_message, @templates, @reengagement_template, @send_rate_per_second, @id, @version, @retention_days,
                    @tools, @tools_secret, @mcp_servers, @knowledge_language, @vector_store_ids)
            on conflict (phone_number) do nothing
            """, connection, transaction);
        Bind(command, bot);
        command.Parameters.AddWithValue("id", bot.Id);
        if (await command.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return BotInsertOutcome.NumberTaken;
        }

        // A restored bot takes its documents back: searched in the language it comes with.
        await ReindexChunksAsync(connection, transaction, bot, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        return BotInsertOutcome.Inserted;
    }

    public Task<BotUpdateOutcome> UpdateAsync(BotDefinition bot, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => UpdateCoreAsync(bot, cancellationToken));

    private async Task<BotUpdateOutcome> UpdateCoreAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        string language;
        await using (var current = new NpgsqlCommand("select knowledge_language from bots where phone_number = @phone_number for update", connection, transaction))
        {
            current.Parameters.AddWithValue("phone_number", bot.PhoneNumber);
            if (await current.ExecuteScalarAsync(cancellationToken) is not string stored)
            {
                return BotUpdateOutcome.NotFound;
            }

            language = stored;
        }

        if (await VectorStoreTakenAsync(connection, transaction, bot, cancellationToken))
        {
            return BotUpdateOutcome.VectorStoreTaken;
        }

        await using (var command = new NpgsqlCommand("""
            update bots set name = @name, assistant_id = @assistant_id, instructions = @instructions, model = @model,
                enabled = @enabled, debounce_ms = @debounce_ms, fallback_message = @fallback_message,
                typing_indicator = @typing_indicator, metadata = @metadata, updated_at = @updated_at,
                transcription_model = @transcription_model, unreadable_media_message = @unreadable_media_message,
                opt_out_keywords = @opt_out_keywords, opt_in_keywords = @opt_in_keywords, opt_out_message = @opt_out_message, opt_in_message = @opt_in_message,
                handoff_keywords = @handoff_keywords, handoff_tool = @handoff_tool, handoff_message = @handoff_message,
                handoff_webhook_url = @handoff_webhook_url, handoff_webhook_secret = @handoff_webhook_secret,
                auto_resume_minutes = @auto_resume_minutes, reset_keyword = @reset_keyword, reset_message = @reset_message,
                templates = @templates, reengagement_template = @reengagement_template, send_rate_per_second = @send_rate_per_second,
                version = @version, retention_days = @retention_days,
                tools = @tools, tools_secret = @tools_secret, mcp_servers = @mcp_servers,
                knowledge_language = @knowledge_language, vector_store_ids = @vector_store_ids
            where phone_number = @phone_number
            """, connection, transaction))
        {
            Bind(command, bot);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // The documents are searched in the bot's language from now on: their chunks are read again in it.
        if (language != bot.KnowledgeLanguage)
        {
            await ReindexChunksAsync(connection, transaction, bot, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return BotUpdateOutcome.Updated;
    }

    /// <summary>
    /// Whether another bot (live, or deleted with its documents kept) uses one of the bot's vector stores: listed in its
    /// <c>vector_store_ids</c>, or its own knowledge store. Writers that list vector stores take turns from here to
    /// their commit, so two bots cannot both claim the same store.
    /// </summary>
    private static async Task<bool> VectorStoreTakenAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BotDefinition bot, CancellationToken cancellationToken)
    {
        if (bot.VectorStoreIds.Length == 0)
        {
            return false;
        }

        await using var command = new NpgsqlCommand("""
            select pg_advisory_xact_lock(hashtextextended('bots:vector_store_ids', 0));
            select exists (select 1 from bots where id <> @id and vector_store_ids && @ids)
                or exists (select 1 from knowledge_stores where bot_id <> @id and vector_store_id = any(@ids));
            """, connection, transaction);
        command.Parameters.AddWithValue("id", bot.Id ?? throw new ArgumentException("A bot is stored with its id.", nameof(bot)));
        command.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bot.VectorStoreIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(0);
    }

    private static async Task ReindexChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BotDefinition bot, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "update knowledge_chunks set search = to_tsvector(@language::regconfig, text) where bot_id = @id", connection, transaction);
        command.Parameters.AddWithValue("language", bot.KnowledgeLanguage);
        command.Parameters.AddWithValue("id", bot.Id!);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<DeletedBot?> DeleteAsync(string phoneNumber, CancellationToken cancellationToken = default) =>
        BrokenConnections.RetryOnceAsync(dataSource, () => DeleteCoreAsync(phoneNumber, cancellationToken));

    /// <summary>The bot leaves; its id is kept as deleted (its data stays under it) and leaves every key's scope.</summary>
    private async Task<DeletedBot?> DeleteCoreAsync(string phoneNumber, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            with gone as (delete from bots where phone_number = @number returning id),
            marked as (update bot_identities i set deleted_at = @now from gone where i.id = gone.id returning 1),
            unscoped as (
                update api_keys k set bots = array_remove(k.bots, gone.id) from gone where gone.id = any(k.bots) returning k.id)
            select gone.id, array(select id from unscoped) from gone
            """);
        command.Parameters.AddWithValue("number", phoneNumber);
        command.Parameters.AddWithValue("now", PostgresTime.Now(time).UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new DeletedBot(reader.GetString(0), reader.GetFieldValue<string[]>(1)) : null;
    }

    private static void Bind(NpgsqlCommand command, BotDefinition bot)
    {
        command.Parameters.AddWithValue("phone_number", bot.PhoneNumber);
        command.Parameters.AddWithValue("name", bot.Name);
        command.Parameters.AddWithValue("assistant_id", (object?)bot.AssistantId ?? DBNull.Value);
        command.Parameters.AddWithValue("instructions", (object?)bot.Instructions ?? DBNull.Value);
        command.Parameters.AddWithValue("model", (object?)bot.Model ?? DBNull.Value);
        command.Parameters.AddWithValue("enabled", bot.Enabled);
        command.Parameters.AddWithValue("debounce_ms", bot.DebounceMs);
        command.Parameters.AddWithValue("fallback_message", (object?)bot.FallbackMessage ?? DBNull.Value);
        command.Parameters.AddWithValue("typing_indicator", bot.TypingIndicator);
        command.Parameters.Add(new NpgsqlParameter("metadata", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(bot.Metadata) });
        command.Parameters.AddWithValue("created_at", bot.CreatedAt.UtcDateTime);
        command.Parameters.AddWithValue("updated_at", bot.UpdatedAt.UtcDateTime);
        command.Parameters.AddWithValue("transcription_model", (object?)bot.TranscriptionModel ?? DBNull.Value);
        command.Parameters.AddWithValue("unreadable_media_message", (object?)bot.UnreadableMediaMessage ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("opt_out_keywords", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)bot.OptOutKeywords ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("opt_in_keywords", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)bot.OptInKeywords ?? DBNull.Value });
        command.Parameters.AddWithValue("opt_out_message", (object?)bot.OptOutMessage ?? DBNull.Value);
        command.Parameters.AddWithValue("opt_in_message", (object?)bot.OptInMessage ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("handoff_keywords", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = (object?)bot.HandoffKeywords ?? DBNull.Value });
        command.Parameters.AddWithValue("handoff_tool", bot.HandoffTool);
        command.Parameters.AddWithValue("handoff_message", (object?)bot.HandoffMessage ?? DBNull.Value);
        command.Parameters.AddWithValue("handoff_webhook_url", (object?)bot.HandoffWebhookUrl ?? DBNull.Value);
        command.Parameters.AddWithValue("handoff_webhook_secret", (object?)bot.HandoffWebhookSecret ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("auto_resume_minutes", NpgsqlDbType.Integer) { Value = (object?)bot.AutoResumeMinutes ?? DBNull.Value });
        command.Parameters.AddWithValue("reset_keyword", (object?)bot.ResetKeyword ?? DBNull.Value);
        command.Parameters.AddWithValue("reset_message", (object?)bot.ResetMessage ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("templates", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(bot.Templates) });
        command.Parameters.AddWithValue("reengagement_template", (object?)bot.ReengagementTemplate ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("send_rate_per_second", NpgsqlDbType.Integer) { Value = (object?)bot.SendRatePerSecond ?? DBNull.Value });
        command.Parameters.AddWithValue("version", bot.Version);
        command.Parameters.Add(new NpgsqlParameter("retention_days", NpgsqlDbType.Integer) { Value = (object?)bot.RetentionDays ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tools", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(bot.Tools) });
        command.Parameters.AddWithValue("tools_secret", (object?)bot.ToolsSecret ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("mcp_servers", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(bot.McpServers) });
        command.Parameters.AddWithValue("knowledge_language", bot.KnowledgeLanguage);
        command.Parameters.Add(new NpgsqlParameter("vector_store_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = bot.VectorStoreIds });
    }

    private static BotDefinition Read(NpgsqlDataReader reader) => new()
    {
        PhoneNumber = reader.GetString(0),
        Name = reader.GetString(1),
        AssistantId = reader.IsDBNull(2) ? null : reader.GetString(2),
        Instructions = reader.IsDBNull(3) ? null : reader.GetString(3),
        Model = reader.IsDBNull(4) ? null : reader.GetString(4),
        Enabled = reader.GetBoolean(5),
        DebounceMs = reader.GetInt32(6),
        FallbackMessage = reader.IsDBNull(7) ? null : reader.GetString(7),
        TypingIndicator = reader.GetBoolean(8),
        Metadata = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(9)) ?? [],
        CreatedAt = new DateTimeOffset(reader.GetDateTime(10), TimeSpan.Zero),
        UpdatedAt = new DateTimeOffset(reader.GetDateTime(11), TimeSpan.Zero),
        TranscriptionModel = reader.IsDBNull(12) ? null : reader.GetString(12),
        UnreadableMediaMessage = reader.IsDBNull(13) ? null : reader.GetString(13),
        OptOutKeywords = reader.IsDBNull(14) ? null : reader.GetFieldValue<string[]>(14),
        OptInKeywords = reader.IsDBNull(15) ? null : reader.GetFieldValue<string[]>(15),
        OptOutMessage = reader.IsDBNull(16) ? null : reader.GetString(16),
        OptInMessage = reader.IsDBNull(17) ? null : reader.GetString(17),
        HandoffKeywords = reader.IsDBNull(18) ? null : reader.GetFieldValue<string[]>(18),
        HandoffTool = reader.GetBoolean(19),
        HandoffMessage = reader.IsDBNull(20) ? null : reader.GetString(20),
        HandoffWebhookUrl = reader.IsDBNull(21) ? null : reader.GetString(21),
        HandoffWebhookSecret = reader.IsDBNull(22) ? null : reader.GetString(22),
        AutoResumeMinutes = reader.IsDBNull(23) ? null : reader.GetInt32(23),
        ResetKeyword = reader.IsDBNull(24) ? null : reader.GetString(24),
        ResetMessage = reader.IsDBNull(25) ? null : reader.GetString(25),
        Templates = JsonSerializer.Deserialize<MessageTemplate[]>(reader.GetString(26)) ?? [],
        ReengagementTemplate = reader.IsDBNull(27) ? null : reader.GetString(27),
        SendRatePerSecond = reader.IsDBNull(28) ? null : reader.GetInt32(28),
        Id = reader.GetString(29),
        Version = reader.GetInt64(30),
        RetentionDays = reader.IsDBNull(31) ? null : reader.GetInt32(31),
        Tools = JsonSerializer.Deserialize<FunctionTool[]>(reader.GetString(32)) ?? [],
        ToolsSecret = reader.IsDBNull(33) ? null : reader.GetString(33),
        McpServers = JsonSerializer.Deserialize<McpServer[]>(reader.GetString(34)) ?? [],
        KnowledgeLanguage = reader.GetString(35),
        VectorStoreIds = reader.GetFieldValue<string[]>(36),
    };
}
