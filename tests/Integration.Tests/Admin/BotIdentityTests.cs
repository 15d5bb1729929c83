using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Admin;

/// <summary>
/// A bot's data belongs to its id, not to its number: a number given to another client starts clean (transcripts,
/// usage, OpenAI conversations, keys), a restore of the deleted bot's own backup takes its data back, an id that was
/// another number's is refused, and a deleted bot leaves every key's scope for good.
/// </summary>
public sealed class BotIdentityTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task ANewBotOnARecycledNumberSeesNothingOfTheOldOneAndARestoreOfTheOldOneTakesItAllBack()
    {
        var number = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, number, "Cliente A");
        var backup = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        var oldId = backup.GetProperty("id").GetString()!;
        Assert.StartsWith("bot_", oldId, StringComparison.Ordinal);
        await fixture.Webhooks.SendAsync(bot: number, user, "pedido de A");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        var oldConversation = await WaitForTranscriptAsync(number, user, 2);
        var firstOpenAIConversation = OpenAIConversationOf("Cliente A");

        // Deleted without purge, the number goes to another client.
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        await TestBots.CreateAsync(Admin, number, "Cliente B");
        var newId = (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("id").GetString();
        Assert.NotEqual(oldId, newId);

        // Nothing of the old client is the new client's: no conversation, no transcript, no usage.
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}/conversations")).GetProperty("total").GetInt32());
        Assert.Equal(0, (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}/conversations/{Uri.EscapeDataString(user)}")).GetProperty("total").GetInt32());
        Assert.Equal(0, InboundMessages(await UsageAsync(number)));

        // The same user writes to the new client: a fresh OpenAI conversation, the new bot's instructions.
        await fixture.Webhooks.SendAsync(bot: number, user, "pedido de B");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience);
        var newTranscript = await WaitForTranscriptAsync(number, user, 2);
        Assert.Equal("pedido de B", newTranscript[0].GetProperty("text").GetString());
        Assert.NotEqual(firstOpenAIConversation, OpenAIConversationOf("Cliente B"));

        // A backup of the old bot cannot take the number while the new client has it.
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PostAsJsonAsync("/bots", backup)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Admin.PutAsJsonAsync($"/bots/{number}", backup)).StatusCode);

        // Once the new client leaves (with its data purged), the old backup re-attaches the old data.
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}?purge=true")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/bots", backup)).StatusCode);
        Assert.Equal(oldId, (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("id").GetString());
        var restored = await WaitForTranscriptAsync(number, user, 2);
        Assert.Equal(oldConversation.Select(m => m.GetProperty("text").GetString()), restored.Select(m => m.GetProperty("text").GetString()));
        Assert.Equal(1, InboundMessages(await UsageAsync(number)));

        // The restored client's next turn continues its own OpenAI conversation.
        await fixture.Webhooks.SendAsync(bot: number, user, "sigo siendo A");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 3, Patience);
        Assert.Equal(firstOpenAIConversation, OpenAIConversationOf("Cliente A", latest: true));
    }

    [Fact]
    public async Task AnIdThatWasAnotherNumbersIsRefusedOnCreateAndRejectedInAnImport()
    {
        var first = SystemFixture.NewBotNumber();
        var second = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, first, "Uno");
        var taken = (await Admin.GetFromJsonAsync<JsonElement>($"/bots/{first}")).GetProperty("id").GetString();

        var created = await Admin.PostAsJsonAsync("/bots", new { id = taken, name = "Dos", twilio_phone_number = second });
        Assert.Equal(HttpStatusCode.Conflict, created.StatusCode);
        Assert.Contains(taken!, await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var import = await Admin.PostAsJsonAsync("/bots/import", new object[]
        {
            new { id = taken, name = "Dos", twilio_phone_number = second },
            new { name = "Tres", twilio_phone_number = SystemFixture.NewBotNumber() },
        });
        var summary = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, summary.GetProperty("created").GetInt32());
        var rejected = Assert.Single(summary.GetProperty("rejected").EnumerateArray());
        Assert.Equal(second, rejected.GetProperty("twilio_phone_number").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Admin.GetAsync($"/bots/{second}")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await Admin.PostAsJsonAsync("/bots", new { id = "not-an-id", name = "Cuatro", twilio_phone_number = second })).StatusCode);
    }

    [Fact]
    public async Task ADeletedBotLeavesEveryKeysScopeAndNeitherARestoreNorALaterBotOnItsNumberIsSeenByThem()
    {
        var number = SystemFixture.NewBotNumber();
        var kept = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, number, "Se va");
        await TestBots.CreateAsync(Admin, kept, "Se queda");
        var backup = await Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        var (keyId, key) = await TestKeys.CreateAsync(Admin, "read", number, kept);
        using var client = fixture.System.ClientFor(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/bots/{number}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        var scope = await Admin.GetFromJsonAsync<JsonElement>($"/keys/{keyId}");
        Assert.Equal([kept], scope.GetProperty("bots").EnumerateArray().Select(b => b.GetString()));
        Assert.Single(scope.GetProperty("bot_ids").EnumerateArray());

        // A later bot on the number is another client's; the restored old bot is not granted back either.
        await TestBots.CreateAsync(Admin, number, "Otro cliente");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Admin.DeleteAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Admin.PostAsJsonAsync("/bots", backup)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/bots/{number}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/bots/{kept}")).StatusCode);
        Assert.Equal([kept], (await client.GetFromJsonAsync<JsonElement[]>("/bots"))!.Select(b => b.GetProperty("twilio_phone_number").GetString()));
    }

    private async Task<List<JsonElement>> WaitForTranscriptAsync(string bot, string user, int count)
    {
        var transcript = await Eventually.WaitAsync(
            () => Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}"),
            t => t.GetProperty("total").GetInt32() >= count, Patience, $"{count} messages in the transcript");
        return [.. transcript.GetProperty("items").EnumerateArray()];
    }

    private Task<JsonElement> UsageAsync(string bot) => Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/usage");

    private static int InboundMessages(JsonElement usage) => usage.GetProperty("total").GetProperty("inbound_messages").GetInt32();

    /// <summary>The OpenAI conversation the assistant turns of a bot (known by its instructions) ran in, first or latest.</summary>
    private string? OpenAIConversationOf(string instructions, bool latest = false)
    {
        var turns = fixture.System.Upstreams.OpenAIRequests.Where(r => r.Instructions == instructions).ToList();
        Assert.NotEmpty(turns);
        return (latest ? turns[^1] : turns[0]).ConversationId;
    }
}
