using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>
/// A webhook is acknowledged once the Gateway has committed its row, which needs PostgreSQL only: with every silo
/// killed, messages are still accepted (a disabled bot's recorded without reply), and once a silo is back each is
/// answered once. A bot created through one Gateway is known at once to another.
/// </summary>
public sealed class SiloOutageTests
{
    [Fact]
    public async Task WithEverySiloKilledWebhooksAreAcceptedAndEachIsAnsweredOnceWhenASiloReturns()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (firstGateway, admin) = cluster.StartGateway();
        var (_, other) = cluster.StartGateway();
        var silo = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(admin, TimeSpan.FromSeconds(90), firstGateway);

        // Created through one Gateway, written to through the other a moment later: never refused as unknown.
        const string bot = "+15558880020";
        const string disabled = "+15558880021";
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/bots", new { name = "Outage", twilio_phone_number = bot })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/bots", new { name = "Off", twilio_phone_number = disabled, enabled = false })).StatusCode);
        var webhooks = new WebhookClient(other) { BaseUrl = other.BaseAddress!.ToString().TrimEnd('/') };
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, "+56991110000", "antes")).StatusCode);

        await silo.KillAsync();
        Assert.Equal(137, silo.ExitCode);

        // No silo at all: every webhook is still answered 200, and what it carries is in the table.
        var sent = Enumerable.Range(1, 20).Select(i => (User: $"+5699111{i:D4}", Text: $"sin silo {i}")).ToList();
        foreach (var (user, text) in sent)
        {
            Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, user, text)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(disabled, "+56991119999", "nadie contesta")).StatusCode);
        Assert.Equal(sent.Count, (int)await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and body like 'sin silo %'", ("bot", bot)));
        Assert.Equal("ignored", await cluster.Database.ScalarAsync<string>(
            "select status from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound'", ("bot", disabled)));

        // A silo returns (once the killed one is declared dead): each message is answered once.
        cluster.StartSilo("silo-b");
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where status in ('received', 'answering', 'pending')") == 0, TimeSpan.FromMinutes(4), "every message settled");
        foreach (var (user, text) in sent)
        {
            var reply = Assert.Single(cluster.Upstreams.TwilioMessages, r => r.To == "whatsapp:" + user);
            Assert.EndsWith("you said: " + text, reply.Body, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(cluster.Upstreams.TwilioMessages, r => r.From == "whatsapp:" + disabled);
        Assert.Equal(sent.Count + 1, (int)await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'inbound' and status = 'answered'", ("bot", bot)));
    }
}
