using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Admin;

/// <summary>
/// A bot's tools, tools secret and MCP servers (SPEC §10) through the admin API, the bot grains and PostgreSQL: kept as
/// sent through a replace, a read and a backup's restore; each bad field named by its JSON path with its reason (a URL
/// the outbound guard refuses among them, the handoff webhook's too); the secrets hidden from keys below manage.
/// </summary>
public sealed class BotToolsAdminTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private const string Secret = "tools-secret-0123456789abcdef-0123456789";

    private HttpClient Admin => fixture.Admin;

    /// <summary>Every field of SPEC §10's example set, nulls included, as GET answers them.</summary>
    private static JsonObject ToolsConfiguration() => JsonNode.Parse($$$"""
        {
          "tools": [
            {
              "name": "book_table",
              "description": "Books a table. Ask for the number of people and the time first.",
              "parameters": {"type": "object", "properties": {"people": {"type": "integer"}, "time": {"type": "string"}},
                             "required": ["people", "time"], "additionalProperties": false},
              "url": "https://api.restaurant.example/horizon/book",
              "timeout_ms": 8000
            },
            {"name": "opening-hours", "description": null, "parameters": {"type": "object"}, "url": "http://127.0.0.1:9/hours", "timeout_ms": null}
          ],
          "tools_secret": "{{{Secret}}}",
          "mcp_servers": [
            {"label": "inventory", "url": "https://mcp.farmacia.example/mcp", "headers": {"Authorization": "Bearer mcp-token-1", "X-Tenant": "sol"}, "allowed_tools": ["stock_lookup"]},
            {"label": "catalog", "url": "https://mcp.catalog.example/mcp", "headers": {}, "allowed_tools": null}
          ]
        }
        """)!.AsObject();

    [Fact]
    public async Task ToolsAndMcpServersAreKeptAsSentThroughAReplaceAReadAndARestore()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la cocina.");
        var document = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        Assert.Equal("[]", document["tools"]!.ToJsonString());
        Assert.Null(document["tools_secret"]);
        Assert.Equal("[]", document["mcp_servers"]!.ToJsonString());

        var configuration = ToolsConfiguration();
        foreach (var (name, value) in configuration)
        {
            document[name] = value!.DeepClone();
        }

        var replaced = await Admin.PutAsJsonAsync($"/bots/{number}", document);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        AssertCarries(configuration, await replaced.Content.ReadFromJsonAsync<JsonElement>());
        var read = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        AssertCarries(configuration, read);

        // A backup of the bot restores it as it was, tools and all, once it was deleted (its id re-attaches its data).
        var backup = (await Admin.GetFromJsonAsync<JsonArray>("/bots"))!.Where(b => b!["twilio_phone_number"]!.GetValue<string>() == number).Select(b => b!.DeepClone()).ToArray();
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        var import = await Admin.PostAsync("/bots/import", new StringContent(new JsonArray(backup).ToJsonString(), Encoding.UTF8, "application/json"));
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(summary.GetProperty("created").GetInt32() == 1, summary.ToString());
        var restored = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        AssertCarries(configuration, restored);
        Assert.Equal(read.GetProperty("id").GetString(), restored.GetProperty("id").GetString());
    }

    private const string Valid = """{"name":"x","twilio_phone_number":"+15551234567","tools_secret":"tools-secret-0123456789abcdef-0123456789",""";
    private const string Tool = "\"name\":\"book_table\",\"parameters\":{\"type\":\"object\"},\"url\":\"https://api.restaurant.example/book\"";
    private const string Hint = "; if it is the agency's own, list its host in TOOL_PRIVATE_HOSTS";

    [Theory]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":{"type":"object"},"url":"https://127.0.0.2/book"}]}""",
        "tools[0].url", "url is not allowed: 127.0.0.2 is not a public address (loopback)" + Hint)]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":{"type":"object"},"url":"https://[::1]:8443/book"}]}""",
        "tools[0].url", "url is not allowed: ::1 is not a public address (loopback)" + Hint)]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":{"type":"object"},"url":"http://api.restaurant.example/book"}]}""",
        "tools[0].url", "url is not allowed: plain http is allowed only to the agency's own hosts: use https, or, if it is the agency's own, list its host in TOOL_PRIVATE_HOSTS")]
    [InlineData(Valid + """ "tools":[{"name":"book table","parameters":{"type":"object"},"url":"https://api.restaurant.example/book"}]}""",
        "tools[0].name", "name must be 1 to 64 letters, digits, _ or -, such as book_table")]
    [InlineData(Valid + """ "tools":[{"name":"request_human","parameters":{"type":"object"},"url":"https://api.restaurant.example/book"}]}""",
        "tools[0].name", "name request_human is the platform's own tool (handoff_tool); choose another name")]
    [InlineData(Valid + """ "tools":[{%T%},{%T%}]}""", "tools[1].name", "two tools are named book_table")]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":[],"url":"https://api.restaurant.example/book"}]}""",
        "tools[0].parameters", "parameters must be the JSON Schema of the arguments: an object whose type is \"object\" (at most 32768 characters of JSON)")]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":{"type":"string"},"url":"https://api.restaurant.example/book"}]}""",
        "tools[0].parameters", "parameters must be the JSON Schema of the arguments: an object whose type is \"object\" (at most 32768 characters of JSON)")]
    [InlineData(Valid + """ "tools":[{"name":"book_table","url":"https://api.restaurant.example/book"}]}""",
        "tools[0].parameters", "parameters must be the JSON Schema of the arguments: an object whose type is \"object\" (at most 32768 characters of JSON)")]
    [InlineData(Valid + """ "tools":[{"name":"book_table","parameters":{"type":"object","description":"\ud800"},"url":"https://api.restaurant.example/book"}]}""",
        "tools[0].parameters", "parameters must be the JSON Schema of the arguments: an object whose type is \"object\" (at most 32768 characters of JSON)")]
    [InlineData(Valid + """ "tools":[null]}""", "tools[0]", "a tool must be an object with name, parameters and url")]
    [InlineData(Valid + """ "tools":[{%T%,"timeout_ms":100}]}""", "tools[0].timeout_ms", "timeout_ms must be between 500 and 30000, or null for 10000")]
    [InlineData(Valid + """ "tools":[{%T%,"colour":"red"}]}""", "tools[0].colour", "unknown field tools[0].colour")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","tools_secret":"short","tools":[{%T%}]}""",
        "tools_secret", "tools_secret must be 32 to 200 characters (it signs each tool call)")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","tools":[{%T%}]}""",
        "tools_secret", "tools_secret of 32 to 200 characters is required with tools (it signs each tool call)")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://169.254.169.254/mcp"}]}""",
        "mcp_servers[0].url", "url is not allowed: 169.254.169.254 is not a public address (link-local 169.254.0.0/16, where cloud metadata services answer)" + Hint)]
    [InlineData(Valid + """ "mcp_servers":[{"label":"in ventory","url":"https://mcp.example.com/mcp"}]}""",
        "mcp_servers[0].label", "label must be 1 to 32 letters, digits, _ or -, such as inventory")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://mcp.example.com/mcp"},{"label":"inventory","url":"https://mcp.example.com/mcp"}]}""",
        "mcp_servers[1].label", "two MCP servers are labelled inventory")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://mcp.example.com/mcp","headers":{"Bad Header":"x"}}]}""",
        "mcp_servers[0].headers", "headers must be an object of at most 16 HTTP headers: names of letters, digits and -, values of at most 4096 characters on one line")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://mcp.example.com/mcp","headers":{"Authorization":5}}]}""",
        "mcp_servers[0].headers", "mcp_servers[0].headers must be an object of string values")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://mcp.example.com/mcp","headers":{"Authorization":"(hidden)"}}]}""",
        "mcp_servers[0].headers", "headers.Authorization is (hidden), what keys below manage are shown; send the header's real value")]
    [InlineData(Valid + """ "mcp_servers":[{"label":"inventory","url":"https://mcp.example.com/mcp","allowed_tools":["stock_lookup","stock lookup"]}]}""",
        "mcp_servers[0].allowed_tools", "allowed_tools must be a list of at most 64 tool names of 1 to 64 letters, digits, _ or -")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15551234567","handoff_webhook_url":"https://10.0.0.8/hooks","handoff_webhook_secret":"a-business-secret-of-ours"}""",
        "handoff_webhook_url", "handoff_webhook_url is not allowed: 10.0.0.8 is not a public address (private network 10.0.0.0/8)" + Hint)]
    public async Task EachBadToolFieldIsNamedByItsJsonPathWithItsReason(string json, string field, string reason)
    {
        var response = await Admin.PostAsync("/bots", new StringContent(json.Replace("%T%", Tool, StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal(field, error.Name);
        Assert.Equal([reason], error.Value.EnumerateArray().Select(m => m.GetString()));
    }

    [Fact]
    public async Task AtMostThirtyTwoToolsAndEightMcpServers()
    {
        var tools = new JsonArray([.. Enumerable.Range(0, 33).Select(i => JsonNode.Parse($$"""{"name":"t{{i}}","parameters":{"type":"object"},"url":"https://api.example.com/t"}"""))]);
        var servers = new JsonArray([.. Enumerable.Range(0, 9).Select(i => JsonNode.Parse($$"""{"label":"m{{i}}","url":"https://mcp.example.com/mcp"}"""))]);
        var body = new JsonObject { ["name"] = "x", ["twilio_phone_number"] = SystemFixture.NewBotNumber(), ["tools_secret"] = Secret, ["tools"] = tools, ["mcp_servers"] = servers };

        var response = await Admin.PostAsJsonAsync("/bots", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("tools must list at most 32 tools", errors.GetProperty("tools")[0].GetString());
        Assert.Equal("mcp_servers must list at most 8 servers", errors.GetProperty("mcp_servers")[0].GetString());
    }

    [Fact]
    public async Task KeysBelowManageSeeTheToolsSecretAndTheMcpHeaderValuesHidden()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Eres la farmacia.", new
        {
            tools_secret = Secret,
            tools = ToolsConfiguration()["tools"],
            mcp_servers = ToolsConfiguration()["mcp_servers"],
        });
        using var read = fixture.System.ClientFor((await TestKeys.CreateAsync(Admin, "read", number)).Key);
        using var operate = fixture.System.ClientFor((await TestKeys.CreateAsync(Admin, "operate", number)).Key);
        using var manage = fixture.System.ClientFor((await TestKeys.CreateAsync(Admin, "manage", number)).Key);

        foreach (var below in new[] { read, operate })
        {
            var one = await below.GetFromJsonAsync<JsonElement>($"/bots/{number}");
            var listed = (await below.GetFromJsonAsync<JsonElement>("/bots")).EnumerateArray().Single();
            foreach (var shown in new[] { one, listed })
            {
                Assert.Equal("(hidden)", shown.GetProperty("tools_secret").GetString());
                var headers = shown.GetProperty("mcp_servers")[0].GetProperty("headers");
                Assert.Equal(["Authorization=(hidden)", "X-Tenant=(hidden)"], headers.EnumerateObject().Select(h => $"{h.Name}={h.Value.GetString()}").Order());
                Assert.Empty(shown.GetProperty("mcp_servers")[1].GetProperty("headers").EnumerateObject());
                Assert.DoesNotContain("mcp-token-1", shown.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(Secret, shown.ToString(), StringComparison.Ordinal);
            }
        }

        var managed = await manage.GetFromJsonAsync<JsonObject>($"/bots/{number}");
        Assert.Equal(Secret, managed!["tools_secret"]!.GetValue<string>());
        Assert.Equal("Bearer mcp-token-1", managed["mcp_servers"]![0]!["headers"]!["Authorization"]!.GetValue<string>());

        // What a lesser key was shown cannot be sent back in place of the secrets.
        var hidden = (await read.GetFromJsonAsync<JsonObject>($"/bots/{number}"))!;
        var refused = await manage.PutAsJsonAsync($"/bots/{number}", hidden);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["mcp_servers[0].headers", "tools_secret"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal(Secret, (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("tools_secret").GetString());
    }

    [Fact]
    public async Task AHandoffWebhookUrlTheGuardRefusesIsRejectedWithItsReasonAndNothingChanges()
    {
        var kept = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, kept, "Eres la tienda.", new { handoff_webhook_url = "https://hooks.tienda.example/handoff", handoff_webhook_secret = "a-business-secret-of-ours" });
        var refusedNumber = SystemFixture.NewBotNumber();
        var backup = $$"""
            [
              {"name": "Tienda", "twilio_phone_number": "{{kept}}", "handoff_webhook_url": "http://hooks.tienda.example/handoff", "handoff_webhook_secret": "a-business-secret-of-ours"},
              {"name": "Metadata", "twilio_phone_number": "{{refusedNumber}}", "handoff_webhook_url": "https://169.254.169.254/latest/meta-data/", "handoff_webhook_secret": "a-business-secret-of-ours"}
            ]
            """;

        var import = await Admin.PostAsync("/bots/import", new StringContent(backup, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, import.StatusCode);
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0), (summary.GetProperty("created").GetInt32(), summary.GetProperty("updated").GetInt32()));
        var reasons = summary.GetProperty("rejected").EnumerateArray()
            .ToDictionary(r => r.GetProperty("index").GetInt32(), r => r.GetProperty("reasons").EnumerateArray().Select(m => m.GetString()).ToArray());
        Assert.Equal(["handoff_webhook_url is not allowed: plain http is allowed only to the agency's own hosts: use https, or, if it is the agency's own, list its host in TOOL_PRIVATE_HOSTS"], reasons[0]);
        Assert.Equal(["handoff_webhook_url is not allowed: 169.254.169.254 is not a public address (link-local 169.254.0.0/16, where cloud metadata services answer)" + Hint], reasons[1]);
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{refusedNumber}")).StatusCode);
        Assert.Equal("https://hooks.tienda.example/handoff", (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{kept}")).GetProperty("handoff_webhook_url").GetString());

        // A replace is refused the same way, and the bot keeps its webhook.
        var document = (await Admin.GetFromJsonAsync<JsonObject>($"/bots/{kept}"))!;
        document["handoff_webhook_url"] = "https://[fd00::7]/handoff";
        var replaced = await Admin.PutAsJsonAsync($"/bots/{kept}", document);
        Assert.Equal(HttpStatusCode.BadRequest, replaced.StatusCode);
        var error = Assert.Single((await replaced.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject());
        Assert.Equal(("handoff_webhook_url", "handoff_webhook_url is not allowed: fd00::7 is not a public address (unique local fc00::/7)" + Hint), (error.Name, error.Value[0].GetString()));
        Assert.Equal("https://hooks.tienda.example/handoff", (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{kept}")).GetProperty("handoff_webhook_url").GetString());
    }

    private static void AssertCarries(JsonObject expected, JsonElement bot)
    {
        foreach (var (name, value) in expected)
        {
            var sent = JsonSerializer.SerializeToElement(value);
            Assert.True(JsonElement.DeepEquals(sent, bot.GetProperty(name)), $"{name} was sent as {sent}, is {bot.GetProperty(name)}");
        }
    }
}
