using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Admin;

/// <summary>The bots routes of the admin API through HTTP, the bot grains and PostgreSQL.</summary>
public sealed class BotAdminTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task EveryRouteRequiresTheAdminKey()
    {
        using var anonymous = fixture.System.Gateway.CreateClient();
        using var wrongKey = fixture.System.Gateway.CreateClient();
        wrongKey.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-key-0000000000");

        foreach (var client in new[] { anonymous, wrongKey })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/bots")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/bots/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/bots", new { name = "x", twilio_phone_number = "+15550000001" })).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/bots/+15550000001/usage")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.DeleteAsync("/bots/+15550000001")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync("/bots/+15550000001")).StatusCode);
    }

    [Fact]
    public async Task AReplaceWithAnOutdatedETagIsRefusedWith412AndTheCurrentOneGoesThrough()
    {
        var number = SystemFixture.NewBotNumber();
        var created = await Admin.PostAsJsonAsync("/bots", new { name = "Heladería", twilio_phone_number = number, instructions = "Heladería" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await Admin.GetAsync($"/bots/{number}");
        var firstTag = first.Headers.ETag;
        Assert.NotNull(firstTag);
        Assert.False(firstTag.IsWeak);
        Assert.Equal(created.Headers.ETag, firstTag);

        // A write with the tag it read goes through and gets a new tag; an unchanged read keeps it.
        var document = await first.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>();
        document!["instructions"] = JsonSerializer.SerializeToElement("Heladería: sabores del día");
        var replaced = await PutAsync(number, document, firstTag.Tag);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var secondTag = replaced.Headers.ETag;
        Assert.NotEqual(firstTag, secondTag);
        Assert.Equal(secondTag, (await Admin.GetAsync($"/bots/{number}")).Headers.ETag);

        // The tag read before that write is outdated now: 412, and nothing changes.
        document["instructions"] = JsonSerializer.SerializeToElement("Heladería: cerrado");
        var stale = await PutAsync(number, document, firstTag.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        var problem = await stale.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((412, "The bot was changed since you read it"), (problem.GetProperty("status").GetInt32(), problem.GetProperty("title").GetString()));
        Assert.Contains(secondTag!.Tag, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await PutAsync(number, document, "\"not-ours\"")).StatusCode);
        Assert.Equal("Heladería: sabores del día", (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("instructions").GetString());

        // Without If-Match (or with *) the last write wins, as before.
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(number, document, "*")).StatusCode);
        document["instructions"] = JsonSerializer.SerializeToElement("Heladería");
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(number, document, null)).StatusCode);
        Assert.Equal("Heladería", (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("instructions").GetString());
    }

    private Task<HttpResponseMessage> PutAsync(string number, Dictionary<string, JsonElement> document, string? ifMatch)
    {
        document.Remove("created_at");
        document.Remove("updated_at");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/bots/{number}") { Content = JsonContent.Create(document) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return Admin.SendAsync(request);
    }

    [Fact]
    public async Task CreateReadReplaceAndDeleteABotInEveryNumberSpelling()
    {
        var number = SystemFixture.NewBotNumber();
        var created = await Admin.PostAsJsonAsync("/bots/", new
        {
            name = "Restaurante La Cocina",
            twilio_phone_number = number.TrimStart('+'),
            instructions = "Eres asistente del restaurante...",
            model = "gpt-5-mini",
            metadata = new Dictionary<string, string> { ["cliente"] = "Cliente A" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/bots/{Uri.EscapeDataString(number)}", created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(number, body.GetProperty("twilio_phone_number").GetString());
        Assert.Equal("Cliente A", body.GetProperty("metadata").GetProperty("cliente").GetString());
        Assert.True(body.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, body.GetProperty("debounce_ms").GetInt32());

        foreach (var spelling in new[] { number, Uri.EscapeDataString(number), number.TrimStart('+'), "whatsapp:" + number })
        {
            var response = await Admin.GetAsync($"/bots/{spelling}");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /bots/{spelling} answered {(int)response.StatusCode}");
            Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/bots/{spelling}/")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/bots", new { name = "again", twilio_phone_number = number })).StatusCode);

        var replaced = await Admin.PutAsJsonAsync($"/bots/{number}", new { name = "Nuevo nombre", twilio_phone_number = number, enabled = false });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var replacedBody = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Nuevo nombre", replacedBody.GetProperty("name").GetString());
        Assert.False(replacedBody.GetProperty("enabled").GetBoolean());
        Assert.Equal(body.GetProperty("created_at").GetDateTimeOffset(), replacedBody.GetProperty("created_at").GetDateTimeOffset());

        var otherNumber = await Admin.PutAsJsonAsync($"/bots/{number}", new { name = "x", twilio_phone_number = SystemFixture.NewBotNumber() });
        Assert.Equal(HttpStatusCode.BadRequest, otherNumber.StatusCode);
        Assert.Contains("twilio_phone_number", await otherNumber.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.PutAsJsonAsync($"/bots/{SystemFixture.NewBotNumber()}", new { name = "x" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Webhooks.SendAsync(number, SystemFixture.NewUserNumber(), "hola")).StatusCode);
    }

    [Theory]
    [InlineData("""{"twilio_phone_number":"+15551234567"}""", "name")]
    [InlineData("""{"name":"x"}""", "twilio_phone_number")]
    [InlineData("""{"name":"x","twilio_phone_number":"not a number"}""", "twilio_phone_number")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","colour":"red"}""", "colour")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","debounce_ms":-1}""", "debounce_ms")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","debounce_ms":"soon"}""", "debounce_ms")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","metadata":{"a":1}}""", "metadata")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","assistant_id":"xyz"}""", "assistant_id")]
    [InlineData("""{"name":"x","twilio_phone_number":""", "body")]
    [InlineData("""[1,2]""", "body")]
    public async Task InvalidBotsAreRefusedWithAProblemNamingTheField(string json, string field)
    {
        var response = await Admin.PostAsync("/bots", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors did not name {field}: {problem}");
    }

    private const string Template = "\"name\":\"booking\",\"content_sid\":\"HX0123456789abcdef0123456789abcdef\",\"language\":\"es\"";

    [Theory]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","colour":"red"}""", "colour", "unknown field colour")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","debounce_ms":"soon"}""", "debounce_ms", "debounce_ms must be a whole number")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","debounce_ms":60001}""", "debounce_ms", "debounce_ms must be between 0 and 60000")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","metadata":{"a":1}}""", "metadata", "metadata must be an object of string values")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","opt_out_keywords":["STOP",5]}""", "opt_out_keywords[1]", "opt_out_keywords[1] must be a string")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","templates":[{%T%},{"name":"reminder","content_sid":5,"language":"es"}]}""",
        "templates[1].content_sid", "templates[1].content_sid must be a string")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","templates":[{%T%,"colour":"red"}]}""", "templates[0].colour", "unknown field templates[0].colour")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","templates":[{%T%},{"name":"Booking Reminder","content_sid":"HX0123456789abcdef0123456789abcdef","language":"es"}]}""",
        "templates[1].name", "name must be 1 to 64 lower-case letters, digits or underscores, such as booking_reminder")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","templates":[{%T%},{%T%}]}""", "templates[1].name", "two templates are named booking")]
    [InlineData("""{"name":"x\u0000","twilio_phone_number":"+15551234567"}""", "name", "name contains a NUL character or invalid UTF-16")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","metadata":{"a":"\u0000"}}""", "metadata", "metadata contains a NUL character or invalid UTF-16")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","instructions":"\ud800"}""", "instructions", "instructions contains a NUL character or invalid UTF-16")]
    [InlineData("""[{"name":"x"}]""", "body", "the body must be a JSON object")]
    [InlineData("""{"name":"x",""", "body", "the body is not valid JSON (line 1, position 12)")]
    public async Task EachBadFieldIsNamedByItsJsonPathWithItsReason(string json, string field, string reason)
    {
        var response = await Admin.PostAsync("/bots", new StringContent(json.Replace("%T%", Template), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        Assert.Equal([reason], error.Value.EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsRefusedNamingTheBody()
    {
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await Admin.PostAsync("/bots", new StringContent("name=x", Encoding.UTF8, "application/x-www-form-urlencoded"))).StatusCode);

        var untyped = new ByteArrayContent("{}"u8.ToArray());
        var response = await Admin.PostAsync("/bots", untyped);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject());
        Assert.Equal("body", error.Name);
        Assert.Equal("Content-Type must be application/json", error.Value[0].GetString());
    }

    [Fact]
    public async Task ABackupEntryOfTheWrongShapeIsRejectedWithItsPathAndTheRestRestore()
    {
        var good = SystemFixture.NewBotNumber();
        var backup = $$"""
            [
              {"name": "Tienda", "twilio_phone_number": "{{good}}"},
              {"name": "Farmacia", "twilio_phone_number": "{{SystemFixture.NewBotNumber()}}", "templates": [{"name": "aviso", "content_sid": 5, "language": "es"}]},
              {"name": "Cocina", "twilio_phone_number": "{{SystemFixture.NewBotNumber()}}", "colour": "red"},
              "not a bot"
            ]
            """;

        var import = await Admin.PostAsync("/bots/import", new StringContent(backup, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, summary.GetProperty("created").GetInt32());
        var reasons = summary.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("reasons").EnumerateArray().Select(m => m.GetString()).ToArray());
        Assert.Equal(["templates[0].content_sid must be a string"], reasons[1]);
        Assert.Equal(["unknown field colour"], reasons[2]);
        Assert.Equal(["the bot must be a JSON object"], reasons[3]);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/bots/{good}")).StatusCode);
    }

    [Fact]
    public async Task AnOversizedAdminBodyIsRefusedAndNothingIsStored()
    {
        var number = SystemFixture.NewBotNumber();
        var body = $$"""{"name":"Big","twilio_phone_number":"{{number}}","instructions":"{{new string('x', 5 * 1024 * 1024)}}"}""";

        var response = await Admin.PostAsync("/bots", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadAsStringAsync();
        Assert.True(problem.Contains("too large", StringComparison.Ordinal), problem);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{number}")).StatusCode);
    }

    [Fact]
    public async Task ABackupRestoresIdenticallyIntoAnEmptyDatabase()
    {
        string[] numbers = [SystemFixture.NewBotNumber(), SystemFixture.NewBotNumber(), SystemFixture.NewBotNumber()];
        await TestBots.CreateAsync(Admin, numbers[0], "Restaurante", new { metadata = new Dictionary<string, string> { ["cliente"] = "A" }, debounce_ms = 250 });
        await TestBots.CreateAsync(Admin, numbers[1], "Farmacia", new { assistant_id = "pmpt_abc123", model = "gpt-5-mini", fallback_message = "Lo siento" });
        await TestBots.CreateAsync(Admin, numbers[2], "Tienda", new { enabled = false, typing_indicator = false });
        var backup = await Admin.GetStringAsync("/bots/");

        await using var empty = await TestSystem.StartAsync();
        using var restoreAdmin = empty.CreateAdminClient();
        var import = await restoreAdmin.PostAsync("/bots/import", new StringContent(backup, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonNode.Parse(backup)!.AsArray().Count, summary.GetProperty("created").GetInt32());
        Assert.Equal(0, summary.GetProperty("rejected").GetArrayLength());

        var restored = await restoreAdmin.GetStringAsync("/bots");
        Assert.Equal(WithoutTimestamps(backup), WithoutTimestamps(restored));

        // Importing the same backup again updates in place.
        var again = await (await restoreAdmin.PostAsync("/bots/import", new StringContent(backup, Encoding.UTF8, "application/json"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(JsonNode.Parse(backup)!.AsArray().Count, again.GetProperty("updated").GetInt32());

        // One bot's JSON restores with POST /bots.
        var single = JsonNode.Parse(backup)!.AsArray().First(b => b!["twilio_phone_number"]!.GetValue<string>() == numbers[1])!.ToJsonString();
        await using var other = await TestSystem.StartAsync();
        using var otherAdmin = other.CreateAdminClient();
        Assert.Equal(HttpStatusCode.Created, (await otherAdmin.PostAsync("/bots/", new StringContent(single, Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(WithoutTimestamps("[" + single + "]"), WithoutTimestamps(await otherAdmin.GetStringAsync("/bots")));
    }

    [Fact]
    public async Task ASeedEraBackupWithAssistantIdsImportsWithAWarning()
    {
        var a = SystemFixture.NewBotNumber();
        var b = SystemFixture.NewBotNumber();
        var seedBackup = $$"""
            [
              {"name": "Restaurante La Cocina", "twilio_phone_number": "{{a}}", "assistant_id": "asst_ABC123", "instructions": "Eres asistente del restaurante..."},
              {"name": "Farmacia Salud", "twilio_phone_number": "{{b}}", "assistant_id": "asst_DEF456", "instructions": "Eres asistente de farmacia..."},
              {"name": "", "twilio_phone_number": "12"}
            ]
            """;
        var import = await Admin.PostAsync("/bots/import", new StringContent(seedBackup, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, summary.GetProperty("created").GetInt32());
        var rejection = Assert.Single(summary.GetProperty("rejected").EnumerateArray());
        Assert.Equal(2, rejection.GetProperty("index").GetInt32());
        Assert.Equal(2, rejection.GetProperty("reasons").GetArrayLength());

        var bot = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{a}");
        Assert.Equal("asst_ABC123", bot.GetProperty("assistant_id").GetString());
        Assert.Contains("2026-08-26", bot.GetProperty("warnings")[0].GetString());

        // The bot answers on its own instructions through the Responses API.
        var user = SystemFixture.NewUserNumber();
        await fixture.Webhooks.SendAsync(a, user, "hola");
        await Eventually.TrueAsync(() => Task.FromResult(fixture.System.Upstreams.TwilioMessages.Any(m => m.To == "whatsapp:" + user)), TimeSpan.FromSeconds(30), "the reply");
        Assert.Contains(fixture.System.Upstreams.OpenAIRequests, r => r.Instructions == "Eres asistente del restaurante..." && r.PromptId is null);
    }

    private static string WithoutTimestamps(string json)
    {
        var array = JsonNode.Parse(json)!.AsArray();
        foreach (var bot in array)
        {
            bot!.AsObject().Remove("created_at");
            bot.AsObject().Remove("updated_at");
        }

        return array.ToJsonString();
    }
}
