using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>Signed webhook in, grains and PostgreSQL in the middle, the real SDKs out to the stand-ins.</summary>
public sealed class WebhookPipelineTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    [Fact]
    public async Task AcceptedMessageIsAnsweredFromTheBotsOwnNumberWithItsInstructions()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Eres asistente del restaurante La Cocina");

        var response = await fixture.Webhooks.SendAsync(bot, user, "Hola, ¿tienen mesa?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<Response></Response>", await response.Content.ReadAsStringAsync());
        var replies = await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        Assert.Equal("whatsapp:" + bot, replies[0].From);
        Assert.Contains("Eres asistente del restaurante La Cocina", replies[0].Body);
        Assert.Contains("Hola, ¿tienen mesa?", replies[0].Body);

        // The reply reaches Twilio before its SID is recorded: read the log once the message is settled.
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        var log = await fixture.System.Database.QueryAsync(
            "select direction, status, twilio_sid, input_tokens from messages where bot_id = (select id from bots where phone_number = @bot) order by id", ("bot", bot));
        Assert.Equal(["inbound", "outbound"], log.Select(r => (string)r["direction"]!));
        Assert.Equal(replies[0].Sid, log[1]["twilio_sid"]);
        Assert.True((int)log[1]["input_tokens"]! > 0);
    }

    [Fact]
    public async Task ADeliveredReplyIsNotSentAgainWhenTheConversationComesBack()
    {
        var (bot, user) = await AnsweredThenCollectedAsync("Ferretería", "primera");
        await fixture.Webhooks.SendAsync(bot, user, "segunda");

        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Single(replies, r => r.Body.Contains("you said: primera", StringComparison.Ordinal));
        Assert.Contains("you said: segunda", replies[1].Body, StringComparison.Ordinal);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered"], Patience);

        // Any second send of the first reply would have gone out before the second turn: with both settled, exactly two.
        Assert.Equal(2, Upstreams.RepliesTo(user).Count);
    }

    [Fact]
    public async Task ResettingAConversationThatCameBackNeverResendsItsLastReply()
    {
        var (bot, user) = await AnsweredThenCollectedAsync("Librería", "antes");

        // The reset brings the conversation back and erases its log, while its pump checks the outbox it read.
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Admin.DeleteAsync($"/bots/{bot}/conversations/{user}")).StatusCode);
        await fixture.Webhooks.SendAsync(bot, user, "después");

        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Single(replies, r => r.Body.Contains("you said: antes", StringComparison.Ordinal));
        Assert.Contains("you said: después", replies[1].Body, StringComparison.Ordinal);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        Assert.Equal(2, Upstreams.RepliesTo(user).Count);
    }

    [Fact]
    public async Task DuplicateMessageSidIsAnsweredOnce()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        var sid = "SM" + Guid.NewGuid().ToString("N");

        var first = await fixture.Webhooks.SendAsync(bot, user, "Hola", sid);
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        var retry = await fixture.Webhooks.SendAsync(bot, user, "Hola", sid);
        var lateRetry = await fixture.Webhooks.SendAsync(bot, user, "Hola", sid);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.OK, lateRetry.StatusCode);
        // A second, later message proves the pipeline kept running; only then is "no second reply" meaningful.
        await fixture.Webhooks.SendAsync(bot, user, "Gracias");
        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Single(replies, r => r.Body.Contains("you said: Hola", StringComparison.Ordinal));
        Assert.Equal(1, await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and twilio_sid = @sid", ("bot", bot), ("sid", sid)));
    }

    [Fact]
    public async Task UnsignedOrTamperedWebhookStoresAndSendsNothing()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Tienda");
        var fields = WebhookClient.Inbound(bot, user, "original");
        var signature = TwilioSigner.Sign(TestSystem.AuthToken, "http://localhost/webhook/whatsapp", fields);
        var tampered = new Dictionary<string, string>(fields) { ["Body"] = "tampered" };

        var unsigned = await fixture.Webhooks.PostAsync("/webhook/whatsapp", fields, signature: "");
        var wrong = await fixture.Webhooks.PostAsync("/webhook/whatsapp", fields, signature: TwilioSigner.Sign("another-token", "http://localhost/webhook/whatsapp", fields));
        var altered = await fixture.Webhooks.PostAsync("/webhook/whatsapp", tampered, signature);

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, altered.StatusCode);

        // The genuine message goes through afterwards, so the pipeline was live while the forgeries were refused.
        var genuine = await fixture.Webhooks.PostAsync("/webhook/whatsapp", fields, signature);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        var replies = await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        Assert.DoesNotContain(replies, r => r.Body.Contains("tampered", StringComparison.Ordinal));
        Assert.Equal(1, await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", bot)));
    }

    [Fact]
    public async Task UnknownNumberMissingFieldsAndOversizedBodiesAreRefusedWithReasons()
    {
        var user = SystemFixture.NewUserNumber();
        var unknown = await fixture.Webhooks.SendAsync(SystemFixture.NewBotNumber(), user, "Hola");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var noSid = WebhookClient.Inbound(SystemFixture.NewBotNumber(), user, "x");
        noSid.Remove("MessageSid");
        var missing = await fixture.Webhooks.PostAsync("/webhook/whatsapp", noSid);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("MessageSid", await missing.Content.ReadAsStringAsync());

        var badNumber = WebhookClient.Inbound(SystemFixture.NewBotNumber(), user, "x");
        badNumber["From"] = "whatsapp:not-a-number";
        var unparsable = await fixture.Webhooks.PostAsync("/webhook/whatsapp", badNumber);
        Assert.Equal(HttpStatusCode.BadRequest, unparsable.StatusCode);

        var huge = WebhookClient.Inbound(SystemFixture.NewBotNumber(), user, new string('a', 70 * 1024));
        var tooLarge = await fixture.Webhooks.PostAsync("/webhook/whatsapp", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
    }

    [Theory]
    [InlineData("/webhook/whatsapp", "MessageSid", "SM-1", "MessageSid must be a Twilio message SID (letters and digits)")]
    [InlineData("/webhook/whatsapp", "MessageSid", " ", "MessageSid is required")]
    [InlineData("/webhook/whatsapp", "To", "whatsapp:nobody", "To must be a phone number such as whatsapp:+15551111111")]
    [InlineData("/webhook/status", "MessageSid", "", "MessageSid must be a Twilio message SID (letters and digits)")]
    [InlineData("/webhook/status", "MessageSid", "SM 1", "MessageSid must be a Twilio message SID (letters and digits)")]
    [InlineData("/webhook/status", "MessageStatus", "lost", "MessageStatus must be one of accepted, scheduled, queued, sending, sent, undelivered, failed, delivered, read, canceled")]
    [InlineData("/webhook/status", "ErrorCode", "63016x", "ErrorCode must be a Twilio error number")]
    public async Task ASignedFormWithABadFieldIsRefusedNamingTheFieldAsTwilioDoes(string path, string field, string value, string message)
    {
        var fields = WebhookClient.Inbound(SystemFixture.NewBotNumber(), SystemFixture.NewUserNumber(), "x");
        fields["MessageStatus"] = "delivered";
        fields[field] = value;

        var response = await fixture.Webhooks.PostAsync(path, fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(message, Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString());
        Assert.Single(errors.EnumerateObject());
    }

    [Theory]
    [InlineData("/webhook/whatsapp")]
    [InlineData("/webhook/status")]
    public async Task BothWebhooksRefuseAnUnreadableOrUnsignedFormWithItsReason(string path)
    {
        using var raw = fixture.System.Gateway.CreateClient();
        var fields = WebhookClient.Inbound(SystemFixture.NewBotNumber(), SystemFixture.NewUserNumber(), "x");
        fields["MessageStatus"] = "delivered";

        var json = await raw.PostAsync(path, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        var huge = await fixture.Webhooks.PostAsync(path, new Dictionary<string, string>(fields) { ["Body"] = new string('a', 70 * 1024) });
        var unsigned = await fixture.Webhooks.PostAsync(path, fields, signature: "");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
        Assert.Contains("Expected application/x-www-form-urlencoded", await json.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Contains("The body is larger than 64 KiB", await huge.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("Invalid or missing X-Twilio-Signature", await unsigned.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BurstFromOneUserIsAnsweredInOrderWithoutOverlappingTurns()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Burst");

        // The first turn is slow, so the next four messages arrive while it runs and must share the next turn. The
        // webhook's 200 means stored, not yet in a turn: the others are sent once the first turn has begun.
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "m1 #slow:1500")).StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(Upstreams.OpenAITurnsBegun.Contains("Burst")), Patience, "the first turn to begin");
        for (var i = 2; i <= 5; i++)
        {
            var response = await fixture.Webhooks.SendAsync(bot, user, $"m{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Contains("m1", replies[0].Body);
        Assert.Contains("m2\nm3\nm4\nm5", replies[1].Body);
        var turns = Upstreams.OpenAIRequests.Where(r => r.Instructions == "Burst").OrderBy(r => r.StartedAt).ToList();
        Assert.Equal(2, turns.Count);
        Assert.True(turns[1].StartedAt >= turns[0].FinishedAt, "the second turn started before the first finished");
        Assert.Equal(0, Upstreams.ConversationLockedCount);
    }

    [Fact]
    public async Task LongAnswerArrivesAsOrderedPartsOfAtMost1600Characters()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Long");

        await fixture.Webhooks.SendAsync(bot, user, "#long:8000");

        var turn = await Eventually.WaitAsync(() => Task.FromResult(Upstreams.OpenAIRequests.Where(r => r.Instructions == "Long").ToList()), t => t.Count == 1, Patience, "the assistant turn");
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        var parts = Upstreams.RepliesTo(user);
        Assert.InRange(parts.Count, 6, 7);
        Assert.All(parts, p => Assert.InRange(p.Body.Length, 1, 1600));
        Assert.Equal(Normalize(turn[0].OutputText), Normalize(string.Join(" ", parts.Select(p => p.Body))));
        Assert.All(parts.SkipLast(1), p => Assert.Matches(@"[.!?]$", p.Body));
    }

    [Fact]
    public async Task TheSameUserWritingToTwoBotsHasTwoSeparateConversations()
    {
        var restaurant = SystemFixture.NewBotNumber();
        var pharmacy = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, restaurant, "Restaurante A");
        await TestBots.CreateAsync(fixture.Admin, pharmacy, "Farmacia B");

        await fixture.Webhooks.SendAsync(restaurant, user, "menu");
        await fixture.Webhooks.SendAsync(pharmacy, user, "receta");

        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        var fromRestaurant = Assert.Single(replies, r => r.From == "whatsapp:" + restaurant);
        var fromPharmacy = Assert.Single(replies, r => r.From == "whatsapp:" + pharmacy);
        Assert.Contains("Restaurante A", fromRestaurant.Body);
        Assert.Contains("menu", fromRestaurant.Body);
        Assert.DoesNotContain("receta", fromRestaurant.Body);
        Assert.Contains("Farmacia B", fromPharmacy.Body);
        Assert.DoesNotContain("menu", fromPharmacy.Body);

        var conversations = Upstreams.OpenAIRequests.Where(r => r.Instructions is "Restaurante A" or "Farmacia B").Select(r => r.ConversationId).ToList();
        Assert.Equal(2, conversations.Distinct().Count());
        Assert.DoesNotContain(null, conversations);
    }

    [Fact]
    public async Task ADisabledBotRecordsTheMessageAndDoesNotReply()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Cerrado", new { enabled = false });

        var response = await fixture.Webhooks.SendAsync(bot, user, "¿abren hoy?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["ignored"], await fixture.System.Database.InboundStatusesAsync(bot));
        Assert.Empty(Upstreams.RepliesTo(user));
        Assert.DoesNotContain(Upstreams.OpenAIRequests, r => r.Instructions == "Cerrado");
    }

    [Fact]
    public async Task DebounceWaitsForTheUserToStopTypingAndAnswersOnce()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Debounce", new { debounce_ms = 1500 });

        await fixture.Webhooks.SendAsync(bot, user, "uno");
        await fixture.Webhooks.SendAsync(bot, user, "dos");
        await fixture.Webhooks.SendAsync(bot, user, "tres");

        var replies = await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        Assert.Contains("uno\ndos\ntres", replies[0].Body);
        Assert.Single(Upstreams.OpenAIRequests, r => r.Instructions == "Debounce");
    }

    /// <summary>
    /// A new bot and user whose first message is answered and settled; then every idle grain goes, so that the
    /// conversation's next activation reads its state back from PostgreSQL.
    /// </summary>
    private async Task<(string Bot, string User)> AnsweredThenCollectedAsync(string instructions, string text)
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, instructions);
        await fixture.Webhooks.SendAsync(bot, user, text);
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        await fixture.System.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        return (bot, user);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
