using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>A system whose bots may hold small documents, and few of them, so that the limits are quick to reach.</summary>
public sealed class KnowledgeFixture : SystemFixture
{
    public const int MaxFileBytes = 64 * 1024;
    public const int MaxDocuments = 8;

    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["KNOWLEDGE_MAX_FILE_BYTES"] = MaxFileBytes.ToString();
        settings["KNOWLEDGE_MAX_DOCUMENTS_PER_BOT"] = MaxDocuments.ToString();
    }
}

/// <summary>
/// A bot's knowledge through the admin API and PostgreSQL (SPEC §9): each file type stored with its text and chunks the
/// bot's language finds, listed newest first, read with a preview, deleted for good; each unreadable upload refused with
/// its reason; the document limit; the roles and scopes of keys; the bot fields knowledge_language and vector_store_ids.
/// The upstream index is not part of this: these tests pass whatever the knowledge grain does.
/// </summary>
public sealed class KnowledgeApiTests(KnowledgeFixture fixture) : IClassFixture<KnowledgeFixture>
{
    private HttpClient Admin => fixture.Admin;

    private TestDatabase Database => fixture.System.Database;

    [Fact]
    public async Task EachFileTypeIsStoredListedPreviewedAndFoundInTheBotsLanguage()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la cocina.", new { knowledge_language = "spanish", metadata = new Dictionary<string, string>() });
        var files = new (string Name, string Type, byte[] Content, string Phrase, string Query)[]
        {
            ("menu.pdf", "application/pdf", KnowledgeFiles.Pdf("Paella valenciana los domingos", "Postres caseros"), "Paella valenciana los domingos", "paellas"),
            ("horario.docx", "application/octet-stream", KnowledgeFiles.Docx("Abrimos de martes a domingo.", "Cerramos los lunes festivos."), "Cerramos los lunes festivos.", "cerrado lunes"),
            ("faq.txt", "text/plain", Encoding.UTF8.GetBytes("\uFEFFAceptamos tarjetas de crédito\0 y efectivo."), "Aceptamos tarjetas de crédito y efectivo.", "tarjeta"),
            ("reservas.md", "text/markdown", Encoding.UTF8.GetBytes("# Reservas\n\nLas reservas se confirman por teléfono."), "Las reservas se confirman por teléfono.", "reserva confirmada"),
            ("precios.csv", "text/csv", Encoding.UTF8.GetBytes("plato,precio\ncroquetas,8\ngazpacho,6\n"), "croquetas,8", "croquetas"),
            ("carta.html", "text/html", Encoding.UTF8.GetBytes("<html><head><title>x</title><style>p{color:red}</style></head><body><script>var oculto = 1;</script><p>Pescado &amp; mariscos frescos</p><div>Vinos&nbsp;de la casa</div></body></html>"), "Pescado & mariscos frescos\n\nVinos de la casa", "mariscos"),
        };

        var ids = new List<string>();
        foreach (var file in files)
        {
            var response = await Admin.PostAsync($"/bots/{number}/knowledge", Upload(file.Name, file.Type, file.Content));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{file.Name}: {(int)response.StatusCode} {body}");
            var document = JsonNode.Parse(body)!.AsObject();
            Assert.StartsWith("kd_", (string)document["id"]!);
            Assert.Equal(response.Headers.Location!.OriginalString, $"/bots/{Uri.EscapeDataString(number)}/knowledge/{document["id"]}");
            Assert.Equal(file.Name, (string?)document["title"]);
            Assert.Equal(file.Name, (string?)document["file_name"]);
            Assert.Equal(file.Content.Length, (int)document["bytes"]!);
            Assert.Equal("processing", (string?)document["status"]);
            Assert.Null(document["error"]);
            Assert.NotNull(document["created_at"]);
            Assert.NotNull(document["updated_at"]);
            Assert.Null(document["text_preview"]);
            ids.Add((string)document["id"]!);
        }

