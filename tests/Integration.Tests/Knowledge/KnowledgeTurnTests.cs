using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;
using HorizonAI.ServiceDefaults.Telemetry;

namespace HorizonAI.Integration.Tests.Knowledge;

/// <summary>Knowledge on the Responses path: the sandbox's vector stores index documents within moments.</summary>
public class KnowledgeTurnFixture : SystemFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        settings["KNOWLEDGE_SWEEP_SECONDS"] = "2";
    }
}

/// <summary>Knowledge on an OpenAI-compatible server (Chat Completions): searched with PostgreSQL's full-text search.</summary>
public sealed class ChatKnowledgeFixture : KnowledgeTurnFixture
{
    protected override void Configure(Dictionary<string, string?> settings)
    {
        base.Configure(settings);
        settings["OPENAI_API"] = "chat_completions";
    }
}

/// <summary>
/// A bot answers from its own documents through the real path — the admin API stores a document, the bot's knowledge
/// grain indexes it (Responses: the sandbox's Files and Vector Stores; Chat Completions: ready once stored), a webhook
/// in, the turn searching (hosted file_search, or search_knowledge through the tool loop), the reply out through
/// Twilio — and never from another bot's.
/// </summary>
public abstract class KnowledgeTurnTests<TFixture>(TFixture fixture) where TFixture : KnowledgeTurnFixture
{
    protected const string Hours = "Horario de atención: abrimos de lunes a sábado de 9:00 a 21:00. Los domingos cerramos.";
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected SandboxState Upstreams => fixture.System.Upstreams;

    protected TFixture Fixture => fixture;

