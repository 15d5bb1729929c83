using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// Messages the business starts, through the real path (HTTP in, the conversation grain, PostgreSQL, the Twilio SDK
/// out to the stand-in): the 24-hour window, templates, 63016, the stand-in's per-sender rate, and campaigns.
/// </summary>
public sealed class OutboundTests(SystemFixture fixture) : IClassFixture<SystemFixture>, IAsyncLifetime
{
    private const string Reminder = "HX0123456789abcdef0123456789abcdef";
    private const string Comeback = "HXfedcba9876543210fedcba9876543210";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    public ValueTask InitializeAsync()
    {
        Upstreams.WhatsApp.Reset();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Upstreams.WhatsApp.Reset();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task FreeTextGoesOnlyInsideTheWindowAndATemplateAtAnyTime()
    {
        var bot = await NewBotAsync();
        var user = SystemFixture.NewUserNumber();

        var refused = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/outbound", new { to = user, text = "¿Confirmamos su reserva?" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("24-hour window", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var template = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/outbound", new
        {
            to = user, template = "booking_reminder", variables = new Dictionary<string, string> { ["name"] = "Ana", ["time"] = "21:00" },
        });
        Assert.Equal(HttpStatusCode.Accepted, template.StatusCode);
        var sent = Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience));
        Assert.Equal((Reminder, """{"1":"Ana","2":"21:00"}"""), (sent.ContentSid, sent.ContentVariables));
        var transcript = (await fixture.Admin.GetFromJsonAsync<JsonElement>(UserPath(bot, user))).GetProperty("items")[0];
        Assert.Equal(("[template booking_reminder] Ana · 21:00", "api"), (transcript.GetProperty("text").GetString(), transcript.GetProperty("sent_by").GetString()));

        // The user answers: the window is open, and free text goes.
        await fixture.Webhooks.SendAsync(bot, user, "sí, gracias");
        await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/outbound", new { to = user, text = "¡Le esperamos!" })).StatusCode);
        Assert.Equal("¡Le esperamos!", (await Upstreams.WaitForRepliesToAsync(user, 3, Patience))[2].Body);

        // A day later it has closed: an operator's free text is refused, or sent as the bot's re-engagement template.
        await fixture.System.Database.ExecuteAsync(
            $"update messages set created_at = created_at - interval '25 hours' where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}' and direction = 'inbound'");
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.Admin.PostAsJsonAsync(UserPath(bot, user) + "/messages", new { text = "¿Sigue ahí?" })).StatusCode);
        var document = await fixture.Admin.GetFromJsonAsync<Dictionary<string, JsonElement>>($"/bots/{bot}");
        document!["reengagement_template"] = JsonSerializer.SerializeToElement("comeback");
        document.Remove("created_at");
        document.Remove("updated_at");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PutAsJsonAsync($"/bots/{bot}", document)).StatusCode);
        var reengaged = await fixture.Admin.PostAsJsonAsync(UserPath(bot, user) + "/messages", new { text = "¿Sigue ahí?", sent_by = "Ana" });
        Assert.Equal(HttpStatusCode.Accepted, reengaged.StatusCode);
        Assert.Equal("comeback", (await reengaged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sent_as_template").GetString());
        Assert.Equal(Comeback, (await Upstreams.WaitForRepliesToAsync(user, 4, Patience))[3].ContentSid);
    }

    [Fact]
    public async Task Twilios63016IsRecordedAsSuchAndNotRetried()
    {
        var bot = await NewBotAsync();
        var user = SystemFixture.NewUserNumber();
        Upstreams.WhatsApp.EnforceWindow = true; // the stand-in has not seen this user write: free text is outside its window
        var rejectedBefore = Upstreams.TwilioRejectedCount;

        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["failed"], Patience);
        var reply = await fixture.System.Database.QueryAsync(
            $"select status, error_code from messages where bot_id = (select id from bots where phone_number = '{bot}') and direction = 'outbound'");
        Assert.Equal(("failed", "63016"), ((string)Assert.Single(reply)["status"]!, (string?)reply[0]["error_code"]));
        // The part is recorded failed only once its send returned, retries included: one attempt in all.
        Assert.Equal(rejectedBefore + 1, Upstreams.TwilioRejectedCount);
        Assert.Empty(Upstreams.RepliesTo(user));

        // Once the stand-in has seen the user write, the same reply goes.
        Upstreams.WhatsApp.UserWrote("whatsapp:" + bot, "whatsapp:" + user, DateTimeOffset.UtcNow);
        await fixture.Webhooks.SendAsync(bot, user, "¿hola?");
        Assert.Contains("you said: ¿hola?", Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACampaignIsPacedAtItsRateSkipsWhoOptedOutAndReportsEachRecipient()
    {
        var bot = await NewBotAsync(sendRate: 40);
        // The stand-in refuses a 61st send in any second with 429 / 63018: room for a busy machine's jitter, none for a campaign at 80.
        Upstreams.WhatsApp.SenderRatePerSecond = 60;
        var optedOut = SystemFixture.NewUserNumber();
        await fixture.Webhooks.SendAsync(bot, optedOut, "STOP");
        await Upstreams.WaitForRepliesToAsync(optedOut, 1, Patience);
        var users = Enumerable.Range(0, 199).Select(_ => SystemFixture.NewUserNumber()).Append(optedOut).ToList();

        var created = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/campaigns", new
        {
            name = "Recordatorio",
            template = "booking_reminder",
            recipients = users.Select((u, i) => new { to = u, variables = new Dictionary<string, string> { ["name"] = $"Cliente {i}", ["time"] = "20:00" } }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var started = DateTimeOffset.UtcNow;

        var done = await Eventually.WaitAsync(() => fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns/{id}"),
            c => c.GetProperty("status").GetString() == "done" && c.GetProperty("sent").GetInt32() == 199, TimeSpan.FromSeconds(60), "the campaign done");
        var took = DateTimeOffset.UtcNow - started;
        Assert.Equal((200, 199, 1, 0), (done.GetProperty("total").GetInt32(), done.GetProperty("queued").GetInt32(), done.GetProperty("skipped").GetInt32(), done.GetProperty("pending").GetInt32()));
        Assert.True(took >= TimeSpan.FromSeconds(4), $"199 messages at 40 a second took only {took}");

        // Each user once, the opted-out one never; the stand-in never had to refuse a send for the rate.
        var campaignMessages = Upstreams.TwilioMessages.Where(m => m.From == "whatsapp:" + bot && m.ContentSid == Reminder).ToList();
        Assert.Equal(users.Take(199).Order(), campaignMessages.Select(m => m.To["whatsapp:".Length..]).Order());
        Assert.Equal(0, Upstreams.WhatsApp.RateLimitedSends.GetValueOrDefault("whatsapp:" + bot));
        Assert.True(Upstreams.WhatsApp.PeakSendsPerSecond["whatsapp:" + bot] <= 60, $"{Upstreams.WhatsApp.PeakSendsPerSecond["whatsapp:" + bot]} sends in one second");

        var recipients = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns/{id}/recipients?offset=199&limit=1");
        var last = Assert.Single(recipients.GetProperty("items").EnumerateArray());
        Assert.Equal(("skipped", "opted_out", optedOut), (last.GetProperty("status").GetString(), last.GetProperty("reason").GetString(), last.GetProperty("to").GetString()));
        var first = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns/{id}/recipients?limit=1")).GetProperty("items")[0];
        Assert.Equal("queued", first.GetProperty("status").GetString());
        Assert.Equal("queued", first.GetProperty("message_status").GetString());

        // Usage counts them like replies: the opt-out confirmation and 199 templates went out from this bot today.
        var usage = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/usage");
        Assert.Equal(200, usage.GetProperty("total").GetProperty("outbound_messages").GetInt32());
    }

    [Fact]
    public async Task SendsBeyondTheSendersRateAreRefusedWith63018AndGoThroughOnRetry()
    {
        var bot = await NewBotAsync();
        Upstreams.WhatsApp.SenderRatePerSecond = 2;
        var users = Enumerable.Range(0, 6).Select(_ => SystemFixture.NewUserNumber()).ToList();

        var answers = await Task.WhenAll(users.Select(u => fixture.Admin.PostAsJsonAsync($"/bots/{bot}/outbound", new { to = u, template = "comeback" })));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));

        // Faster than two a second from one number, the stand-in answers 429 / 63018; the platform waits as told and sends again.
        await Upstreams.WaitUntilAsync(s => users.All(u => s.TwilioMessages.Any(m => m.To == "whatsapp:" + u)), Patience, "every template through");
        Assert.True(Upstreams.WhatsApp.RateLimitedSends.GetValueOrDefault("whatsapp:" + bot) > 0, "the stand-in never refused a send for the rate");
        Assert.All(users, u => Assert.Single(Upstreams.TwilioMessages, m => m.To == "whatsapp:" + u));
    }

    [Fact]
    public async Task ACanceledCampaignSendsNothingMore()
    {
        var bot = await NewBotAsync(sendRate: 5);
        var users = Enumerable.Range(0, 100).Select(_ => SystemFixture.NewUserNumber()).ToList();
        var created = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/campaigns", new
        {
            name = "Lento", template = "comeback", recipients = users.Select(u => new { to = u }),
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Upstreams.WaitUntilAsync(s => s.TwilioMessages.Count(m => m.From == "whatsapp:" + bot) >= 5, Patience, "the first sends");

        var canceled = await (await fixture.Admin.PostAsync($"/bots/{bot}/campaigns/{id}/cancel", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("canceled", canceled.GetProperty("status").GetString());
        var queued = canceled.GetProperty("queued").GetInt32();
        Assert.Equal(100 - queued, canceled.GetProperty("canceled").GetInt32());
        Assert.True(queued < 50);

        // What was queued still goes; a canceled recipient can no longer be claimed, so nothing else does.
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            $"select count(*) from messages where bot_id = (select id from bots where phone_number = '{bot}') and status = 'pending'") == 0, Patience, "the queued messages sent");
        Assert.Equal(0, await fixture.System.Database.ScalarAsync<long>($"select count(*) from campaign_recipients where campaign_id = '{id}' and status = 'pending'"));
        Assert.Equal(queued, Upstreams.TwilioMessages.Count(m => m.From == "whatsapp:" + bot));
        Assert.Equal((long)queued, await fixture.System.Database.ScalarAsync<long>(
            $"select count(*) from messages where bot_id = (select id from bots where phone_number = '{bot}') and direction = 'outbound'"));
    }

    [Fact]
    public async Task TemplatesAreInTheBackupAndARestoreBringsThemBack()
    {
        var bot = await NewBotAsync();
        var backup = (await fixture.Admin.GetFromJsonAsync<JsonElement>("/bots")).EnumerateArray()
            .Single(b => b.GetProperty("twilio_phone_number").GetString() == bot);
        Assert.Equal(["booking_reminder", "comeback"], backup.GetProperty("templates").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Admin.DeleteAsync($"/bots/{bot}")).StatusCode);
        var restored = await fixture.Admin.PostAsync("/bots/import", new StringContent($"[{backup.GetRawText()}]", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(1, (await restored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        var template = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}")).GetProperty("templates")[0];
        Assert.Equal((Reminder, "es", "time"), (template.GetProperty("content_sid").GetString(), template.GetProperty("language").GetString(),
            template.GetProperty("variables")[1].GetString()));
    }

    [Theory]
    [InlineData("""{"to":"+56911111111","text":"hola","template":"comeback"}""", "text")]
    [InlineData("""{"to":"+56911111111","template":"nope"}""", "template")]
    [InlineData("""{"to":"+56911111111","template":"booking_reminder","variables":{"name":"Ana"}}""", "variables")]
    [InlineData("""{"to":"no","template":"comeback"}""", "to")]
    public async Task AnInvalidOutboundMessageIsRefusedWithAProblemNamingTheField(string json, string field)
    {
        var bot = await NewBotAsync();
        var response = await fixture.Admin.PostAsync($"/bots/{bot}/outbound", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""[{"to":"+56911111111"},{"to":"no"}]""", "recipients[1].to", "to must be the user's phone number, such as +56912345678")]
    [InlineData("""[{"to":"+56911111111"},{"to":"+56922222222"},{"to":"whatsapp:56911111111"}]""", "recipients[2].to", "+56911111111 is listed twice; each user gets the campaign once")]
    public async Task AnInvalidCampaignRecipientIsRefusedWithAProblemNamingItsPlaceInTheList(string recipients, string field, string message)
    {
        var bot = await NewBotAsync();
        var json = $$"""{"name":"Aviso","template":"comeback","recipients":{{recipients}}}""";
        var response = await fixture.Admin.PostAsync($"/bots/{bot}/campaigns", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(message, Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString());
        Assert.Empty((await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns")).EnumerateArray());
    }

    [Theory]
    [InlineData("""[{"name":"Bad Name","content_sid":"HX0123456789abcdef0123456789abcdef","language":"es","variables":[]}]""", "templates[0].name")]
    [InlineData("""[{"name":"ok","content_sid":"SM0123456789abcdef0123456789abcdef","language":"es","variables":[]}]""", "templates[0].content_sid")]
    [InlineData("""[{"name":"ok","content_sid":"HX0123456789abcdef0123456789abcdef","language":"es","variables":["a","a"]}]""", "templates[0].variables")]
    public async Task AnInvalidTemplateIsRefusedWithAProblemNamingTheField(string templates, string field)
    {
        var json = $$"""{"name":"x","twilio_phone_number":"{{SystemFixture.NewBotNumber()}}","templates":{{templates}}}""";
        var response = await fixture.Admin.PostAsync("/bots", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    private async Task<string> NewBotAsync(int? sendRate = null)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Restaurante", new
        {
            templates = new object[]
            {
                new { name = "booking_reminder", content_sid = Reminder, language = "es", variables = new[] { "name", "time" } },
                new { name = "comeback", content_sid = Comeback, language = "es", variables = Array.Empty<string>() },
            },
            send_rate_per_second = sendRate,
        });
        return bot;
    }

    private static string UserPath(string bot, string user) => $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}";
}