        var list = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}/knowledge"))!;
        Assert.Equal(files.Length, (int)list["total"]!);
        Assert.Equal(Enumerable.Reverse(ids), list["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.False((bool)list["store_lost"]!);

        // The bot's knowledge grain indexes them in the bot's own vector store (the sandbox's), which the list names.
        list = await Eventually.WaitAsync(async () => (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}/knowledge"))!,
            l => l["items"]!.AsArray().All(i => (string?)i!["status"] == "ready"), TimeSpan.FromSeconds(60), "every document ready");
        Assert.StartsWith("vs_", (string?)list["vector_store_id"], StringComparison.Ordinal);
        Assert.False((bool)list["store_lost"]!);

        var page = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}/knowledge?offset=1&limit=2"))!;
        Assert.Equal([ids[^2], ids[^3]], page["items"]!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/bots/{number}/knowledge?limit=0")).StatusCode);

        for (var i = 0; i < files.Length; i++)
        {
            var document = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}/knowledge/{ids[i]}"))!;
            var preview = (string)document["text_preview"]!;
            Assert.Contains(files[i].Phrase, preview);
            Assert.False(preview.Contains('\0', StringComparison.Ordinal), "a NUL in the text");
            Assert.DoesNotContain("oculto", preview);
            Assert.DoesNotContain("color:red", preview);

            var found = await Database.ScalarAsync<long>(
                "select count(*) from knowledge_chunks where document_id = @id and bot_id = (select id from bots where phone_number = @number) and search @@ plainto_tsquery('spanish', @query)",
                ("id", ids[i]), ("number", number), ("query", files[i].Query));
            Assert.True(found > 0, $"{files[i].Name}: no chunk matches '{files[i].Query}'");
        }

        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (string?)list["items"]![4]!["content_type"]);
        Assert.Equal("text/html", (string?)list["items"]![0]!["content_type"]);
        // Each keeps its original bytes (the source of truth any index is rebuilt from).
        var kept = await Database.ScalarAsync<long>("select count(*) from knowledge_documents where id = any(@ids) and status = 'ready' and length(content) = bytes", ("ids", ids.ToArray()));
        Assert.Equal(files.Length, kept);
    }

    [Fact]
    public async Task ATextEntryIsStoredAsPlainTextAndALongOneInSeveralChunks()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la farmacia.");
        var sentences = Enumerable.Range(1, 60).Select(i => $"La farmacia número {i} abre a las nueve y cierra a las veinte horas.");
        var text = string.Join(" ", sentences);

        var response = await Admin.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = "  Horarios  ", text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Horarios", (string?)document["title"]);
        Assert.Null(document["file_name"]);
        Assert.Equal("text/plain", (string?)document["content_type"]);
        Assert.Equal(Encoding.UTF8.GetByteCount(text), (int)document["bytes"]!);

        var chunks = await Database.QueryAsync("select ordinal, text from knowledge_chunks where document_id = @id order by ordinal", ("id", (string)document["id"]!));
        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
        Assert.All(chunks, c => Assert.InRange(((string)c["text"]!).Length, 1, 1200));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => (int)c["ordinal"]!));
        Assert.All(chunks.SkipLast(1), c => Assert.EndsWith("horas.", (string)c["text"]!)); // cut at sentences
        // Every sentence is whole in some chunk.
        Assert.All(sentences, s => Assert.Contains(chunks, c => ((string)c["text"]!).Contains(s, StringComparison.Ordinal)));
        Assert.True(await Database.ScalarAsync<long>("select count(*) from knowledge_chunks where document_id = @id and search @@ plainto_tsquery('simple', 'farmacia')", ("id", (string)document["id"]!)) == chunks.Count);

        var missing = await Admin.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = " ", text = "algo" });
        await AssertInvalidAsync(missing, "title");
        var unknown = await Admin.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = "x", text = "y", tags = "z" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var blank = await Admin.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = "Vacío", text = " \n " });
        await AssertInvalidAsync(blank, "text", "required");
    }

    [Fact]
    public async Task EachUnreadableUploadIsRefusedWithItsReason()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        var url = $"/bots/{number}/knowledge";

        var unsupported = await Admin.PostAsync(url, Upload("foto.png", "image/png", [0x89, 0x50, 0x4E, 0x47]));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        Assert.Contains(".docx", await unsupported.Content.ReadAsStringAsync());

        var plain = await Admin.PostAsync(url, new StringContent("hola", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);

        var large = await Admin.PostAsync(url, Upload("grande.txt", "text/plain", Encoding.UTF8.GetBytes(new string('a', KnowledgeFixture.MaxFileBytes + 1))));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("64 KiB", await large.Content.ReadAsStringAsync());
        var largeText = await Admin.PostAsJsonAsync(url, new { title = "Grande", text = new string('a', KnowledgeFixture.MaxFileBytes + 1) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, largeText.StatusCode);

        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("vacio.txt", "text/plain", [])), "file", "empty");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("latin1.txt", "text/plain", [0x63, 0x61, 0x66, 0xE9])), "file", "UTF-8");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("escaneado.pdf", "application/pdf", KnowledgeFiles.ScannedPdf())), "file", "scanned PDF without a text layer");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("roto.pdf", "application/pdf", Encoding.ASCII.GetBytes("%PDF-1.7\nnot really a pdf"))), "file", "could not be read");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("roto.docx", "application/octet-stream", Encoding.ASCII.GetBytes("PK\u0003\u0004 not a zip"))), "file", "could not be read");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("secreto.pdf", "application/pdf", KnowledgeFiles.EncryptedPdf())), "file", "encrypted");
        await AssertInvalidAsync(await Admin.PostAsync(url, Upload("solo-etiquetas.html", "text/html", Encoding.UTF8.GetBytes("<html><script>x()</script><p> </p></html>"))), "file", "no text");

        var noFile = new MultipartFormDataContent { { new StringContent("Sin archivo"), "title" } };
        await AssertInvalidAsync(await Admin.PostAsync(url, noFile), "file", "one file");

        Assert.Equal(0, await Database.ScalarAsync<long>("select count(*) from knowledge_documents where bot_id = (select id from bots where phone_number = @number)", ("number", number)));
    }

    [Fact]
    public async Task AFilesTitleAndATypedInEntrysFollowOneRule()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        var url = $"/bots/{number}/knowledge";
        var (longest, tooLong) = ("  " + new string('t', 200) + "  ", new string('t', 201));

        MultipartFormDataContent WithTitle(string title)
        {
            var upload = Upload("horario.txt", "text/plain", Encoding.UTF8.GetBytes("Abrimos a las nueve."));
            upload.Add(new StringContent(title), "title");
            return upload;
        }

        await AssertInvalidAsync(await Admin.PostAsync(url, WithTitle(tooLong)), "title", "title must be at most 200 characters");
        await AssertInvalidAsync(await Admin.PostAsJsonAsync(url, new { title = tooLong, text = "Abrimos a las nueve." }), "title", "title must be at most 200 characters");

        // Both are stored trimmed, and measured so.
        var file = await Admin.PostAsync(url, WithTitle(longest));
        Assert.Equal(HttpStatusCode.Created, file.StatusCode);
        Assert.Equal(longest.Trim(), (string?)JsonNode.Parse(await file.Content.ReadAsStringAsync())!["title"]);
        var text = await Admin.PostAsJsonAsync(url, new { title = longest, text = "Abrimos a las nueve." });
        Assert.Equal(HttpStatusCode.Created, text.StatusCode);
        Assert.Equal(longest.Trim(), (string?)JsonNode.Parse(await text.Content.ReadAsStringAsync())!["title"]);
    }

    [Fact]
    public async Task ABotHoldsAtMostItsLimitOfDocumentsAndADeletedOneFreesAPlace()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        var ids = new List<string>();
        for (var i = 0; i < KnowledgeFixture.MaxDocuments; i++)
        {
            ids.Add(await AddTextAsync(Admin, number, $"Documento {i}", $"Texto del documento {i}."));
        }

        var refused = await Admin.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = "Uno más", text = "No cabe." });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("KNOWLEDGE_MAX_DOCUMENTS_PER_BOT", await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}/knowledge/{ids[0]}")).StatusCode);
        await AddTextAsync(Admin, number, "Uno más", "Ahora sí cabe.");
    }

    [Fact]
    public async Task ADeletedDocumentIsNeverReadOrSearchedAgainAndWaitsForRemovalUpstream()
    {
        var number = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        await TestBots.CreateAsync(Admin, other, "Eres otra tienda.");
        var id = await AddTextAsync(Admin, number, "Ofertas", "Descuento de invierno en abrigos.");
        var others = await AddTextAsync(Admin, other, "Ofertas", "Descuento de verano.");

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}/knowledge/{others}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/bots/{number}/knowledge/{others}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}/knowledge/kd_0000000000000000")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}/knowledge/not-an-id")).StatusCode);

        var before = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/bots/{number}/knowledge/{id}")).StatusCode);
        var list = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}/knowledge"))!;
        Assert.Equal(0, (int)list["total"]!);
        Assert.Empty(list["items"]!.AsArray());

        Assert.Equal(0, await Database.ScalarAsync<long>("select count(*) from knowledge_chunks where document_id = @id", ("id", id)));
        // The row stays, marked, until the bot's knowledge grain has removed the file upstream; then it goes.
        var row = (await Database.QueryAsync("select deleted_at, next_attempt_at from knowledge_documents where id = @id", ("id", id))).SingleOrDefault();
        if (row is not null)
        {
            Assert.NotNull(row["deleted_at"]);
            Assert.True((DateTime)row["next_attempt_at"]! >= before.UtcDateTime.AddSeconds(-5));
        }

        await Eventually.TrueAsync(async () => await Database.ScalarAsync<long>("select count(*) from knowledge_documents where id = @id", ("id", id)) == 0,
            TimeSpan.FromSeconds(60), "the deleted document removed upstream and from the table");

        Assert.Equal(1, (int)(await Admin.GetFromJsonAsync<JsonObject>($"/bots/{other}/knowledge"))!["total"]!);
        Assert.True(await Database.ScalarAsync<long>("select count(*) from knowledge_chunks where document_id = @id", ("id", others)) > 0);
    }

    [Fact]
    public async Task ReadKeysListAndReadManageKeysChangeAndNoKeySeesAnotherClientsBot()
    {
        var number = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        await TestBots.CreateAsync(Admin, other, "Eres otra tienda.");
        var id = await AddTextAsync(Admin, number, "Ofertas", "Descuento de invierno.");
        var othersId = await AddTextAsync(Admin, other, "Ofertas", "Descuento de verano.");

        var (_, readKey) = await TestKeys.CreateAsync(Admin, "read", number);
        using var reader = fixture.System.ClientFor(readKey);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/bots/{number}/knowledge")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/bots/{number}/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/bots/{number}/knowledge", new { title = "x", text = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.DeleteAsync($"/bots/{number}/knowledge/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync($"/bots/{number}/knowledge/reindex", null)).StatusCode);

        var (_, manageKey) = await TestKeys.CreateAsync(Admin, "manage", number);
        using var manager = fixture.System.ClientFor(manageKey);
        var added = await manager.PostAsync($"/bots/{number}/knowledge", Upload("menu.pdf", "application/pdf", KnowledgeFiles.Pdf("Menu del dia")));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await manager.DeleteAsync($"/bots/{number}/knowledge/{id}")).StatusCode);

        foreach (var client in new[] { reader, manager })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/bots/{other}/knowledge")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/bots/{other}/knowledge/{othersId}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/bots/{other}/knowledge", new { title = "x", text = "y" })).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/bots/{other}/knowledge/{othersId}")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{SystemFixture.NewBotNumber()}/knowledge")).StatusCode);
        await Eventually.TrueAsync(async () => await Database.ScalarAsync<long>(
            "select count(*) from audit_log where action like 'POST /bots/{number}/knowledge%' and bot_number = @number and status in (201, 403)",
            ("number", number)) >= 2, TimeSpan.FromSeconds(10), "the knowledge writes and refusals audited");
    }

    [Fact]
    public async Task VectorStoreIdsAreTheAdminKeysAndNeverAnotherBots()
    {
        var number = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        await TestBots.CreateAsync(Admin, other, "Eres otra tienda.", new { vector_store_ids = new[] { "vs_other_1" } });

        var bot = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        Assert.Equal("[]", bot["vector_store_ids"]!.ToJsonString());
        bot["vector_store_ids"] = new JsonArray("vs_migrated_A1", "vs_migrated_B2");
        var set = await Admin.PutAsJsonAsync($"/bots/{number}", bot);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        bot = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        Assert.Equal("""["vs_migrated_A1","vs_migrated_B2"]""", bot["vector_store_ids"]!.ToJsonString());

        var (_, manageKey) = await TestKeys.CreateAsync(Admin, "manage", number);
        using var manager = fixture.System.ClientFor(manageKey);
        var asRead = (await manager.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        asRead["instructions"] = "Eres la tienda de siempre.";
        Assert.Equal(HttpStatusCode.OK, (await manager.PutAsJsonAsync($"/bots/{number}", asRead)).StatusCode);
        asRead["vector_store_ids"] = new JsonArray("vs_migrated_A1");
        var refused = await manager.PutAsJsonAsync($"/bots/{number}", asRead);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("vector_store_ids", await refused.Content.ReadAsStringAsync());

        bot = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        bot["vector_store_ids"] = new JsonArray("vs_migrated_A1", "vs_other_1");
        var taken = await Admin.PutAsJsonAsync($"/bots/{number}", bot);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("vector_store_ids", await taken.Content.ReadAsStringAsync());
        var third = SystemFixture.NewBotNumber();
        var created = await Admin.PostAsJsonAsync("/bots", new { name = "Tercero", twilio_phone_number = third, vector_store_ids = new[] { "vs_migrated_B2" } });
        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Equal("""["vs_migrated_A1","vs_migrated_B2"]""", (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!["vector_store_ids"]!.ToJsonString());

        // A bot's own store upstream is its own too.
        var otherId = (string)(await Admin.GetFromJsonAsync<JsonObject>($"/bots/{other}"))!["id"]!;
        await Database.ExecuteAsync($"insert into knowledge_stores (bot_id, vector_store_id) values ('{otherId}', 'vs_others_own')");
        bot["vector_store_ids"] = new JsonArray("vs_others_own");
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PutAsJsonAsync($"/bots/{number}", bot)).StatusCode);

        bot["vector_store_ids"] = new JsonArray("not-a-store");
        await AssertInvalidAsync(await Admin.PutAsJsonAsync($"/bots/{number}", bot), "vector_store_ids");
        bot["vector_store_ids"] = new JsonArray(Enumerable.Range(0, 17).Select(i => (JsonNode)$"vs_{i}").ToArray());
        await AssertInvalidAsync(await Admin.PutAsJsonAsync($"/bots/{number}", bot), "vector_store_ids");
        bot["vector_store_ids"] = new JsonArray("vs_same", "vs_same");
        await AssertInvalidAsync(await Admin.PutAsJsonAsync($"/bots/{number}", bot), "vector_store_ids");

        // Backups carry both fields back.
        var backup = (await Admin.GetFromJsonAsync<JsonArray>("/bots"))!.Single(b => (string?)b!["twilio_phone_number"] == number)!.AsObject();
        Assert.Equal("""["vs_migrated_A1","vs_migrated_B2"]""", backup["vector_store_ids"]!.ToJsonString());
        Assert.Equal("simple", (string?)backup["knowledge_language"]);
        var import = await Admin.PostAsJsonAsync("/bots/import", new JsonArray(backup.DeepClone()));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        Assert.Contains("\"updated\":1", await import.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task KnowledgeLanguageIsATextSearchConfigurationAndChangingItReReadsTheChunks()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la tienda.");
        var bot = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        Assert.Equal("simple", (string?)bot["knowledge_language"]);

        bot["knowledge_language"] = "klingon";
        await AssertInvalidAsync(await Admin.PutAsJsonAsync($"/bots/{number}", bot), "knowledge_language", "spanish");

        var id = await AddTextAsync(Admin, number, "Envíos", "Shipping is free for orders over fifty dollars.");
        const string Matches = "select count(*) from knowledge_chunks where document_id = @id and search @@ plainto_tsquery('english', 'orders shipped')";
        Assert.Equal(0, await Database.ScalarAsync<long>(Matches, ("id", id)));

        bot["knowledge_language"] = "english";
        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/bots/{number}", bot)).StatusCode);
        Assert.Equal("english", (string?)(await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!["knowledge_language"]);
        Assert.Equal(1, await Database.ScalarAsync<long>(Matches, ("id", id)));
    }

    private static async Task<string> AddTextAsync(HttpClient client, string number, string title, string text)
    {
        var response = await client.PostAsJsonAsync($"/bots/{number}/knowledge", new { title, text });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {body}");
        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static MultipartFormDataContent Upload(string fileName, string contentType, byte[] content)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response, string field, string? reason = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), body);
        if (reason is not null)
        {
            Assert.Contains(reason, messages[0].GetString()!);
        }
    }
}
