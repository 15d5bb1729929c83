using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// Opt-out through the real path: a stop keyword gets one confirmation and then nothing from the bot or from
/// operators, with every later message kept as ignored, until a start keyword; kept across an erasure.
/// </summary>
public sealed class OptOutTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private SandboxState Upstreams => fixture.System.Upstreams;

    [Fact]
    public async Task AStopKeywordGetsOneConfirmationAndNothingMoreUntilAStartKeyword()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        await SendAndSettleAsync(bot, user, "hola", ["answered"]);

        await SendAndSettleAsync(bot, user, "  Stop. ", ["answered", "answered"]);
        Assert.Equal(OptOut.DefaultOptOutMessage, (await Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1].Body);

        // Nothing more: not a later message, not its retry, not a second stop, not an operator.
        const string sid = "SMoptout0000000000000000000000001";
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "¿sigues ahí?", sid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "¿sigues ahí?", sid)).StatusCode);
        await SendAndSettleAsync(bot, user, "STOP", ["answered", "answered", "ignored", "ignored"]);
        var operatorMessage = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}/messages", new { text = "¿Le ayudo?" });
        Assert.Equal(HttpStatusCode.Conflict, operatorMessage.StatusCode);
        var listed = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations");
        Assert.Equal(JsonValueKind.String, listed.GetProperty("items")[0].GetProperty("opted_out_at").ValueKind);

        // An operator erasing the transcript does not opt the user back in.
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Admin.DeleteAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}")).StatusCode);
        await SendAndSettleAsync(bot, user, "hola otra vez", ["ignored"]);

        // A start keyword opts in again, with its confirmation, and the bot answers once more.
        await SendAndSettleAsync(bot, user, "alta", ["ignored", "answered"]);
        await SendAndSettleAsync(bot, user, "gracias", ["ignored", "answered", "answered"]);
        var replies = Upstreams.RepliesTo(user);
        Assert.Equal(4, replies.Count);
        Assert.Equal(OptOut.DefaultOptInMessage, replies[2].Body);
        Assert.Contains("you said: gracias", replies[3].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesWaitingBeforeAStopAreNotAnsweredAfterItAndABotsOwnKeywordsReplaceTheDefaults()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Librería", new { debounce_ms = 1500, opt_out_keywords = new[] { "Salir" }, opt_out_message = "Listo, no le escribimos más." });

        // Both wait out the debounce together: the question is not answered after the user said to stop.
        await fixture.Webhooks.SendAsync(bot, user, "¿tienen el libro?");
        await fixture.Webhooks.SendAsync(bot, user, "SALIR");
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["ignored", "answered"], Patience);
        Assert.Equal("Listo, no le escribimos más.", Assert.Single(await Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body);

        // With its own keywords, STOP is an ordinary word for this bot, and the opted-out user is not answered.
        var other = SystemFixture.NewUserNumber();
        await fixture.Webhooks.SendAsync(bot, other, "stop");
        Assert.Contains("you said: stop", Assert.Single(await Upstreams.WaitForRepliesToAsync(other, 1, Patience)).Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"name":"x","twilio_phone_number":"+15559990001","opt_out_keywords":[]}""", "opt_out_keywords")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15559990002","opt_out_keywords":[" "]}""", "opt_out_keywords")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15559990003","opt_out_keywords":["STOP"],"opt_in_keywords":["stop"]}""", "opt_in_keywords")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15559990004","opt_out_keywords":["Baja"],"opt_in_keywords":["BÁJA!"]}""", "opt_in_keywords")]
    [InlineData("""{"name":"x","twilio_phone_number":"+15559990005","opt_out_keywords":["!!"]}""", "opt_out_keywords")]
    public async Task InvalidKeywordsAreRefusedWithAProblemNamingTheField(string json, string field)
    {
        var response = await fixture.Admin.PostAsync("/bots", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors did not name {field}: {problem}");
    }

    private async Task SendAndSettleAsync(string bot, string user, string text, string[] statuses)
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, text)).StatusCode);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, statuses, Patience);
    }
}
