using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>Transient faults are retried, permanent ones are not, and a failed turn falls back without losing anything.</summary>
public sealed class UpstreamFailureTests(UpstreamFixture fixture) : IClassFixture<UpstreamFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    private SandboxState Upstreams => fixture.System.Upstreams;

    public ValueTask InitializeAsync()
    {
        Upstreams.Reset();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Upstreams.Reset();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TransientFaultsOfBothUpstreamsAreRetriedUntilTheReplyGoesOut()
    {
        var (bot, user) = await NewBotAsync("Transient");
        Upstreams.OpenAI.FailNext = 2;
        Upstreams.OpenAI.FailStatus = 503;
        Upstreams.Twilio.FailNext = 2;
        Upstreams.Twilio.FailStatus = 429;
        Upstreams.Twilio.TwilioErrorCode = 20429;
        Upstreams.Twilio.RetryAfterSeconds = 1;

        await fixture.Webhooks.SendAsync(bot, user, "hola");

        var reply = Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience));
        Assert.Contains("hola", reply.Body);
        Assert.Equal(2, Upstreams.OpenAIRejectedCount);
        Assert.Equal(2, Upstreams.TwilioRejectedCount);
        await Eventually.TrueAsync(async () => await InboundStatusAsync(bot, "hola") == "answered", Patience, "the message marked answered");

        // Settled: the retries of the send left exactly one reply.
        Assert.Single(Upstreams.TwilioMessages, m => m.To == "whatsapp:" + user);
    }

    [Fact]
    public async Task APermanentOpenAIErrorIsNotRetriedAndTheFallbackIsSent()
    {
        var (bot, user) = await NewBotAsync("Permanent", fallback: "Lo siento, tuve un problema.");

        await fixture.Webhooks.SendAsync(bot, user, "rompe #fail:400");

        var reply = Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience));
        Assert.Equal("Lo siento, tuve un problema.", reply.Body);
        Assert.Equal(1, Upstreams.OpenAIRejectedCount);
        await Eventually.TrueAsync(async () => await InboundStatusAsync(bot, "rompe #fail:400") == "failed", Patience, "the message marked failed");
        Assert.Equal("http_400", await fixture.System.Database.ScalarAsync<string>(
            "select error_code from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", bot)));

        // The conversation goes on with its next message.
        await fixture.Webhooks.SendAsync(bot, user, "otra vez");
        Assert.Contains("otra vez", (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body);
    }

    [Fact]
    public async Task Twilio63016IsNotRetriedAndIsRecordedAsFailedWithItsReason()
    {
        var (bot, user) = await NewBotAsync("Window", typingIndicator: false);
        Upstreams.Twilio.FailNext = 1;
        Upstreams.Twilio.FailStatus = 400;
        Upstreams.Twilio.TwilioErrorCode = 63016;

        await fixture.Webhooks.SendAsync(bot, user, "tarde");

        await Eventually.TrueAsync(async () => await InboundStatusAsync(bot, "tarde") == "failed", Patience, "the message marked failed");
        var outbound = Assert.Single(await fixture.System.Database.QueryAsync(
            "select status, error_code from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'outbound'", ("bot", bot)));
        Assert.Equal("failed", outbound["status"]);
        Assert.Equal("63016", outbound["error_code"]);
        Assert.Equal(1, Upstreams.TwilioRejectedCount);
        Assert.Empty(Upstreams.TwilioMessages);
    }

    [Fact]
    public async Task AfterAnOpenAIOutageEveryAcceptedMessageIsAnsweredOrMarkedFailed()
    {
        var (bot, _) = await NewBotAsync("Outage", fallback: "Volvemos pronto.");
        string[] users = [SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber()];
        Upstreams.OpenAI.Down = true;
        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "durante")).StatusCode);
        }

        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and status = 'failed'", ("bot", bot)) == users.Length,
            TimeSpan.FromSeconds(60), "every message of the outage marked failed");
        Assert.All(users, user => Assert.Contains(Upstreams.TwilioMessages, m => m.To == "whatsapp:" + user && m.Body == "Volvemos pronto."));

        // The failures of the outage may have opened the circuit breaker, which then waits before it lets a call
        // through; with no outage patience configured, a message sent meanwhile gets the fallback too. The
        // conversation goes on once OpenAI answers again (and the breaker is closed for the tests that follow).
        Upstreams.OpenAI.Down = false;
        var replies = 1;
        await Eventually.TrueAsync(async () =>
        {
            var text = $"después {replies}";
            await fixture.Webhooks.SendAsync(bot, users[0], text);
            var answer = (await Upstreams.WaitForRepliesToAsync(users[0], ++replies, Patience))[^1];
            Assert.True(answer.Body.Contains(text, StringComparison.Ordinal) || answer.Body == "Volvemos pronto.", answer.Body);
            return answer.Body.Contains(text, StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(90), "a real answer once OpenAI is back");
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and status in ('received', 'answering')", ("bot", bot)) == 0,
            Patience, "every message settled");
    }

    [Fact]
    public async Task AConversationOpenAINoLongerHasGoesOnOnANewOne()
    {
        var (bot, user) = await NewBotAsync("Olvido");
        await fixture.Webhooks.SendAsync(bot, user, "primera");
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        var lost = Assert.Single(Upstreams.Conversations);

        // Deleted upstream (by an operator at OpenAI, by expiry, or a stand-in that restarted).
        using (var openAI = new HttpClient { BaseAddress = new Uri(fixture.System.Sandbox.BaseUrl()) })
        {
            openAI.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk-test-key");
            Assert.Equal(HttpStatusCode.OK, (await openAI.DeleteAsync($"/v1/conversations/{lost}")).StatusCode);
        }

        await fixture.Webhooks.SendAsync(bot, user, "segunda");
        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Contains("segunda", replies[1].Body, StringComparison.Ordinal);
        Assert.Equal(2, Upstreams.Conversations.Count);
        await Eventually.TrueAsync(async () => await InboundStatusAsync(bot, "segunda") == "answered", Patience, "the message marked answered");
        Assert.Equal(Upstreams.Conversations[1], Assert.Single(Upstreams.OpenAIRequests, r => r.InputText.Contains("segunda", StringComparison.Ordinal) && r.ConversationId != lost).ConversationId);
    }

    [Fact]
    public async Task ThePromptReferenceTravelsWithTheInstructions()
    {
        var (bot, user) = await NewBotAsync("Prompted", assistantId: "pmpt_menu42");

        await fixture.Webhooks.SendAsync(bot, user, "menu");

        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        var request = Assert.Single(Upstreams.OpenAIRequests, r => r.Instructions == "Prompted");
        Assert.Equal("pmpt_menu42", request.PromptId);
    }

    [Fact]
    public async Task TheTypingIndicatorIsShownAndItsFailureNeverBlocksTheReply()
    {
        var (bot, user) = await NewBotAsync("Typing");
        var sid = "SM" + Guid.NewGuid().ToString("N");
        await fixture.Webhooks.SendAsync(bot, user, "hola", sid);
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        Assert.Contains(Upstreams.TypingIndicators, t => t.MessageId == sid && t.Channel == "whatsapp");

        var (quietBot, quietUser) = await NewBotAsync("No typing", typingIndicator: false);
        await fixture.Webhooks.SendAsync(quietBot, quietUser, "hola", "SM" + Guid.NewGuid().ToString("N"));
        await Upstreams.WaitForRepliesToAsync(quietUser, 1, Patience);
        Assert.Single(Upstreams.TypingIndicators);

        // The typing call goes first; it fails permanently here, and the reply still goes out.
        var (failingBot, failingUser) = await NewBotAsync("Typing fails");
        Upstreams.Twilio.FailNext = 1;
        Upstreams.Twilio.FailStatus = 400;
        await fixture.Webhooks.SendAsync(failingBot, failingUser, "hola");
        Assert.Single(await Upstreams.WaitForRepliesToAsync(failingUser, 1, Patience));
        Assert.Equal(1, Upstreams.TwilioRejectedCount);
    }

    [Fact]
    public async Task StatusCallbacksNeverMoveAStatusBackwardsAndShowInTheTranscript()
    {
        var (bot, user) = await NewBotAsync("Status");
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        var sid = Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Sid;
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where twilio_sid = @sid", ("sid", sid)) == 1, Patience, "the outbound message logged");

        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(bot, user, sid, "delivered")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(bot, user, sid, "sent")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(bot, user, sid, "delivered")).StatusCode);
        Assert.Equal("delivered", await StatusOfAsync(sid));

        var forged = StatusForm(bot, user, sid, "read");
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Webhooks.PostAsync("/webhook/status", forged, signature: "bogus")).StatusCode);
        Assert.Equal("delivered", await StatusOfAsync(sid));
        Assert.Equal(HttpStatusCode.BadRequest, (await PostStatusAsync(bot, user, sid, "teleported")).StatusCode);

        var transcript = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{user}");
        Assert.Equal("delivered", transcript.GetProperty("items")[1].GetProperty("status").GetString());

        // A 63016 reported by callback marks the reply failed with its reason.
        await fixture.Webhooks.SendAsync(bot, user, "otra");
        var second = (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Sid;
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where twilio_sid = @sid", ("sid", second)) == 1, Patience, "the second reply logged");
        Assert.Equal(HttpStatusCode.OK, (await PostStatusAsync(bot, user, second, "failed", "63016")).StatusCode);
        var row = Assert.Single(await fixture.System.Database.QueryAsync("select status, error_code, error_message from messages where twilio_sid = @sid", ("sid", second)));
        Assert.Equal("failed", row["status"]);
        Assert.Equal("63016", row["error_code"]);
        Assert.Contains("24-hour window", (string)row["error_message"]!);
    }

    private static Dictionary<string, string> StatusForm(string bot, string user, string sid, string status, string? errorCode = null)
    {
        var form = new Dictionary<string, string>
        {
            ["MessageSid"] = sid,
            ["MessageStatus"] = status,
            ["AccountSid"] = TestSystem.AccountSid,
            ["From"] = "whatsapp:" + bot,
            ["To"] = "whatsapp:" + user,
        };
        if (errorCode is not null)
        {
            form["ErrorCode"] = errorCode;
        }

        return form;
    }

    private Task<HttpResponseMessage> PostStatusAsync(string bot, string user, string sid, string status, string? errorCode = null) =>
        fixture.Webhooks.PostAsync("/webhook/status", StatusForm(bot, user, sid, status, errorCode));

    private Task<string> StatusOfAsync(string sid) =>
        fixture.System.Database.ScalarAsync<string>("select status from messages where twilio_sid = @sid", ("sid", sid));

    private Task<string> InboundStatusAsync(string bot, string body) =>
        fixture.System.Database.ScalarAsync<string>(
            "select status from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and body = @body", ("bot", bot), ("body", body));

    private async Task<(string Bot, string User)> NewBotAsync(string instructions, string? fallback = null, bool typingIndicator = true, string? assistantId = null)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, instructions, new { fallback_message = fallback, typing_indicator = typingIndicator, assistant_id = assistantId });
        return (bot, SystemFixture.NewUserNumber());
    }
}