    [Fact]
    public async Task AUserIsAnsweredFromTheBotsOwnDocumentWithItsSourceForTheOperatorAndTheSearchCounted()
    {
        using var traces = new RecordedTraces();
        var (bot, user) = await NewBotAsync("Panadería");
        var document = await AddAsync(bot, "Horario", Hours);

        var reply = await AskAsync(bot, user, "¿Cuál es el horario del sábado?");

        Assert.Contains("9:00 a 21:00", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("\u3010", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("\u2020", reply, StringComparison.Ordinal);
        var answer = (await fixture.Admin.TranscriptItemsAsync(bot, user)).Single(i => i.GetProperty("direction").GetString() == "outbound");
        var source = Assert.Single(answer.GetProperty("knowledge_sources").EnumerateArray());
        Assert.Equal(document, source.GetProperty("id").GetString());
        Assert.Equal("Horario", source.GetProperty("title").GetString());

        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var usage = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/usage?from={today}&to={today}");
        Assert.Equal(1, usage.GetProperty("total").GetProperty("knowledge_searches").GetInt32());
        Assert.Equal(HostedSearches, usage.GetProperty("total").GetProperty("file_searches").GetInt32());

        // The turn's span says what was searched: OpenAI's file searches as a count, our own search as a span under it
        // with the passages it found; never the question.
        var turn = await traces.WaitForAsync(s => s.OperationName == "horizonai.turn" && s.GetTagItem(HorizonTracing.BotTag) as string == bot, Patience, "the turn's span");
        var trace = traces.InTrace(turn.TraceId);
        var searches = trace.Where(s => s.OperationName == "horizonai.knowledge.search").ToList();
        if (HostedSearches > 0)
        {
            Assert.Equal(HostedSearches, Convert.ToInt32(turn.GetTagItem("horizonai.file_searches"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Empty(searches);
        }
        else
        {
            var search = Assert.Single(searches);
            Assert.True(RecordedTraces.IsUnder(search, turn, trace));
            Assert.Equal(1, Convert.ToInt32(search.GetTagItem("horizonai.knowledge.hits"), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.All(trace.SelectMany(RecordedTraces.TextOf), text => Assert.DoesNotContain("horario del sábado", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NothingOfAnotherBotsDocumentsReachesThisBotsModelOrAnswer()
    {
        var (owner, ownerUser) = await NewBotAsync("Hotel A");
        await AddAsync(owner, "Wifi", "La clave del wifi es tulipán cuarenta y dos, válida en todo el hotel.");
        var (other, otherUser) = await NewBotAsync("Hotel B");
        await AddAsync(other, "Horario", Hours);

        var asked = await AskAsync(other, otherUser, "¿Cuál es la clave del wifi?");
        Assert.DoesNotContain("tulipán", asked, StringComparison.OrdinalIgnoreCase);
        Assert.All(RequestsOf(other), r =>
        {
            Assert.DoesNotContain(r.ToolOutputs, o => o.Output.Contains("tulipán", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(r.FileSearchStoreIds, id => StoresOf(owner).Contains(id));
        });

        // The owner's own users do get it: the fact was there to be found.
        Assert.Contains("tulipán", await AskAsync(owner, ownerUser, "¿Cuál es la clave del wifi?"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADeletedDocumentIsNeverRetrievedAgain()
    {
        var (bot, user) = await NewBotAsync("Farmacia");
        var document = await AddAsync(bot, "Recetas", "El antibiótico amoxicilina se vende solo con receta médica retenida.");
        Assert.Contains("receta médica", await AskAsync(bot, user, "¿La amoxicilina se vende con receta?"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Admin.DeleteAsync($"/bots/{bot}/knowledge/{document}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.GetAsync($"/bots/{bot}/knowledge/{document}")).StatusCode);
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            $"select count(*) from knowledge_documents where id = '{document}'") == 0, Patience, "the document gone upstream and from the table");

        var after = await AskAsync(bot, user, "¿La amoxicilina se vende con receta?", replies: 2);
        Assert.DoesNotContain("receta médica", after, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.System.Database.ScalarAsync<long>($"select count(*) from knowledge_chunks where document_id = '{document}'"));
    }

    /// <summary>Hosted file_search calls a single question makes on this path (priced); none on Chat Completions.</summary>
    protected abstract int HostedSearches { get; }

    protected async Task<(string Bot, string User)> NewBotAsync(string name)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, $"{name} {bot}");
        return (bot, SystemFixture.NewUserNumber());
    }

    /// <summary>Adds a text document through the admin API and waits until it is ready.</summary>
    protected async Task<string> AddAsync(string bot, string title, string text)
    {
        var created = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/knowledge", new { title, text });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await Eventually.TrueAsync(async () => (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/knowledge/{id}"))
            .GetProperty("status").GetString() == "ready", Patience, $"document {title} ready");
        return id;
    }

    protected async Task<string> AskAsync(string bot, string user, string text, int replies = 1)
    {
        await fixture.Webhooks.SendAsync(bot, user, text);
        return (await Upstreams.WaitForRepliesToAsync(user, replies, Patience))[replies - 1].Body;
    }

    protected List<AssistantRequest> RequestsOf(string bot) =>
        [.. Upstreams.OpenAIRequests.Where(r => r.Instructions?.Contains(bot, StringComparison.Ordinal) == true)];

    /// <summary>The sandbox's vector stores made for a bot (their metadata names its id).</summary>
    protected HashSet<string> StoresOf(string bot)
    {
        var id = fixture.System.Database.ScalarAsync<string>($"select id from bots where phone_number = '{bot}'").GetAwaiter().GetResult();
        return [.. Upstreams.Knowledge.Stores.Where(s => s.Metadata.TryGetValue("bot", out var owner) && owner == id).Select(s => s.Id)];
    }
}

public sealed class ResponsesKnowledgeTests(KnowledgeTurnFixture fixture) : KnowledgeTurnTests<KnowledgeTurnFixture>(fixture), IClassFixture<KnowledgeTurnFixture>
{
    protected override int HostedSearches => 1;

    [Fact]
    public async Task AStoreGoneUpstreamLeavesTheTurnsAnsweredAndAReindexRebuildsIt()
    {
        var (bot, user) = await NewBotAsync("Ferretería");
        var document = await AddAsync(bot, "Horario", Hours);
        var store = Assert.Single(StoresOf(bot));
        Assert.True(Upstreams.Knowledge.DeleteStore(store));

        // The turn finds the store gone: it is answered all the same, and the operator sees the store lost.
        var reply = await AskAsync(bot, user, "¿Cuál es el horario del sábado?");
        Assert.DoesNotContain("9:00 a 21:00", reply, StringComparison.Ordinal);
        var listed = await Fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/knowledge");
        Assert.Contains("reindex", listed.GetRawText(), StringComparison.OrdinalIgnoreCase);

        // A reindex rebuilds it from the stored document.
        Assert.Equal(HttpStatusCode.Accepted, (await Fixture.Admin.PostAsync($"/bots/{bot}/knowledge/reindex", null)).StatusCode);
        await Eventually.TrueAsync(async () => (await Fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/knowledge/{document}"))
            .GetProperty("status").GetString() == "ready" && StoresOf(bot).Any(s => s != store && !Upstreams.Knowledge.Stores.Single(k => k.Id == s).Deleted), Patience, "the store rebuilt");
        Assert.Contains("9:00 a 21:00", await AskAsync(bot, user, "¿Cuál es el horario del sábado?", replies: 2), StringComparison.Ordinal);
    }
}

public sealed class ChatCompletionsKnowledgeTests(ChatKnowledgeFixture fixture) : KnowledgeTurnTests<ChatKnowledgeFixture>(fixture), IClassFixture<ChatKnowledgeFixture>
{
    protected override int HostedSearches => 0;
}
