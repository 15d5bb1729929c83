using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Access;

/// <summary>The audit log in PostgreSQL: every admin write and transcript read, by key id, read back scoped; retention.</summary>
public sealed class AuditLogTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task AWriteRefusedForItsBodyIsOnRecordWithItsAnswer()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Librería");
        var (id, key) = await TestKeys.CreateAsync(fixture.Admin, "operate", bot);
        using var client = fixture.System.ClientFor(key);

        var refused = await client.PostAsJsonAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(SystemFixture.NewUserNumber())}/messages", new { text = "hola", colour = "red" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("unknown field colour", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("colour")[0].GetString());
        var entry = Assert.Single((await fixture.Admin.GetFromJsonAsync<JsonElement>($"/audit?key_id={id}")).GetProperty("items").EnumerateArray());
        Assert.Equal(("POST /bots/{number}/conversations/{user}/messages", 400), (entry.GetProperty("action").GetString(), entry.GetProperty("status").GetInt32()));
    }

    [Fact]
    public async Task WritesAndTranscriptReadsAreRecordedWithTheKeyIdAndReadBackOnlyForTheKeysBots()
    {
        var bot = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        await TestBots.CreateAsync(fixture.Admin, other, "Restaurante");
        var (id, key) = await TestKeys.CreateAsync(fixture.Admin, "operate", bot);
        using var client = fixture.System.ClientFor(key);
        var conversation = $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}";
        await fixture.Webhooks.SendAsync(bot, user, "hola"); // the user writes first: the window for free text is open
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(conversation)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(conversation)).StatusCode); // the same read again: on record once
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync(conversation + "/messages", new { text = "Hola, soy Ana" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.DeleteAsync($"/bots/{bot}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/bots/{bot}/conversations")).StatusCode); // a list, not a transcript: not audited
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync($"/bots/{other}/conversations/{Uri.EscapeDataString(user)}")).StatusCode);

        var mine = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/audit?key_id={id}")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [("DELETE /bots/{number}", 403), ("POST /bots/{number}/conversations/{user}/messages", 202), ("GET /bots/{number}/conversations/{user}", 200)],
            mine.Select(e => (e.GetProperty("action").GetString(), e.GetProperty("status").GetInt32())));
        Assert.All(mine, e => Assert.Equal(bot, e.GetProperty("bot_number").GetString()));
        Assert.Equal(user, mine[1].GetProperty("user_number").GetString());
        Assert.All(mine, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("client").GetString())));
        Assert.Equal(0, await fixture.System.Database.ScalarAsync<long>($"select count(*) from audit_log a where a::text like '%{key[17..]}%'"));

        // The key reads its own bot's entries: not the admin's read of the other bot, nor anything of it by name.
        var scoped = (await client.GetFromJsonAsync<JsonElement>("/audit?limit=500")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(scoped, e => e.GetProperty("key_id").GetString() == id);
        Assert.All(scoped, e => Assert.Equal(bot, e.GetProperty("bot_number").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/audit?bot={Uri.EscapeDataString(other)}")).StatusCode);
        var admins = (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/audit?bot={Uri.EscapeDataString(other)}")).GetProperty("items").EnumerateArray();
        Assert.Contains(admins, e => e.GetProperty("key_id").GetString() == "admin" && e.GetProperty("action").GetString() == "GET /bots/{number}/conversations/{user}");
    }

    [Fact]
    public async Task EntriesOlderThanTheRetentionArePruned()
    {
        var bot = SystemFixture.NewBotNumber();
        await fixture.System.Database.ExecuteAsync($"""
            insert into audit_log (at, key_id, action, bot_number, status, client)
            values (now() - interval '400 days', 'admin', 'PUT /bots/{"{number}"}', '{bot}', 200, '10.0.0.1'),
                   (now() - interval '10 days', 'admin', 'PUT /bots/{"{number}"}', '{bot}', 200, '10.0.0.1')
            """);

        Assert.True(await fixture.System.Client.GetGrain<IAuditLogGrain>(0).PruneAsync() >= 1);
        Assert.Equal(1, await fixture.System.Database.ScalarAsync<long>($"select count(*) from audit_log where bot_number = '{bot}'"));
    }
}
