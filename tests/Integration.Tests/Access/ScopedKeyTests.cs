using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Access;

/// <summary>
/// Keys scoped to a client's bots, through the real path (HTTP in, the key's grain, PostgreSQL): shown once and stored
/// hashed, each role's limits, 404 for every other bot on every route of the OpenAPI document, rotation with an
/// overlap, revocation, and the console's sign-in.
/// </summary>
public sealed class ScopedKeyTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AKeyIsShownOnceStoredAsAHashAndListedWithItsLastUse()
    {
        var bot = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        await TestBots.CreateAsync(fixture.Admin, other, "Restaurante");

        var (id, key) = await TestKeys.CreateAsync(fixture.Admin, "read", bot);
        Assert.Matches("^hzk_[0-9a-f]{12}_[0-9a-f]{64}$", key);
        var secret = key[(4 + 12 + 1)..];
        var row = await fixture.System.Database.ScalarAsync<string>($"select k::text from api_keys k where id = '{id}'");
        Assert.DoesNotContain(secret, row, StringComparison.Ordinal);
        Assert.Equal(32, await fixture.System.Database.ScalarAsync<int>($"select length(secret_hash) from api_keys where id = '{id}'"));

        var listed = (await fixture.Admin.GetFromJsonAsync<JsonElement>("/keys")).EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.Equal("read", listed.GetProperty("role").GetString());
        Assert.Equal([bot], listed.GetProperty("bots").EnumerateArray().Select(b => b.GetString()));
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("last_used_at").ValueKind);

        using var client = fixture.System.ClientFor(key);
        var bots = await client.GetFromJsonAsync<JsonElement>("/bots");
        Assert.Equal([bot], bots.EnumerateArray().Select(b => b.GetProperty("twilio_phone_number").GetString()));
        var me = await client.GetFromJsonAsync<JsonElement>("/me");
        Assert.Equal(id, me.GetProperty("key_id").GetString());
        Assert.Equal("read", me.GetProperty("role").GetString());
        var used = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/keys/{id}");
        Assert.Equal(JsonValueKind.String, used.GetProperty("last_used_at").ValueKind);
        Assert.NotNull(await fixture.System.Database.ScalarAsync<DateTime?>($"select last_used_at from api_keys where id = '{id}'"));
    }

    [Fact]
    public async Task EachRoleMayDoItsOwnAndNothingMore()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia", new
        {
            metadata = new Dictionary<string, string> { ["cliente"] = "Farmacia Sol" },
            handoff_webhook_url = "https://farmacia.example.com/hooks",
            handoff_webhook_secret = "a-business-secret-of-ours",
        });
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        var conversation = $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}";
        using var read = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "read", bot)).Key);
        using var operate = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "operate", bot)).Key);
        using var manage = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "manage", bot)).Key);

        // read: conversations, transcripts and usage; no writes.
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"/bots/{bot}/conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync(conversation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"/bots/{bot}/usage?from=2026-01-01&to=2026-12-31")).StatusCode);
        var refused = await read.PostAsJsonAsync(conversation + "/messages", new { text = "hola" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("operate is required", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("(hidden)", (await read.GetFromJsonAsync<JsonElement>($"/bots/{bot}")).GetProperty("handoff_webhook_secret").GetString());
        Assert.Equal("a-business-secret-of-ours", (await manage.GetFromJsonAsync<JsonElement>($"/bots/{bot}")).GetProperty("handoff_webhook_secret").GetString());

        // operate: also operator messages, handoff and reset; not the bot's settings.
        Assert.Equal(HttpStatusCode.Accepted, (await operate.PostAsJsonAsync(conversation + "/messages", new { text = "Soy Ana" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operate.PutAsJsonAsync(conversation + "/mode", new { mode = "human" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operate.PutAsJsonAsync(conversation + "/mode", new { mode = "bot" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operate.PostAsJsonAsync("/console/api/simulate", new { bot, user, text = "START" })).StatusCode);
        var document = await fixture.Admin.GetFromJsonAsync<JsonObject>($"/bots/{bot}");
        document!["instructions"] = "Eres la farmacia Sol.";
        Assert.Equal(HttpStatusCode.Forbidden, (await operate.PutAsJsonAsync($"/bots/{bot}", document)).StatusCode);

        // manage: also the assistant's settings, never enabled, metadata, deletion or new bots.
        Assert.Equal(HttpStatusCode.OK, (await manage.PutAsJsonAsync($"/bots/{bot}", document)).StatusCode);
        Assert.Equal("Eres la farmacia Sol.", (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}")).GetProperty("instructions").GetString());
        document["enabled"] = false;
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.PutAsJsonAsync($"/bots/{bot}", document)).StatusCode);
        document["enabled"] = true;
        document["metadata"] = new JsonObject { ["cliente"] = "otro" };
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.PutAsJsonAsync($"/bots/{bot}", document)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.DeleteAsync($"/bots/{bot}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.PostAsJsonAsync("/bots", new { name = "Nuevo", twilio_phone_number = SystemFixture.NewBotNumber() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.GetAsync("/keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manage.PostAsJsonAsync("/keys", new { name = "x", role = "manage", bots = new[] { bot } })).StatusCode);
        Assert.Equal("Farmacia Sol", (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}")).GetProperty("metadata").GetProperty("cliente").GetString());
    }

    [Fact]
    public async Task EveryRouteOfTheOpenApiDocumentAnswersAnotherClientsBotAsIfItDidNotExist()
    {
        var mine = SystemFixture.NewBotNumber();
        var theirs = SystemFixture.NewBotNumber();
        var nobody = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, mine, "Mía");
        await TestBots.CreateAsync(fixture.Admin, theirs, "Secreto del restaurante");
        await fixture.Webhooks.SendAsync(theirs, user, "mensaje privado");
        await fixture.System.Database.WaitForInboundStatusesAsync(theirs, ["answered"], Patience);
        using var client = fixture.System.ClientFor((await TestKeys.CreateAsync(fixture.Admin, "manage", mine)).Key);

        using var anonymous = fixture.System.Gateway.CreateClient();
        var paths = (await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json")).GetProperty("paths");
        var swept = 0;
        foreach (var path in paths.EnumerateObject().Where(p => p.Name.Contains("{number}", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = new HttpMethod(operation.Name.ToUpperInvariant());
                var theirsAnswer = await SendAsync(client, method, Fill(path.Name, theirs, user));
                var nobodysAnswer = await SendAsync(client, method, Fill(path.Name, nobody, user));
                var route = $"{method} {path.Name}";
                Assert.True(theirsAnswer.Status is >= 400 and < 500, $"{route} answered {theirsAnswer.Status} for another client's bot");
                Assert.Equal((route, nobodysAnswer.Status), (route, theirsAnswer.Status));
                Assert.Equal((route, nobodysAnswer.Body), (route, theirsAnswer.Body.Replace(theirs[1..], nobody[1..], StringComparison.Ordinal)));
                Assert.DoesNotContain("Secreto", theirsAnswer.Body, StringComparison.Ordinal);
                Assert.DoesNotContain(user, theirsAnswer.Body, StringComparison.Ordinal);
                swept++;
            }
        }

        Assert.True(swept >= 9, $"only {swept} operations name a bot");

        // The routes without a bot in their path: lists show only its bot, the simulator treats theirs as unknown.
        Assert.Equal([mine], (await client.GetFromJsonAsync<JsonElement>("/bots")).EnumerateArray().Select(b => b.GetProperty("twilio_phone_number").GetString()));
        Assert.All((await client.GetFromJsonAsync<JsonElement>("/audit?limit=500")).GetProperty("items").EnumerateArray(),
            e => Assert.Equal(mine, e.GetProperty("bot_number").GetString()));
        var simulated = await SendAsync(client, HttpMethod.Post, "/console/api/simulate", JsonSerializer.Serialize(new { bot = theirs, user, text = "hola" }));
        var simulatedNobody = await SendAsync(client, HttpMethod.Post, "/console/api/simulate", JsonSerializer.Serialize(new { bot = nobody, user, text = "hola" }));
        Assert.Equal(HttpStatusCode.Forbidden, (HttpStatusCode)simulated.Status); // the simulator is the admin key's
        Assert.Equal((simulatedNobody.Status, simulatedNobody.Body), (simulated.Status, simulated.Body.Replace(theirs[1..], nobody[1..], StringComparison.Ordinal)));
        Assert.Equal(1, await fixture.System.Database.ScalarAsync<long>($"select count(*) from messages where bot_id = (select id from bots where phone_number = '{theirs}') and direction = 'inbound'"));
    }

    [Fact]
    public async Task ARotatedKeyKeepsItsOldSecretForTheOverlapAndARevokedKeyStopsAtOnce()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Tienda");
        var (id, first) = await TestKeys.CreateAsync(fixture.Admin, "read", bot);

        var rotated = await (await fixture.Admin.PostAsJsonAsync($"/keys/{id}/rotate", new { overlap_minutes = 30 })).Content.ReadFromJsonAsync<JsonElement>();
        var second = rotated.GetProperty("key").GetString()!;
        Assert.NotEqual(first, second);
        Assert.StartsWith($"hzk_{id}_", second, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, rotated.GetProperty("previous_expires_at").ValueKind);
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(first, "/bots"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(second, "/bots"));

        // Without an overlap the secret before stops at once.
        var third = (await (await fixture.Admin.PostAsJsonAsync($"/keys/{id}/rotate", new { overlap_minutes = 0 })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(second, "/bots"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(first, "/bots"));
        Assert.Equal(HttpStatusCode.OK, await StatusWithAsync(third, "/bots"));

        var revoked = await (await fixture.Admin.DeleteAsync($"/keys/{id}")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.String, revoked.GetProperty("revoked_at").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithAsync(third, "/bots"));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.PostAsJsonAsync($"/keys/{id}/rotate", new { overlap_minutes = 0 })).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"x","role":"admin","bots":["+15550000001"]}""", "role")]
    [InlineData("""{"name":"x","role":"read","bots":[]}""", "bots")]
    [InlineData("""{"name":"x","role":"read","bots":["+15559999999"]}""", "bots")]
    [InlineData("""{"name":"","role":"read","bots":["+15559999999"]}""", "name")]
    [InlineData("""{"name":"x","role":"read","bots":["+15559999999"],"secret":"mine"}""", "secret")]
    public async Task AnInvalidKeyIsRefusedWithAProblemNamingTheField(string json, string field)
    {
        var response = await fixture.Admin.PostAsync("/keys", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AKeysBotsAreReadInAnySpellingAndOneThatIsNoNumberIsNamedByItsPlace()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Spelling");

        var refused = await fixture.Admin.PostAsync("/keys", new StringContent(
            $$"""{"name":"x","role":"read","bots":["{{bot}}","nope","{{bot}}"]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("nope is not a phone number such as +15551111111", Assert.Single(errors.GetProperty("bots[1]").EnumerateArray()).GetString());
        Assert.Single(errors.EnumerateObject());

        var created = await fixture.Admin.PostAsJsonAsync("/keys", new { name = "x", role = "read", bots = new[] { "whatsapp:" + bot, bot.TrimStart('+') } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal([bot], (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bots").EnumerateArray().Select(b => b.GetString()));
    }

    [Fact]
    public async Task TheConsoleSignsInWithAScopedKeyAndItsSessionIsNeitherTheKeyNorTheDashboards()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Óptica");
        await TestBots.CreateAsync(fixture.Admin, SystemFixture.NewBotNumber(), "Otra");
        var (id, key) = await TestKeys.CreateAsync(fixture.Admin, "operate", bot);
        using var browser = fixture.System.Gateway.CreateClient();

        var signIn = new HttpRequestMessage(HttpMethod.Post, "/console/session");
        signIn.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var signedIn = await browser.SendAsync(signIn);
        Assert.Equal(HttpStatusCode.NoContent, signedIn.StatusCode);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key[17..], cookie, StringComparison.Ordinal);
        Assert.Contains(id, cookie, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync("/console/session")).StatusCode);
        var me = await browser.GetFromJsonAsync<JsonElement>("/me");
        Assert.Equal("operate", me.GetProperty("role").GetString());
        Assert.Equal([bot], (await browser.GetFromJsonAsync<JsonElement>("/bots")).EnumerateArray().Select(b => b.GetProperty("twilio_phone_number").GetString()));
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/dashboard")).StatusCode);

        // Revoked, its session ends too.
        await fixture.Admin.DeleteAsync($"/keys/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/bots")).StatusCode);
    }

    private async Task<HttpStatusCode> StatusWithAsync(string key, string path)
    {
        using var client = fixture.System.ClientFor(key);
        return (await client.GetAsync(path)).StatusCode;
    }

    private static string Fill(string path, string bot, string user) =>
        path.Replace("{number}", Uri.EscapeDataString(bot), StringComparison.Ordinal).Replace("{user}", Uri.EscapeDataString(user), StringComparison.Ordinal);

    /// <summary>Status and body, the body without the per-request traceId a problem may carry.</summary>
    private static async Task<(int Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string body = "{}")
    {
        using var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (text.StartsWith('{') && JsonNode.Parse(text) is JsonObject json)
        {
            json.Remove("traceId");
            text = json.ToJsonString();
        }

        return ((int)response.StatusCode, text);
    }
}
