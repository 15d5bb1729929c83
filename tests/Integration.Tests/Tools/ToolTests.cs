using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;
using HorizonAI.Sandbox.Business;
using HorizonAI.ServiceDefaults.Telemetry;

namespace HorizonAI.Integration.Tests.Tools;

/// <summary>
/// The businesses' tools through the real path, on the Responses API and on Chat Completions alike: a webhook in, the
/// conversation grain's turn, the OpenAI SDK to the sandbox's model (which calls tools on a tag in the user's text and
/// checks that the follow-up carries every output), the platform's signed POST to the sandbox's demo business or its
/// MCP server, the reply out through the Twilio SDK, and the calls in PostgreSQL and the transcript.
/// </summary>
public abstract class ToolTests<TFixture>(TFixture fixture) where TFixture : ToolsFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private SandboxState Upstreams => fixture.System.Upstreams;

    private string Business => fixture.System.Sandbox.BaseUrl();

    [Fact]
    public async Task ABookingIsMadeOnceSignedWithTheBotsSecretAndTheUserGetsTheAnswerBuiltOnIt()
    {
        using var traces = new RecordedTraces();
        var (bot, user, instructions) = NewConversation("Restaurante");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("check_availability", SandboxBusiness.RestaurantPath + "/check_availability"), Tool("book_table", SandboxBusiness.RestaurantPath + "/book_table") },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, """Mesa para dos a las 21:00 #tool:book_table{"people":2,"time":"21:00","name":"Ana"}""");

        var call = Assert.Single(Upstreams.Business.Calls, c => c.Bot == bot);
        Assert.True(call.SignatureValid);
        Assert.Equal("book_table", call.Tool);
        Assert.Equal(user, call.User);
        Assert.Equal("Test User", call.ProfileName);
        Assert.StartsWith("hzc_", call.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(call.Arguments).RootElement.GetProperty("people").GetInt32());
        var booking = Assert.Single(Upstreams.Business.Bookings, b => b.IdempotencyKey == call.IdempotencyKey);
        Assert.Contains($"book_table → {{\"booking_id\":\"{booking.BookingId}\"", reply, StringComparison.Ordinal);

        // The model's follow-up carried the output for the very call it made.
        var requests = RequestsOf(instructions);
        var made = Assert.Single(requests.SelectMany(r => r.FunctionCalls));
        Assert.Equal(call.CallId, made.CallId);
        Assert.Contains(requests[^1].ToolOutputs, o => o.CallId == made.CallId && o.Output.Contains(booking.BookingId, StringComparison.Ordinal));
        Assert.Contains("book_table", requests[0].OfferedTools);
        Assert.Contains("check_availability", requests[0].OfferedTools);

        // The transcript lists the call after the user's message, with what it was given and answered for the admin key.
        var items = await fixture.Admin.TranscriptItemsAsync(bot, user);
        var tool = Assert.Single(items, i => i.GetProperty("direction").GetString() == "tool");
        Assert.Equal("book_table", tool.GetProperty("tool").GetString());
        Assert.Equal("ok", tool.GetProperty("status").GetString());
        Assert.True(tool.GetProperty("duration_ms").GetInt32() >= 0);
        Assert.Contains(booking.BookingId, tool.GetProperty("output").GetString(), StringComparison.Ordinal);
        Assert.Equal(["inbound", "tool", "outbound"], items.Select(i => i.GetProperty("direction").GetString()));
        Assert.Equal(1, await fixture.System.Database.ScalarAsync<long>(
            $"select count(*) from tool_calls where status = 'ok' and idempotency_key = '{call.IdempotencyKey}'"));

        // The call is a span under the turn, with its tool and outcome and nothing of what it was given or answered.
        var span = await traces.WaitForAsync(s => s.OperationName == "horizonai.tool book_table" && s.GetTagItem(HorizonTracing.BotTag) as string == bot,
            TimeSpan.FromSeconds(30), "the tool call's span");
        var trace = traces.InTrace(span.TraceId);
        var turn = Assert.Single(trace, s => s.OperationName == "horizonai.turn");
        Assert.True(RecordedTraces.IsUnder(span, turn, trace));
        Assert.Equal(("book_table", "ok"), (span.GetTagItem("horizonai.tool") as string, span.GetTagItem(HorizonTracing.OutcomeTag) as string));
        Assert.All(RecordedTraces.TextOf(span), text =>
        {
            Assert.DoesNotContain("21:00", text, StringComparison.Ordinal);
            Assert.DoesNotContain(booking.BookingId, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task TheCallsOfOneResponseRunAtTheSameTime()
    {
        var (bot, user, instructions) = NewConversation("Paralelo");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("slow_a", SandboxBusiness.EchoPath + "?delay_ms=1200"), Tool("slow_b", SandboxBusiness.EchoPath + "?delay_ms=1200") },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, "#tool:slow_a{\"n\":1} #tool:slow_b{\"n\":2}");

        var calls = Upstreams.Business.Calls.Where(c => c.Bot == bot).OrderBy(c => c.Tool).ToList();
        Assert.Equal(["slow_a", "slow_b"], calls.Select(c => c.Tool));
        Assert.True(calls[0].StartedAt < calls[1].FinishedAt && calls[1].StartedAt < calls[0].FinishedAt,
            $"the calls did not overlap: {calls[0].StartedAt:O}–{calls[0].FinishedAt:O} and {calls[1].StartedAt:O}–{calls[1].FinishedAt:O}");
        Assert.Contains("slow_a → ", reply, StringComparison.Ordinal);
        Assert.Contains("slow_b → ", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryWayAToolCanFailGivesTheModelAnErrorAndTheUserStillAnAnswer()
    {
        var (bot, user, instructions) = NewConversation("Fallos");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[]
            {
                Tool("broken", SandboxBusiness.EchoPath + "?status=500"),
                Tool("sleepy", SandboxBusiness.EchoPath + "?delay_ms=3000", timeoutMs: 500),
                Tool("garbled", SandboxBusiness.EchoPath + "?invalid=1"),
                Tool("chatty", SandboxBusiness.EchoPath + "?bytes=20000"),
                Tool("gone", "http://127.0.0.1:1/nobody-listens", absolute: true),
            },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        using var metrics = new RecordedMetrics(() => RecordedMetrics.Silos(fixture.System.Cluster.Silos));

        // Two calls a turn, so that the turn still offers tools after them (three would be all it may make here).
        var reply = await AskAsync(bot, user, "#tool:broken #tool:sleepy");
        Assert.Contains("broken → {\"error\":\"the tool answered HTTP 500\"}", reply, StringComparison.Ordinal);
        Assert.Contains("sleepy → {\"error\":\"the tool did not answer within 500 ms\"}", reply, StringComparison.Ordinal);

        reply = await AskAsync(bot, user, "#tool:garbled #tool:chatty", replies: 2);
        Assert.Contains("garbled → {\"error\":\"the tool answered invalid JSON\"}", reply, StringComparison.Ordinal);
        Assert.Contains("chatty → {\"error\":\"the tool answered more than 16384 bytes\"}", reply, StringComparison.Ordinal);

        reply = await AskAsync(bot, user, "#tool:gone", replies: 3);
        Assert.Contains("gone → {\"error\":\"the tool could not be reached", reply, StringComparison.Ordinal);

        var statuses = (await fixture.Admin.TranscriptItemsAsync(bot, user))
            .Where(i => i.GetProperty("direction").GetString() == "tool")
            .ToDictionary(i => i.GetProperty("tool").GetString()!, i => i.GetProperty("status").GetString());
        Assert.Equal("error", statuses["broken"]);
        Assert.Equal("timeout", statuses["sleepy"]);
        Assert.Equal("error", statuses["garbled"]);
        Assert.Equal("error", statuses["chatty"]);
        Assert.Equal("error", statuses["gone"]);

        // horizonai_tool_calls_total{bot,tool,outcome}
        Assert.Equal(1, metrics.Total("horizonai.tool_calls", ("bot", bot), ("tool", "broken"), ("outcome", "error")));
        Assert.Equal(1, metrics.Total("horizonai.tool_calls", ("bot", bot), ("tool", "sleepy"), ("outcome", "timeout")));
        Assert.Equal(5, metrics.Total("horizonai.tool_calls", ("bot", bot)));
    }

    [Fact]
    public async Task ABusyAnswerIsTriedAgainWithTheSameIdempotencyKeyAndThenGivenToTheModel()
    {
        var (bot, user, instructions) = NewConversation("Ocupado");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("busy", SandboxBusiness.EchoPath + "?status=503") },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, "#tool:busy{\"order\":\"B-9\"}");

        // Three attempts (250 ms, then 1 s apart), one key: the business can tell they are one call.
        var calls = Upstreams.Business.Calls.Where(c => c.Bot == bot).ToList();
        Assert.Equal(3, calls.Count);
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.Single(calls.Select(c => c.CallId).Distinct());
        Assert.Contains("busy → {\"error\":\"the tool answered HTTP 503\"}", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterItsCallsATurnIsAnsweredWithoutTools()
    {
        var (bot, user, instructions) = NewConversation("Tope");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("again", SandboxBusiness.EchoPath) },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, "#toolloop:again");

        // MAX_TOOL_CALLS_PER_TURN is 3 here: three calls, then the model is told to answer without tools.
        Assert.Equal(3, Upstreams.Business.Calls.Count(c => c.Bot == bot));
        Assert.Contains("answered without tools after 3 tool outputs", reply, StringComparison.Ordinal);
        Assert.Equal("none", RequestsOf(instructions)[^1].ToolChoice);
    }

    [Fact]
    public async Task AfterItsToolTimeATurnIsAnsweredWithoutTools()
    {
        var (bot, user, instructions) = NewConversation("Presupuesto");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("slow", SandboxBusiness.EchoPath + "?delay_ms=1200") },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, "#toolloop:slow");

        // TOOL_TURN_BUDGET_SECONDS is 2 here: the first call takes 1.2 s, the second is cut at the budget's end.
        Assert.Contains("answered without tools after 2 tool outputs", reply, StringComparison.Ordinal);
        Assert.Equal("none", RequestsOf(instructions)[^1].ToolChoice);
        Assert.Equal(2, Upstreams.Business.Calls.Count(c => c.Bot == bot));
    }

    [Fact]
    public async Task AFunctionTheBotDoesNotHaveIsAnsweredUnknownAndTheTurnCompletes()
    {
        var (bot, user, instructions) = NewConversation("Desconocida");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("known", SandboxBusiness.EchoPath) },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        var reply = await AskAsync(bot, user, "#unknowntool:defined_in_the_prompt");
        Assert.Contains("defined_in_the_prompt → {\"error\":\"unknown tool\"}", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(Upstreams.Business.Calls, c => c.Bot == bot);

        // A bot without tools of its own (its prompt defines one, say) is answered the same, not stalled.
        var (plain, other, plainInstructions) = NewConversation("Sin herramientas");
        await CreateBotAsync(plain, plainInstructions, null);
        Assert.Contains("answered without tools after 1 tool outputs", await AskAsync(plain, other, "#unknowntool:defined_in_the_prompt"), StringComparison.Ordinal);
        var made = Assert.Single(RequestsOf(plainInstructions).SelectMany(r => r.FunctionCalls));
        Assert.Contains(RequestsOf(plainInstructions)[^1].ToolOutputs, o => o.CallId == made.CallId && o.Output == "{\"error\":\"unknown tool\"}");
        Assert.Contains("you said: y ahora", await AskAsync(plain, other, "y ahora", replies: 2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestHumanStillHandsTheConversationOverBesideTheBusinesssTools()
    {
        var (bot, user, instructions) = NewConversation("Con persona");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("check_availability", SandboxBusiness.RestaurantPath + "/check_availability") },
            tools_secret = SandboxBusiness.ToolsSecret,
            handoff_tool = true,
            handoff_message = "Le atiende una persona.",
        });

        Assert.Contains("check_availability → ", await AskAsync(bot, user, """#tool:check_availability{"people":4,"time":"20:00"}"""), StringComparison.Ordinal);
        var offered = RequestsOf(instructions)[0].OfferedTools;
        Assert.Contains("request_human", offered);
        Assert.Contains("check_availability", offered);

        await fixture.Webhooks.SendAsync(bot, user, "#handoff:quiere hablar con el encargado");
        Assert.Equal("Le atiende una persona.", (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[^1].Body);
        var conversation = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations")).GetProperty("items")[0];
        Assert.Equal("human", conversation.GetProperty("mode").GetString());
        Assert.Equal("quiere hablar con el encargado", conversation.GetProperty("handoff_reason").GetString());
    }

    [Fact]
    public async Task AnMcpServersToolIsOfferedByItsLabelAndCalledWithTheConfiguredHeaders()
    {
        var (bot, user, instructions) = NewConversation("Farmacia");
        await CreateBotAsync(bot, instructions, new
        {
            mcp_servers = new object[]
            {
                new
                {
                    label = "inventory",
                    url = Business + SandboxBusiness.McpPath,
                    headers = new Dictionary<string, string> { ["Authorization"] = "Bearer " + SandboxBusiness.McpToken },
                    allowed_tools = new[] { "stock_lookup" },
                },
            },
        });

        var reply = await AskAsync(bot, user, """¿Tienen paracetamol? #tool:inventory__stock_lookup{"product":"paracetamol"}""");

        var offered = RequestsOf(instructions)[0].OfferedTools;
        Assert.Contains("inventory__stock_lookup", offered);
        Assert.DoesNotContain("inventory__price", offered); // not among allowed_tools
        var call = Assert.Single(Upstreams.Business.McpCalls, c => c.Arguments.Contains("paracetamol", StringComparison.Ordinal) && c.At >= StartedAt(instructions));
        Assert.True(call.Authorized);
        Assert.Equal("stock_lookup", call.Tool);
        Assert.Contains("inventory__stock_lookup → ", reply, StringComparison.Ordinal);
        Assert.Contains("paracetamol", reply, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("ok", (await fixture.Admin.TranscriptItemsAsync(bot, user)).Single(i => i.GetProperty("direction").GetString() == "tool").GetProperty("status").GetString());
    }

    [Fact]
    public async Task ATurnRunAgainAfterAnOutageGivesTheRecordedOutputBackForTheSameCallWithoutCallingTheBusinessAgain()
    {
        var (bot, user, instructions) = NewConversation("Reintento");
        await CreateBotAsync(bot, instructions, new
        {
            tools = new object[] { Tool("held", SandboxBusiness.EchoPath + "?hold=1") },
            tools_secret = SandboxBusiness.ToolsSecret,
        });

        // While the business works on the call, OpenAI goes down for longer than the SDK's own retries: the follow-up
        // fails, the turn waits out the outage and runs again.
        await fixture.Webhooks.SendAsync(bot, user, """#tool:held{"order":"A-17"}""");
        await Eventually.TrueAsync(() => Task.FromResult(Upstreams.Business.Calls.Any(c => c.Bot == bot)), Patience, "the business called");
        Upstreams.OpenAI.FailStatus = 503;
        Upstreams.OpenAI.FailNext = 2;
        Upstreams.Business.Release();
        var reply = (await Upstreams.WaitForRepliesToAsync(user, 1, TimeSpan.FromSeconds(90)))[0].Body;

        // The business heard of the call once; the turn run again gave its recorded output for the call the model made.
        var call = Assert.Single(Upstreams.Business.Calls, c => c.Bot == bot);
        var made = Assert.Single(RequestsOf(instructions).SelectMany(r => r.FunctionCalls));
        Assert.Equal(made.CallId, call.CallId);
        Assert.Contains(RequestsOf(instructions)[^1].ToolOutputs, o => o.CallId == made.CallId && o.Output.Contains("A-17", StringComparison.Ordinal));
        Assert.Contains("held → ", reply, StringComparison.Ordinal);
        Assert.Equal(0, Upstreams.OpenAI.FailNext);
    }

    private (string Bot, string User, string Instructions) NewConversation(string name)
    {
        var bot = SystemFixture.NewBotNumber();
        return (bot, SystemFixture.NewUserNumber(), $"{name} {bot}");
    }

    private async Task CreateBotAsync(string bot, string instructions, object? extra)
    {
        _started[instructions] = DateTimeOffset.UtcNow;
        await TestBots.CreateAsync(fixture.Admin, bot, instructions, extra);
    }

    private readonly Dictionary<string, DateTimeOffset> _started = [];

    private DateTimeOffset StartedAt(string instructions) => _started[instructions];

    private object Tool(string name, string path, int? timeoutMs = null, bool absolute = false) => new
    {
        name,
        description = "A tool of the test business: " + name,
        parameters = new { type = "object", properties = new { }, additionalProperties = true },
        url = absolute ? path : Business + path,
        timeout_ms = timeoutMs,
    };

    /// <summary>Sends the user's text and returns the bot's reply (the <paramref name="replies"/>th one to this user).</summary>
    private async Task<string> AskAsync(string bot, string user, string text, int replies = 1)
    {
        await fixture.Webhooks.SendAsync(bot, user, text);
        return (await Upstreams.WaitForRepliesToAsync(user, replies, Patience))[replies - 1].Body;
    }

    private List<AssistantRequest> RequestsOf(string instructions) =>
        [.. Upstreams.OpenAIRequests.Where(r => r.Instructions?.Contains(instructions, StringComparison.Ordinal) == true)];
}

public sealed class ResponsesToolTests(ToolsFixture fixture) : ToolTests<ToolsFixture>(fixture), IClassFixture<ToolsFixture>;

public sealed class ChatCompletionsToolTests(ChatToolsFixture fixture) : ToolTests<ChatToolsFixture>(fixture), IClassFixture<ChatToolsFixture>;
