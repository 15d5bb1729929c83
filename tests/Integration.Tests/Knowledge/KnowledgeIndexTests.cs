using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Knowledge;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox.Knowledge;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>
/// The upstream index of a bot's knowledge, proven on the grains against the sandbox's Files and Vector Stores: rows
/// written as the admin API writes them (processing, due now) become ready with their file in one store per bot,
/// deletions go upstream and then from the table, OpenAI's ingestion failure is the document's reason, a store deleted
/// upstream is marked and rebuilt by a reindex, and a silo killed mid-indexing leaves work the other finishes without
/// uploading again. The tests of the class share one sandbox: each starts with its switches off, and looks only at the
/// stores tagged with its own bot and the files its own documents became.
/// </summary>
public sealed class KnowledgeIndexTests(KnowledgeCluster fixture) : IClassFixture<KnowledgeCluster>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private SandboxKnowledge Upstream => fixture.Upstreams.Knowledge;

    public ValueTask InitializeAsync()
    {
        Upstream.Reset();
        fixture.Upstreams.OpenAI.Reset();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Upstream.Reset();
        fixture.Upstreams.OpenAI.Reset();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task ADocumentIsIndexedReadyWithItsFileInTheBotsOneRecordedStore()
    {
        var bot = await CreateBotAsync("Panadería Sol");
        var document = await InsertTextAsync(bot, "Horario " + bot, "Abrimos de 8 a 20.");

        await Knowledge(bot).WakeAsync();
        var row = await WaitForStatusAsync(document, "ready");

        Assert.Null(row["error"]);
        var fileId = Assert.IsType<string>(row["openai_file_id"]);
        var store = Assert.Single(StoresOf(bot));
        Assert.Equal("Panadería Sol", store.Name);
        Assert.Equal([fileId], store.FileIds);
        Assert.Equal(store.Id, await StoreOfAsync(bot));
        Assert.Equal(fileId, Assert.Single(Upstream.Files, file => file.Filename == "Horario " + bot + ".txt").Id);
        await Eventually.TrueAsync(async () => await fixture.Database.ScalarAsync<long>("select usage_bytes from knowledge_stores where bot_id = @bot", ("bot", bot)) > 0,
            Patience, "the store's usage to be read");
    }

    [Fact]
    public async Task TwoDocumentsShareOneStoreAndACsvGoesUpAsText()
    {
        var bot = await CreateBotAsync("Farmacia");
        var menu = await InsertFileAsync(bot, "Carta", "carta.md", "text/markdown", "# Carta\nPan 1 €");
        var prices = await InsertFileAsync(bot, "Precios", "precios.csv", "text/csv", "producto,precio\npan,1");

        await Knowledge(bot).WakeAsync();
        var first = await WaitForStatusAsync(menu, "ready");
        var second = await WaitForStatusAsync(prices, "ready");

        var store = Assert.Single(StoresOf(bot));
        Assert.Equal(new[] { first["openai_file_id"], second["openai_file_id"] }.Order(), store.FileIds.Order<object?>());
        Assert.Equal("carta.md", Upload((string)first["openai_file_id"]!).Filename);
        Assert.Equal("precios.txt", Upload((string)second["openai_file_id"]!).Filename);
    }

    [Fact]
    public async Task ADeletedDocumentIsRemovedUpstreamAndThenItsRowGoes()
    {
        var bot = await CreateBotAsync("Ferretería");
        var kept = await InsertTextAsync(bot, "Garantía", "Dos años.");
        var deleted = await InsertTextAsync(bot, "Envíos", "Gratis desde 50 €.");
        await Knowledge(bot).WakeAsync();
        await WaitForStatusAsync(kept, "ready");
        var fileId = (string)(await WaitForStatusAsync(deleted, "ready"))["openai_file_id"]!;
        var storeId = await StoreOfAsync(bot);

        // Deleted as the admin API deletes: a tombstone due now. And one deleted before it was ever uploaded.
        var never = await InsertTextAsync(bot, "Borrador " + bot, "nunca subido", deletedNow: true);
        await fixture.Database.ScalarAsync<int>("update knowledge_documents set deleted_at = now(), next_attempt_at = now() where id = @id returning 1", ("id", deleted));
        await Knowledge(bot).WakeAsync();

        await Eventually.TrueAsync(async () => await CountAsync("select count(*) from knowledge_documents where id = any(@ids)", ("ids", new[] { deleted, never })) == 0,
            Patience, "the deleted documents' rows to go");
        Assert.False(FileExists(fileId));
        Assert.DoesNotContain(fileId, FilesIn(storeId!)!.Keys);
        Assert.Single(FilesIn(storeId!)!);
        Assert.DoesNotContain(Upstream.Files, file => file.Filename == "Borrador " + bot + ".txt");
        Assert.Equal("ready", (await RowAsync(kept))["status"]);
    }

    [Fact]
    public async Task AnIngestionFailureFailsTheDocumentWithOpenAIsReasonAndAReindexMakesItReady()
    {
        var bot = await CreateBotAsync("Óptica");
        Upstream.FailAllFiles = true;
        string document;
        try
        {
            document = await InsertTextAsync(bot, "Lentes", "Graduadas y de sol.");
            await Knowledge(bot).WakeAsync();
            var failed = await WaitForStatusAsync(document, "failed");
            Assert.Equal(SandboxKnowledge.FailureMessage, failed["error"]);
        }
        finally
        {
            Upstream.FailAllFiles = false;
        }

        var oldStore = await StoreOfAsync(bot);
        var oldFile = (string)(await RowAsync(document))["openai_file_id"]!;
        await Knowledge(bot).ReindexAsync();
        var ready = await WaitForStatusAsync(document, "ready");

        Assert.Null(ready["error"]);
        Assert.NotEqual(oldFile, ready["openai_file_id"]);
        var newStore = await StoreOfAsync(bot);
        Assert.NotEqual(oldStore, newStore);
        Assert.Equal(newStore, Assert.Single(StoresOf(bot)).Id);
        await Eventually.TrueAsync(() => Task.FromResult(!FileExists(oldFile)), Patience, "the old file to be deleted upstream");
    }

    [Fact]
    public async Task AStoreDeletedUpstreamIsMarkedLostAndAReindexRebuildsIt()
    {
        var bot = await CreateBotAsync("Librería");
        using var metrics = new RecordedMetrics(() => RecordedMetrics.Silos(fixture.Grains.Cluster.Silos));
        var first = await InsertTextAsync(bot, "Novedades", "Llegan los jueves.");
        await Knowledge(bot).WakeAsync();
        await WaitForStatusAsync(first, "ready");
        var lostStore = await StoreOfAsync(bot);
        Assert.True(Upstream.DeleteStore(lostStore!));

        // The next document finds the store gone: the bot's store is marked, its documents say so, nothing breaks.
        var second = await InsertTextAsync(bot, "Encargos", "En 48 horas.");
        await Knowledge(bot).WakeAsync();
        await Eventually.TrueAsync(async () => (await StoreRowAsync(bot))["lost_at"] is not null, Patience, "the store to be marked lost");
        var store = await StoreRowAsync(bot);
        Assert.Equal(KnowledgeGrain.StoreLostReason, store["error"]);
        var stillReady = await RowAsync(first);
        Assert.Equal("ready", stillReady["status"]);
        Assert.Equal(KnowledgeGrain.StoreLostReason, stillReady["error"]);
        var failed = await WaitForStatusAsync(second, "failed");
        Assert.Equal(KnowledgeGrain.StoreLostReason, failed["error"]);

        // Counted once, under the bot's number; a turn's report of the same store changes nothing more.
        var number = await fixture.Database.ScalarAsync<string>("select phone_number from bots where id = @bot", ("bot", bot));
        Assert.Equal(1, metrics.Total("horizonai.knowledge.store_lost", ("bot", number)));
        await Knowledge(bot).StoreLostAsync(lostStore!);
        Assert.Equal(1, metrics.Total("horizonai.knowledge.store_lost", ("bot", number)));

        await Knowledge(bot).ReindexAsync();
        await WaitForStatusAsync(first, "ready", withoutError: true);
        await WaitForStatusAsync(second, "ready", withoutError: true);
        var rebuilt = await StoreRowAsync(bot);
        Assert.Null(rebuilt["lost_at"]);
        Assert.Null(rebuilt["error"]);
        Assert.NotEqual(lostStore, rebuilt["vector_store_id"]);
        Assert.Equal(2, FilesIn((string)rebuilt["vector_store_id"]!)!.Count);
    }

    [Fact]
    public async Task ATurnReportingTheStoreGoneMarksItLost()
    {
        var bot = await CreateBotAsync("Vinoteca");
        var document = await InsertTextAsync(bot, "Catas", "Viernes a las 19.");
        await Knowledge(bot).WakeAsync();
        await WaitForStatusAsync(document, "ready");
        var storeId = await StoreOfAsync(bot);

        await Knowledge(bot).StoreLostAsync("vs_not_this_bots");
        Assert.Null((await StoreRowAsync(bot))["lost_at"]);

        await Knowledge(bot).StoreLostAsync(storeId!);
        Assert.NotNull((await StoreRowAsync(bot))["lost_at"]);
        Assert.Equal(KnowledgeGrain.StoreLostReason, (await RowAsync(document))["error"]);
    }

    [Fact]
    public async Task ASiloKilledWhileAFileIsIndexingLeavesWorkTheOtherFinishesWithoutASecondUpload()
    {
        var bot = await CreateBotAsync("Zapatería");
        Upstream.HoldIngestion = true;
        string document;
        string fileId;
        Orleans.Runtime.SiloAddress? killed;
        try
        {
            document = await InsertTextAsync(bot, "Tallas " + bot, "Del 35 al 46.");
            await Knowledge(bot).WakeAsync();
            fileId = (string)(await Eventually.WaitAsync(() => RowAsync(document), row => row["openai_file_id"] is not null, Patience, "the file to be recorded"))["openai_file_id"]!;
            await Eventually.TrueAsync(async () => await StoreOfAsync(bot) is { } store && FilesIn(store)?.GetValueOrDefault(fileId) == KnowledgeStoreFile.InProgress,
                Patience, "the file to be indexing in the bot's store");

            killed = await fixture.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetActivationAddress(Knowledge(bot));
            Assert.NotNull(killed);
            await fixture.Grains.Cluster.KillSiloAsync(fixture.Grains.Cluster.GetSiloForAddress(killed)!);
        }
        finally
        {
            Upstream.HoldIngestion = false;
        }

        // Nobody wakes it: the sweep of the silo left finds the document due and the grain comes back there.
        var row = await WaitForStatusAsync(document, "ready");
        Assert.Equal(fileId, row["openai_file_id"]);
        Assert.Equal(fileId, Assert.Single(Upstream.Files, file => file.Filename == "Tallas " + bot + ".txt").Id);
        Assert.Single(StoresOf(bot));
        var newHost = await fixture.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetActivationAddress(Knowledge(bot));
        Assert.NotEqual(killed, newHost);
        await fixture.Grains.Cluster.StartAdditionalSiloAsync(); // two silos again for the other tests
    }

    [Fact]
    public async Task AnUnavailableUpstreamIsTriedAgainLaterAndTheDocumentFailsWithTheReasonAtTheBound()
    {
        var bot = await CreateBotAsync("Carnicería");
        string document;
        fixture.Upstreams.OpenAI.FailStatus = 503;
        fixture.Upstreams.OpenAI.FailNext = 1000;
        try
        {
            document = await InsertTextAsync(bot, "Cortes " + bot, "Lomo, falda y costilla.");
            await Knowledge(bot).WakeAsync();

            // The first failure is an attempt counted and a retry scheduled, its reason shown while it waits.
            var waiting = await Eventually.WaitAsync(() => RowAsync(document), row => (int)row["attempts"]! == 1, Patience, "the first attempt to be counted");
            Assert.Equal("processing", waiting["status"]);
            Assert.StartsWith("OpenAI http_503", (string)waiting["error"]!, StringComparison.Ordinal);

            var failed = await WaitForStatusAsync(document, "failed");
            Assert.StartsWith("OpenAI http_503", (string)failed["error"]!, StringComparison.Ordinal);
            Assert.EndsWith("(after 2 attempts)", (string)failed["error"]!, StringComparison.Ordinal);
            Assert.DoesNotContain(Upstream.Files, file => file.Filename == "Cortes " + bot + ".txt");
        }
        finally
        {
            fixture.Upstreams.OpenAI.Reset();
        }

        await Knowledge(bot).ReindexAsync();
        await WaitForStatusAsync(document, "ready", withoutError: true);
    }

    [Fact]
    public async Task APurgeDeletesTheStoreTheFilesAndEveryRow()
    {
        var bot = await CreateBotAsync("Floristería");
        var document = await InsertTextAsync(bot, "Ramos", "Por encargo.");
        await Knowledge(bot).WakeAsync();
        var fileId = (string)(await WaitForStatusAsync(document, "ready"))["openai_file_id"]!;
        var storeId = await StoreOfAsync(bot);

        await Knowledge(bot).PurgeAsync();

        Assert.False(FileExists(fileId));
        Assert.Null(FilesIn(storeId!));
        Assert.Equal(0, await CountAsync("select count(*) from knowledge_documents where bot_id = @bot", ("bot", bot)));
        Assert.Equal(0, await CountAsync("select count(*) from knowledge_stores where bot_id = @bot", ("bot", bot)));
    }

    private IKnowledgeGrain Knowledge(string botId) => fixture.Client.GetGrain<IKnowledgeGrain>(botId);

    /// <summary>The live vector stores tagged with the bot (metadata <c>bot</c> = its id, as the grain makes them).</summary>
    private IReadOnlyList<KnowledgeStore> StoresOf(string botId) =>
        [.. Upstream.Stores.Where(store => !store.Deleted && store.Metadata.GetValueOrDefault("bot") == botId)];

    /// <summary>The live store's files with their status; null when it was never made or was deleted.</summary>
    private IReadOnlyDictionary<string, string>? FilesIn(string vectorStoreId) =>
        Upstream.Stores.SingleOrDefault(store => store.Id == vectorStoreId && !store.Deleted)?.Files.ToDictionary(file => file.FileId, file => file.Status);

    /// <summary>The file uploaded with this id, deleted or not.</summary>
    private UploadedFile Upload(string fileId) => Assert.Single(Upstream.Files, file => file.Id == fileId);

    /// <summary>Uploaded and not deleted.</summary>
    private bool FileExists(string fileId) => Upstream.Files.Any(file => file.Id == fileId && !file.Deleted);

    /// <summary>Creates a bot as the admin API does; returns its id (the knowledge grain's key).</summary>
    private async Task<string> CreateBotAsync(string name)
    {
        var number = SystemFixture.NewBotNumber();
        var result = await fixture.Client.GetGrain<IBotGrain>(number).SaveAsync(new BotDefinition { Name = name, PhoneNumber = number, Instructions = name }, BotWriteMode.Create);
        Assert.Equal(BotWriteOutcome.Created, result.Outcome);
        return result.Bot!.Id!;
    }

    private Task<string> InsertTextAsync(string botId, string title, string text, bool deletedNow = false) =>
        InsertAsync(botId, title, null, "text/plain", text, deletedNow);

    private Task<string> InsertFileAsync(string botId, string title, string fileName, string contentType, string text) =>
        InsertAsync(botId, title, fileName, contentType, text, deletedNow: false);

    /// <summary>A document row as the admin API writes it: processing, its bytes and extracted text, due now.</summary>
    private async Task<string> InsertAsync(string botId, string title, string? fileName, string contentType, string text, bool deletedNow)
    {
        var id = "kd_" + Guid.NewGuid().ToString("N")[..20];
        var content = System.Text.Encoding.UTF8.GetBytes(text);
        await fixture.Database.ScalarAsync<int>("""
            insert into knowledge_documents (id, bot_id, title, file_name, content_type, bytes, content, text, status, next_attempt_at, created_at, updated_at, deleted_at)
            values (@id, @bot, @title, @file, @type, @bytes, @content, @text, 'processing', now(), now(), now(), case when @deleted then now() end)
            returning 1
            """, ("id", id), ("bot", botId), ("title", title), ("file", (object?)fileName ?? DBNull.Value), ("type", contentType), ("bytes", content.Length),
            ("content", content), ("text", text), ("deleted", deletedNow));
        return id;
    }

    private async Task<Dictionary<string, object?>> RowAsync(string documentId) =>
        (await fixture.Database.QueryAsync("select status, error, openai_file_id, attempts from knowledge_documents where id = @id", ("id", documentId))).Single();

    private async Task<Dictionary<string, object?>> StoreRowAsync(string botId) =>
        (await fixture.Database.QueryAsync("select vector_store_id, usage_bytes, lost_at, error from knowledge_stores where bot_id = @bot", ("bot", botId))).Single();

    private async Task<string?> StoreOfAsync(string botId) =>
        (await fixture.Database.QueryAsync("select vector_store_id from knowledge_stores where bot_id = @bot", ("bot", botId))).SingleOrDefault()?["vector_store_id"] as string;

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) => await fixture.Database.ScalarAsync<long>(sql, parameters);

    private Task<Dictionary<string, object?>> WaitForStatusAsync(string documentId, string status, bool withoutError = false) =>
        Eventually.WaitAsync(() => RowAsync(documentId), row => (string?)row["status"] == status && (!withoutError || row["error"] is null), Patience,
            $"document {documentId} to be {status}");
}
