using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Webhooks;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// Human handoff through the real path (webhook in, conversation grain, PostgreSQL, the Twilio and OpenAI SDKs out):
/// the triggers (an operator, the user's keyword, the assistant's request_human call), held messages, giving back with and without the held messages, auto-resume found by the recovery sweep,
/// and the reset keyword.
/// </summary>
public sealed class HandoffTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    [Fact]
    public async Task AHandoffKeywordPassesTheConversationToAPersonAndABurstIsHeldUnanswered()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia", new
        {
            handoff_keywords = new[] { "humano", "agent" },
            handoff_message = "Le atiende una persona enseguida.",
        });
        await SendAndSettleAsync(bot, user, "hola", ["answered"]);

        await SendAndSettleAsync(bot, user, "¡Humano!", ["answered", "answered"]);
        Assert.Equal("Le atiende una persona enseguida.", (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body);

        // A burst while a person has it: every message stored and held, none answered by the assistant.
        var turnsBefore = Upstreams.OpenAIRequests.Count;
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => fixture.Webhooks.SendAsync(bot, user, $"mensaje {i}")));
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered", .. Enumerable.Repeat("held", 8)], Patience);
        Assert.Equal(turnsBefore, Upstreams.OpenAIRequests.Count);
        Assert.Equal(2, Upstreams.RepliesTo(user).Count);

        var listed = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations")).GetProperty("items")[0];
        Assert.Equal("human", listed.GetProperty("mode").GetString());
        Assert.Equal("keyword", listed.GetProperty("handoff_trigger").GetString());
        Assert.Equal(8, listed.GetProperty("unread").GetInt32());

        // The operator answers; the unread count goes to zero.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Admin.PostAsJsonAsync(UserPath(bot, user) + "/messages", new { text = "Soy Ana, ¿en qué le ayudo?", sent_by = "Ana" })).StatusCode);
        Assert.Equal("Soy Ana, ¿en qué le ayudo?", (await Upstreams.WaitForRepliesToAsync(user, 3, Patience))[2].Body);
        listed = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations")).GetProperty("items")[0];
        Assert.Equal(0, listed.GetProperty("unread").GetInt32());

        // Given back without the held messages: they stay unanswered, and the bot answers what comes next.
        var back = await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "bot", by = "Ana" });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(0, (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reopened").GetInt32());
        await SendAndSettleAsync(bot, user, "gracias", ["answered", "answered", .. Enumerable.Repeat("held", 8), "answered"]);
        Assert.Contains("you said: gracias", (await Upstreams.WaitForRepliesToAsync(user, 4, Patience))[3].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeywordHandoffTellsTheBusinessWebhookOnceWithASignedNotice()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        const string secret = "a-business-secret-of-ours";
        await TestBots.CreateAsync(fixture.Admin, bot, "Óptica", new
        {
            handoff_keywords = new[] { "agente" },
            handoff_webhook_url = fixture.System.Sandbox.BaseUrl() + "/_sandbox/hooks",
            handoff_webhook_secret = secret,
        });

        await SendAndSettleAsync(bot, user, "agente", ["answered"]);
        await Eventually.TrueAsync(() => Task.FromResult(NoticesFor(bot).Count == 1), Patience, "the handoff notice");
        await Eventually.TrueAsync(async () => !await fixture.System.Database.ScalarAsync<bool>(
            $"select handoff_notice_pending from conversations where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'"), Patience, "the notice marked as done");

        var hook = Assert.Single(NoticesFor(bot));
        var signature = hook.Headers[HandoffNotifier.SignatureHeader].Split(',');
        var timestamp = signature[0]["t=".Length..];
        Assert.Equal("v1=" + WebhookSignature.Sign(secret, timestamp, Encoding.UTF8.GetBytes(hook.Body)), signature[1]);
        Assert.NotEqual("v1=" + WebhookSignature.Sign("another-secret-entirely", timestamp, Encoding.UTF8.GetBytes(hook.Body)), signature[1]);
        Assert.StartsWith("hd_", hook.Headers[HandoffNotifier.DeliveryHeader], StringComparison.Ordinal);
        var notice = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal("conversation.handoff", notice.GetProperty("event").GetString());
        Assert.Equal(user, notice.GetProperty("user_number").GetString());
        Assert.Equal("keyword", notice.GetProperty("trigger").GetString());
        Assert.Equal(UserPath(bot, user), notice.GetProperty("conversation").GetString());

        // More messages while a person has it: held, and the business is not told again.
        await SendAndSettleAsync(bot, user, "agente", ["answered", "held"]);
        Assert.Single(NoticesFor(bot));
    }

    [Fact]
    public async Task AWebhookThatRefusesTheNoticeLeavesTheHandoffStandingAndTheNoticeGivenUp()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Zapatería", new
        {
            handoff_keywords = new[] { "agente" },
            handoff_webhook_url = fixture.System.Sandbox.BaseUrl() + "/_sandbox/no-such-hook",
            handoff_webhook_secret = "a-business-secret-of-ours",
        });

        await SendAndSettleAsync(bot, user, "agente", ["answered"]);
        Assert.Equal(Handoff.DefaultHandoffMessage, Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body);
        await Eventually.TrueAsync(async () => !await fixture.System.Database.ScalarAsync<bool>(
            $"select handoff_notice_pending from conversations where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'"), Patience, "the refused notice given up");
        Assert.Equal("human", await fixture.System.Database.ScalarAsync<string>(
            $"select mode from conversations where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'"));
        await SendAndSettleAsync(bot, user, "¿hola?", ["answered", "held"]);
    }

    [Fact]
    public async Task AnOperatorTakesOverAndGivesBackWithTheHeldMessagesAnsweredInOneTurn()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Restaurante");

        var taken = await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "human", reason = "reclamo", by = "Luis" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var control = await taken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("human", control.GetProperty("mode").GetString());
        Assert.Equal("admin", control.GetProperty("handoff_trigger").GetString());

        // Taking over again keeps the first handoff.
        var again = await (await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "human", by = "Otro" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Luis", again.GetProperty("handoff_by").GetString());

        await SendAndSettleAsync(bot, user, "la pizza llegó fría", ["held"]);
        await SendAndSettleAsync(bot, user, "quiero un reembolso", ["held", "held"]);
        Assert.Empty(Upstreams.RepliesTo(user));

        var back = await (await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "bot", answer_held = true })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, back.GetProperty("reopened").GetInt32());
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered"], Patience);
        var reply = Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience));
        Assert.Contains("la pizza llegó fría\nquiero un reembolso", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAssistantsRequestHumanCallHandsOverAndIsAnsweredWhenTheBotResumes()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Tienda", new { handoff_tool = true });

        await SendAndSettleAsync(bot, user, "quiero hablar con el gerente #handoff:wants the manager", ["answered"]);
        Assert.Equal(Handoff.DefaultHandoffMessage, Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body);
        var listed = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations")).GetProperty("items")[0];
        Assert.Equal("human", listed.GetProperty("mode").GetString());
        Assert.Equal("assistant", listed.GetProperty("handoff_trigger").GetString());
        Assert.Equal("wants the manager", listed.GetProperty("handoff_reason").GetString());

        await SendAndSettleAsync(bot, user, "¿hola?", ["answered", "held"]);

        // Back with the bot, its next turn answers the call first (the stand-in refuses a turn that does not, as OpenAI does).
        await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "bot" });
        await SendAndSettleAsync(bot, user, "ya está resuelto", ["answered", "held", "answered"]);
        Assert.Contains("you said: ya está resuelto", (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoResumeIsFoundAgainFromTheDatabaseOnceTheIdleTimeHasPassed()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Librería", new { auto_resume_minutes = 30 });
        await fixture.Admin.PutAsJsonAsync(UserPath(bot, user) + "/mode", new { mode = "human" });
        await SendAndSettleAsync(bot, user, "¿alguien?", ["held"]);

        // Thirty minutes without an operator, as the table says: the recovery sweep wakes the conversation, which resumes.
        await fixture.System.Database.ExecuteAsync(
            $"update conversations set operator_active_at = now() - interval '31 minutes' where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'");
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<string>(
            $"select mode from conversations where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'") == "bot", Patience, "the conversation back in bot mode");
        await SendAndSettleAsync(bot, user, "hola", ["held", "answered"]);
        Assert.Contains("you said: hola", Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheResetKeywordStartsANewAssistantConversationAndKeepsTheTranscript()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Café", new { reset_keyword = "/reset" });
        await SendAndSettleAsync(bot, user, "hola", ["answered"]);
        var first = Upstreams.OpenAIRequests.Last(r => r.InputText == "hola").ConversationId;

        await SendAndSettleAsync(bot, user, "/RESET", ["answered", "answered"]);
        Assert.Equal(Handoff.DefaultResetMessage, (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body);
        await SendAndSettleAsync(bot, user, "de nuevo", ["answered", "answered", "answered"]);
        var second = Upstreams.OpenAIRequests.Last(r => r.InputText == "de nuevo").ConversationId;
        Assert.NotNull(first);
        Assert.NotEqual(first, second);
        Assert.Equal(6, (await fixture.Admin.GetFromJsonAsync<JsonElement>(UserPath(bot, user))).GetProperty("total").GetInt32()); // three messages, three answers
    }

    [Theory]
    [InlineData("""{"mode":"robot"}""", "mode")]
    [InlineData("""{"mode":"human","answer_held":true}""", "answer_held")]
    public async Task AnInvalidModeChangeIsRefusedWithAProblemNamingTheField(string json, string field)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "x");
        var response = await fixture.Admin.PutAsync(UserPath(bot, SystemFixture.NewUserNumber()) + "/mode", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private List<ReceivedHook> NoticesFor(string bot) =>
        [.. Upstreams.Hooks.Where(h => JsonDocument.Parse(h.Body).RootElement.GetProperty("bot_number").GetString() == bot)];

    private static string UserPath(string bot, string user) => $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}";

    private async Task SendAndSettleAsync(string bot, string user, string text, string[] statuses)
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, text)).StatusCode);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, statuses, Patience);
    }
}
