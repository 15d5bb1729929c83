using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>A document being indexed when its silo dies (-9) is finished by the next silo, without a second upload.</summary>
public sealed class KnowledgeCrashTests
{
    [Fact]
    public async Task AKill9WhileADocumentIsIndexingIsResumedFromTheTableWithOneUploadAndOneStore()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        cluster.ExtraSettings["KNOWLEDGE_SWEEP_SECONDS"] = "2";
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558880050";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Librería", twilio_phone_number = bot, instructions = "Libros" })).StatusCode);

        // OpenAI holds the file in_progress: the silo dies between the upload and the end of indexing.
        cluster.Upstreams.Knowledge.HoldIngestion = true;
        var created = await http.PostAsJsonAsync($"/bots/{bot}/knowledge", new { title = "Horario", text = "Abrimos de lunes a viernes de 10:00 a 19:00." });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Eventually.TrueAsync(() => Task.FromResult(cluster.Upstreams.Knowledge.Stores.Any(s => s.FileIds.Count == 1)), TimeSpan.FromSeconds(60),
            "the document uploaded and added to the bot's store");
        Assert.Equal("processing", (await http.GetFromJsonAsync<JsonElement>($"/bots/{bot}/knowledge/{id}")).GetProperty("status").GetString());
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        cluster.Upstreams.Knowledge.HoldIngestion = false;

        // A new silo's sweep finds the document still processing in the table and its grain carries on from its record.
        cluster.StartSilo("silo-b");
        // (Read from the table: while the dead silo is not yet declared dead, the admin API's bot lookups answer 503.)
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<string>($"select status from knowledge_documents where id = '{id}'") == "ready",
            TimeSpan.FromMinutes(3), "the document ready after the restart");

        Assert.Single(cluster.Upstreams.Knowledge.Files, f => !f.Deleted);
        var store = Assert.Single(cluster.Upstreams.Knowledge.Stores, s => !s.Deleted);
        Assert.Single(store.FileIds);
        Assert.Equal(store.Id, await cluster.Database.ScalarAsync<string>("select vector_store_id from knowledge_stores"));
    }
}
