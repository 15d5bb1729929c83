using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Admin;

/// <summary>Conversations, transcripts, erasure and usage, driven by signed webhooks and read back over the admin API.</summary>
public sealed class ConversationAdminTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task ConversationsAndTranscriptsShowWhatThePipelineLogged()
    {
        var bot = SystemFixture.NewBotNumber();
        var ana = SystemFixture.NewUserNumber();
        var luis = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, bot, "Transcripts");

        await fixture.Webhooks.SendAsync(bot, ana, "primera");
        await fixture.System.Upstreams.WaitForRepliesToAsync(ana, 1, Patience);
        await fixture.Webhooks.SendAsync(bot, ana, "segunda");
        await fixture.System.Upstreams.WaitForRepliesToAsync(ana, 2, Patience);
        await fixture.Webhooks.SendAsync(bot, luis, "hola");
        await fixture.System.Upstreams.WaitForRepliesToAsync(luis, 1, Patience);
        await WaitAllAnsweredAsync(bot, 3);

        var list = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations");
        Assert.Equal(2, list.GetProperty("total").GetInt32());
        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(luis, items[0].GetProperty("user_number").GetString());
        Assert.Equal(4, items.Single(i => i.GetProperty("user_number").GetString() == ana).GetProperty("message_count").GetInt32());

        var paged = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations?limit=1&offset=1");
        Assert.Equal(ana, Assert.Single(paged.GetProperty("items").EnumerateArray()).GetProperty("user_number").GetString());

        var transcript = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{Uri.EscapeDataString(ana)}");
        var messages = transcript.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["inbound", "outbound", "inbound", "outbound"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal("primera", messages[0].GetProperty("text").GetString());
        Assert.Equal("answered", messages[0].GetProperty("status").GetString());
        Assert.Contains("primera", messages[1].GetProperty("text").GetString());
        Assert.StartsWith("SM", messages[1].GetProperty("twilio_sid").GetString());
        Assert.Equal("queued", messages[1].GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/bots/{bot}/conversations?limit=0")).StatusCode);

        // A value of the wrong type is named with what it must be, not answered with an empty 400.
        var unreadable = await Admin.GetAsync($"/bots/{bot}/conversations?offset=abc");
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        var problem = await unreadable.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("offset must be a whole number; \"abc\" is not", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{SystemFixture.NewBotNumber()}/conversations")).StatusCode);
    }

    [Fact]
    public async Task ErasingAConversationDeletesItsOpenAIConversationAndTheNextMessageStartsAFreshOne()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, bot, "Erase me");
        await fixture.Webhooks.SendAsync(bot, user, "antes");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await WaitAllAnsweredAsync(bot, 1);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{bot}/conversations/whatsapp:{user}")).StatusCode);
        var empty = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{user.TrimStart('+')}");
        Assert.Equal(0, empty.GetProperty("total").GetInt32());

        await fixture.Webhooks.SendAsync(bot, user, "después");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        var conversations = fixture.System.Upstreams.OpenAIRequests.Where(r => r.Instructions == "Erase me").Select(r => r.ConversationId).ToList();
        Assert.Equal(2, conversations.Count);
        Assert.NotEqual(conversations[0], conversations[1]);

        // The erased one is gone upstream too: OpenAI keeps nothing of what the user said before.
        await Eventually.TrueAsync(() => Task.FromResult(!fixture.System.Upstreams.ConversationExists(conversations[0]!)), TimeSpan.FromSeconds(30),
            "the erased OpenAI conversation deleted upstream");
        Assert.True(fixture.System.Upstreams.ConversationExists(conversations[1]!));
    }

    [Theory]
    [InlineData("GET", "", null)]
    [InlineData("DELETE", "", null)]
    [InlineData("PUT", "/mode", """{"mode":"human"}""")]
    [InlineData("POST", "/messages", """{"text":"hola"}""")]
    public async Task AUserThatIsNoPhoneNumberIsAnswered400NamingUserOnEveryConversationRoute(string method, string path, string? json)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, bot, "Users");

        var request = new HttpRequestMessage(new HttpMethod(method), $"/bots/{bot}/conversations/nobody{path}");
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await Admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("user must be a phone number such as +56912345678", Assert.Single(errors.GetProperty("user").EnumerateArray()).GetString());
        Assert.Single(errors.EnumerateObject());
    }

    [Theory]
    [InlineData("from=yesterday", "from", "from must be a date as YYYY-MM-DD")]
    [InlineData("from=2026-01-01&to=2026-1-2", "to", "to must be a date as YYYY-MM-DD")]
    [InlineData("from=2026-02-01&to=2026-01-01", "from", "from must not be after to")]
    [InlineData("from=2024-01-01&to=2025-01-01", "to", "the range may span at most 366 days")]
    public async Task AUsageQueryOutsideItsRulesIsAnswered400NamingTheField(string query, string field, string message)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, bot, "Usage rules");

        var response = await Admin.GetAsync($"/bots/{bot}/usage?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(message, Assert.Single(errors.GetProperty(field).EnumerateArray()).GetString());
        Assert.Single(errors.EnumerateObject());

        // A range of 366 days, both ends included, is the longest.
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/bots/{bot}/usage?from=2025-01-01&to=2026-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Admin.GetAsync($"/bots/{bot}/usage?from=2024-01-01&to=2024-12-31")).StatusCode);
    }

    [Fact]
    public async Task UsageCountsMessagesAndTokensAndEstimatesTheCostToTheCent()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, bot, "Usage");
        await fixture.Webhooks.SendAsync(bot, user, "uno");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await fixture.Webhooks.SendAsync(bot, user, "dos");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        await WaitAllAnsweredAsync(bot, 2);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/usage?from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}");

        var days = usage.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(2, days.Count);
        var day = days[1];
        Assert.Equal(2, day.GetProperty("inbound_messages").GetInt32());
        Assert.Equal(2, day.GetProperty("outbound_messages").GetInt32());

        // Tokens as the stand-in reported them for this bot's two turns.
        var turns = fixture.System.Upstreams.OpenAIRequests.Where(r => r.Instructions == "Usage").ToList();
        Assert.Equal(2, turns.Count);
        var input = day.GetProperty("input_tokens").GetInt64();
        var output = day.GetProperty("output_tokens").GetInt64();
        Assert.True(input > 0 && output > 0);
        var expected = 4 * 0.005m + (input + output) / 1000m * 0.01m + 1m / DateTime.DaysInMonth(today.Year, today.Month);
        Assert.Equal(Math.Round(expected, 2), Math.Round(day.GetProperty("estimated_cost_usd").GetDecimal(), 2));
        var total = usage.GetProperty("total");
        Assert.Equal(Math.Round(expected + 1m / DateTime.DaysInMonth(today.AddDays(-1).Year, today.AddDays(-1).Month), 2), Math.Round(total.GetProperty("estimated_cost_usd").GetDecimal(), 2));
        Assert.Equal(0.005m, usage.GetProperty("prices").GetProperty("per_message_usd").GetDecimal());

        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/bots/{bot}/usage?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.GetAsync($"/bots/{bot}/usage?from=2026-02-01&to=2026-01-01")).StatusCode);
    }

    [Fact]
    public async Task AChangedBotTakesEffectOnItsNextMessageAndDisablingStopsReplies()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, bot, "Antes del cambio");
        await fixture.Webhooks.SendAsync(bot, user, "uno");
        Assert.Contains("Antes del cambio", (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience))[0].Body);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/bots/{bot}", new { name = "x", twilio_phone_number = bot, instructions = "Después del cambio" })).StatusCode);
        await fixture.Webhooks.SendAsync(bot, user, "dos");
        Assert.Contains("Después del cambio", (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body);

        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/bots/{bot}", new { name = "x", twilio_phone_number = bot, instructions = "Apagado", enabled = false })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "tres")).StatusCode);
        Assert.Equal("ignored", await fixture.System.Database.ScalarAsync<string>(
            "select status from messages where bot_id = (select id from bots where phone_number = @bot) and body = 'tres'", ("bot", bot)));

        Assert.Equal(HttpStatusCode.OK, (await Admin.PutAsJsonAsync($"/bots/{bot}", new { name = "x", twilio_phone_number = bot, instructions = "Encendido" })).StatusCode);
        await fixture.Webhooks.SendAsync(bot, user, "cuatro");
        var replies = await fixture.System.Upstreams.WaitForRepliesToAsync(user, 3, Patience);
        Assert.Equal(3, replies.Count);
        Assert.Contains("cuatro", replies[2].Body);
        Assert.DoesNotContain(replies, r => r.Body.Contains("tres", StringComparison.Ordinal));
    }

    private Task WaitAllAnsweredAsync(string bot, int count) =>
        Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and status = 'answered'", ("bot", bot)) == count,
            Patience, $"{count} answered messages of {bot}");
}
