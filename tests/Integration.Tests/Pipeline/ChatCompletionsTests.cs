using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>With <c>OPENAI_API=chat_completions</c> the conversation grain keeps each user's history itself.</summary>
public sealed class ChatCompletionsTests(ChatCompletionsFixture fixture) : IClassFixture<ChatCompletionsFixture>
{
    [Fact]
    public async Task HistoryIsKeptPerUserBoundedByTheBudgetAndSurvivesASiloRestart()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        var other = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Chat bot");

        await SendAndWaitAsync(bot, user, "primero", 1);
        await SendAndWaitAsync(bot, other, "ajeno", 1);
        await SendAndWaitAsync(bot, user, "segundo", 2);

        var second = LastRequest(user, "segundo");
        Assert.Equal(AssistantRequest.ChatCompletionsApi, second.Api);
        Assert.Equal(["system", "user", "assistant", "user"], second.Messages.Select(m => m.Role));
        Assert.Equal("primero", second.Messages[1].Content);
        Assert.DoesNotContain(second.Messages, m => m.Content.Contains("ajeno", StringComparison.Ordinal));

        // The history lives in grain state in PostgreSQL: a new silo that replaces the old one still has it.
        var old = fixture.System.Cluster.Silos[0];
        await fixture.System.Cluster.StartAdditionalSiloAsync();
        await fixture.System.Cluster.StopSiloAsync(old);
        await fixture.System.Cluster.WaitForLivenessToStabilizeAsync();

        // Whatever the stop handed over in memory goes too: the next activation reads its state from PostgreSQL.
        await fixture.System.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await SendAndWaitAsync(bot, user, "tercero", 3);
        var third = LastRequest(user, "tercero");
        Assert.Contains(third.Messages, m => m.Role == "user" && m.Content == "segundo");

        // With a 400-character budget the oldest turns are dropped first.
        await SendAndWaitAsync(bot, user, "cuarto " + new string('x', 150), 4);
        await SendAndWaitAsync(bot, user, "quinto", 5);
        var fifth = LastRequest(user, "quinto");
        Assert.DoesNotContain(fifth.Messages, m => m.Content == "primero");
        Assert.True(fifth.Messages.Where(m => m.Role != "system").SkipLast(1).Sum(m => m.Content.Length) <= 400);
    }

    [Fact]
    public async Task AnImageReachesTheServerAsAnImageContentPartAndTheHistoryRemembersItAsANote()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Chat bot");
        var png = SampleMedia.Png(6, 6);

        await fixture.Webhooks.SendWithMediaAsync(bot, user, "¿qué es?", (fixture.System.AddMedia(png, "image/png"), "image/png"));
        var reply = Assert.Single(await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, TimeSpan.FromSeconds(45)));
        Assert.Contains($"you said: ¿qué es?\n[image image/png {png.Length} bytes png]", reply.Body, StringComparison.Ordinal);

        // The history we keep holds text only: the image is remembered as a note, not sent again.
        await SendAndWaitAsync(bot, user, "gracias", 2);
        var next = LastRequest(user, "gracias");
        Assert.Contains(next.Messages, m => m.Role == "user" && m.Content == "¿qué es?\n[image: image/png]");
    }

    [Fact]
    public async Task TheRequestHumanFunctionCallOfAnOpenAICompatibleServerHandsTheConversationToAPerson()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Chat bot", new { handoff_tool = true, handoff_message = "Le paso con el farmacéutico." });

        await SendAndWaitAsync(bot, user, "¿puedo tomar esto con alcohol? #handoff:prescription question", 1);
        Assert.Equal("Le paso con el farmacéutico.", Assert.Single(fixture.System.Upstreams.RepliesTo(user)).Body);
        var listed = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations")).GetProperty("items")[0];
        Assert.Equal("human", listed.GetProperty("mode").GetString());
        Assert.Equal("assistant", listed.GetProperty("handoff_trigger").GetString());
        Assert.Equal("prescription question", listed.GetProperty("handoff_reason").GetString());

        // Held while the person has it; given back, the next turn carries the plain-text history with the handoff message.
        var turns = fixture.System.Upstreams.OpenAIRequests.Count;
        await fixture.Webhooks.SendAsync(bot, user, "¿hola?");
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "held"], TimeSpan.FromSeconds(30));
        Assert.Equal(turns, fixture.System.Upstreams.OpenAIRequests.Count);
        await fixture.Admin.PutAsJsonAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}/mode", new { mode = "bot" });
        await SendAndWaitAsync(bot, user, "gracias", 2);
        Assert.Contains(LastRequest(user, "gracias").Messages, m => m.Role == "assistant" && m.Content == "Le paso con el farmacéutico.");
    }

    private AssistantRequest LastRequest(string user, string text) =>
        fixture.System.Upstreams.OpenAIRequests.Last(r => r.InputText == text || r.InputText.StartsWith(text, StringComparison.Ordinal));

    private async Task SendAndWaitAsync(string bot, string user, string text, int replies)
    {
        // Right after a silo leaves, the Gateway may still route to it and answer 503 (nothing stored); the same
        // message is then posted again, as Twilio's fallback would.
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var status = await Eventually.WaitAsync(
            async () => (await fixture.Webhooks.SendAsync(bot, user, text, sid)).StatusCode,
            s => s != System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(45), $"the webhook for '{text}' to be stored");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, replies, TimeSpan.FromSeconds(45));
    }
}
