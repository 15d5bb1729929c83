using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// A person writes to the user as the bot through the admin API: committed to the conversation's outbox, sent from
/// the bot's number through the Twilio SDK (media included), tracked in the transcript with who sent it, and never
/// inside a reply of the bot.
/// </summary>
public sealed class OperatorMessageTests(SystemFixture fixture) : IClassFixture<SystemFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Upstreams.Twilio.Reset();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AnOperatorsMessageWithMediaGoesOutFromTheBotsNumberAndTheTranscriptNamesWhoSentIt()
    {
        var (bot, user) = await AnsweredConversationAsync("Farmacia del Centro");
        const string prescription = "https://cdn.example.com/receta.pdf";

        var response = await fixture.Admin.PostAsJsonAsync(MessagesPath(bot, user), new { text = "Le envío su receta", media_url = prescription, sent_by = "Ana (farmacia)" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ids").EnumerateArray()).GetInt64();
        var replies = await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        Assert.Equal(("whatsapp:" + bot, "Le envío su receta", prescription), (replies[1].From, replies[1].Body, Assert.Single(replies[1].MediaUrls)));

        var sent = await Eventually.WaitAsync(async () => (await TranscriptAsync(bot, user)).Last(), m => m.GetProperty("twilio_sid").GetString() is not null, Patience, "the operator's message recorded");
        Assert.Equal((id, "outbound", "Ana (farmacia)", replies[1].Sid), (sent.GetProperty("id").GetInt64(), sent.GetProperty("direction").GetString(), sent.GetProperty("sent_by").GetString(), sent.GetProperty("twilio_sid").GetString()));
        Assert.Equal(prescription, Assert.Single(sent.GetProperty("media").EnumerateArray()).GetProperty("url").GetString());
        Assert.Equal(JsonValueKind.Null, (await TranscriptAsync(bot, user))[1].GetProperty("sent_by").ValueKind);
    }

    [Fact]
    public async Task AnOperatorsMessageSentWhileTheBotsReplyIsGoingOutComesAfterItNeverInside()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Ferretería");
        Upstreams.Twilio.LatencyMs = 400;

        await fixture.Webhooks.SendAsync(bot, user, "cuéntame todo #long:4000");
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        var response = await fixture.Admin.PostAsJsonAsync(MessagesPath(bot, user), new { text = "Hola, soy Luis, le atiendo yo." });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var replies = await Upstreams.WaitForRepliesToAsync(user, 4, Patience);
        Assert.Equal(3, replies.Take(3).Count(r => r.Body.StartsWith("Sentence", StringComparison.Ordinal) || r.Body.Contains("long answer", StringComparison.Ordinal)));
        Assert.Equal("Hola, soy Luis, le atiendo yo.", replies[3].Body);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
    }

    [Fact]
    public async Task AnOperatorsMessageTwilioRefusesIsRecordedFailedAndFailsNoneOfTheUsersMessages()
    {
        var (bot, user) = await AnsweredConversationAsync("Óptica");
        Upstreams.Twilio.FailStatus = 400;
        Upstreams.Twilio.TwilioErrorCode = 63016;
        Upstreams.Twilio.FailNext = 1;

        Assert.Equal(HttpStatusCode.Accepted, (await fixture.Admin.PostAsJsonAsync(MessagesPath(bot, user), new { text = "¿Sigue interesado?" })).StatusCode);

        var failed = await Eventually.WaitAsync(async () => (await TranscriptAsync(bot, user)).Last(), m => m.GetProperty("status").GetString() == "failed", Patience, "the operator's message failed");
        Assert.Equal(("63016", "operator"), (failed.GetProperty("error_code").GetString(), failed.GetProperty("sent_by").GetString()));
        Assert.Equal(["answered"], await fixture.System.Database.InboundStatusesAsync(bot));

        // The conversation goes on: the bot still answers the user.
        await fixture.Webhooks.SendAsync(bot, user, "sí, gracias");
        await Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered"], Patience);
    }

    [Theory]
    [InlineData("""{}""", "text")]
    [InlineData("""{"text":"   "}""", "text")]
    [InlineData("""{"media_url":"ftp://example.com/a.png"}""", "media_url")]
    [InlineData("""{"media_url":"/relative.png"}""", "media_url")]
    [InlineData("""{"text":"hola","sent_by":""}""", "sent_by")]
    [InlineData("""{"text":"hola","from":"+1"}""", "from")]
    public async Task AnInvalidOperatorMessageIsRefusedWithAProblemNamingTheField(string json, string field)
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Validación");

        var response = await fixture.Admin.PostAsync(MessagesPath(bot, SystemFixture.NewUserNumber()), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors did not name {field}: {problem}");
    }

    [Fact]
    public async Task AnOperatorMessageForABotThatDoesNotExistIsNotFound()
    {
        var response = await fixture.Admin.PostAsJsonAsync(MessagesPath(SystemFixture.NewBotNumber(), SystemFixture.NewUserNumber()), new { text = "hola" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static string MessagesPath(string bot, string user) => $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}/messages";

    private async Task<(string Bot, string User)> AnsweredConversationAsync(string instructions)
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, instructions);
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        return (bot, user);
    }

    private Task<List<JsonElement>> TranscriptAsync(string bot, string user) => fixture.Admin.TranscriptItemsAsync(bot, user);
}
