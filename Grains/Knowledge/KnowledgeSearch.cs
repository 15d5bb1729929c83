using System.Collections.Concurrent;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Storage;
using Npgsql;

namespace HorizonAI.Grains.Knowledge;

/// <summary>What a turn may search of its bot's knowledge.</summary>
/// <param name="VectorStoreIds">For the Responses API's hosted <c>file_search</c>: the bot's own vector store when it is
/// there and holds a ready document, and the bot's <c>vector_store_ids</c>.</param>
/// <param name="HasDocuments">Whether the bot has documents to search with PostgreSQL's full-text search (Chat Completions).</param>
public sealed record KnowledgeScope(IReadOnlyList<string> VectorStoreIds, bool HasDocuments)
{
    public static readonly KnowledgeScope None = new([], false);
}

/// <summary>A piece of a document that matched a search, best first.</summary>
public sealed record KnowledgeHit(string DocumentId, string Title, string Text, double Rank);

/// <summary>
/// A bot's knowledge as its turns see it, read straight from the pool: the scope of a turn (kept for a few seconds
/// per bot, so a burst of turns reads it once), the platform's own full-text search over the bot's chunks, and the
/// documents behind the files OpenAI cited. Every statement names the bot's id:
/// a document is only ever searched for its own bot.
/// </summary>
public sealed class KnowledgeSearch(NpgsqlDataSource dataSource, TimeProvider time)
{
    private static readonly TimeSpan ScopeLifetime = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (KnowledgeScope Scope, DateTimeOffset At)> _scopes = new(StringComparer.Ordinal);

    public async Task<KnowledgeScope> ScopeAsync(BotDefinition bot, CancellationToken cancellationToken)
    {
        if (bot.Id is not { } botId)
        {
            return KnowledgeScope.None;
        }

        if (_scopes.TryGetValue(botId, out var cached) && time.GetUtcNow() - cached.At < ScopeLifetime)
        {
            return WithBotsStores(cached.Scope, bot);
        }

        var (ownStore, hasDocuments) = await BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                select (select s.vector_store_id from knowledge_stores s
                        where s.bot_id = @bot and s.lost_at is null and s.vector_store_id is not null
                          and exists (select 1 from knowledge_documents d where d.bot_id = @bot and d.status = 'ready' and d.deleted_at is null)),
                       exists (select 1 from knowledge_chunks c where c.bot_id = @bot)
                """);
            command.Parameters.AddWithValue("bot", botId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.GetBoolean(1));
        });
        var own = new KnowledgeScope(ownStore is null ? [] : [ownStore], hasDocuments);
        _scopes[botId] = (own, time.GetUtcNow());
        return WithBotsStores(own, bot);
    }

    /// <summary>The bot's own store (cached) and the stores its configuration names (current).</summary>
    private static KnowledgeScope WithBotsStores(KnowledgeScope own, BotDefinition bot) =>
        own with { VectorStoreIds = [.. own.VectorStoreIds.Concat(bot.VectorStoreIds).Distinct()] };

    /// <summary>
    /// The bot's chunks that share words with <paramref name="query"/> (any of them, stemmed in the bot's
    /// <c>knowledge_language</c>), best first by <c>ts_rank_cd</c>.
    /// </summary>
    public Task<IReadOnlyList<KnowledgeHit>> SearchAsync(BotDefinition bot, string query, int limit, CancellationToken cancellationToken) =>
        BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            // A question's words joined with "or": a document that has some of them is found, the more the better.
            await using var command = dataSource.CreateCommand("""
                with q as (
                    select nullif(replace(plainto_tsquery(@language::regconfig, @query)::text, ' & ', ' | '), '')::tsquery as words)
                select c.document_id, d.title, c.text, ts_rank_cd(c.search, q.words) as rank
                from q, knowledge_chunks c
                join knowledge_documents d on d.id = c.document_id and d.bot_id = c.bot_id
                where q.words is not null and c.bot_id = @bot and d.deleted_at is null and c.search @@ q.words
                order by rank desc, c.document_id, c.ordinal
                limit @limit
                """);
            command.Parameters.AddWithValue("bot", bot.Id ?? "");
            command.Parameters.AddWithValue("language", bot.KnowledgeLanguage);
            command.Parameters.AddWithValue("query", query);
            command.Parameters.AddWithValue("limit", limit);
            var hits = new List<KnowledgeHit>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                hits.Add(new KnowledgeHit(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFloat(3)));
            }

            return (IReadOnlyList<KnowledgeHit>)hits;
        });

    /// <summary>The documents behind the files an answer cited: ours by their OpenAI file id, another store's by the file's name.</summary>
    public async Task<IReadOnlyList<KnowledgeSource>> SourcesOfFilesAsync(BotDefinition bot, IReadOnlyList<(string FileId, string? FileName)> files, CancellationToken cancellationToken)
    {
        if (files.Count == 0)
        {
            return [];
        }

        var ours = await BrokenConnections.RetryOnceAsync(dataSource, async () =>
        {
            await using var command = dataSource.CreateCommand("""
                select openai_file_id, id, title from knowledge_documents where bot_id = @bot and openai_file_id = any(@files)
                """);
            command.Parameters.AddWithValue("bot", bot.Id ?? "");
            command.Parameters.AddWithValue("files", files.Select(f => f.FileId).Distinct().ToArray());
            var found = new Dictionary<string, KnowledgeSource>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[reader.GetString(0)] = new KnowledgeSource(reader.GetString(1), reader.GetString(2));
            }

            return found;
        });
        return [.. files
            .Select(f => ours.TryGetValue(f.FileId, out var source) ? source : new KnowledgeSource(null, f.FileName ?? f.FileId))
            .DistinctBy(s => (s.Id, s.Title))];
    }

    /// <summary>Drops the bot's cached scope: the next turn reads it again (e.g. after its store was found gone).</summary>
    public void Forget(BotDefinition bot)
    {
        if (bot.Id is { } botId)
        {
            _scopes.TryRemove(botId, out _);
        }
    }
}
