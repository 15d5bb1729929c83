using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>Nothing acknowledged is lost when the silo holding the conversations dies mid-turn.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task PendingMessagesOfAKilledSiloAreAnsweredOnceAfterARestart()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);

        string[] bots = ["+15558880001", "+15558880002", "+15558880003"];
        foreach (var bot in bots)
        {
            var created = await http.PostAsJsonAsync("/bots", new { name = "Bot " + bot, twilio_phone_number = bot, instructions = "Tenant " + bot });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Every turn hangs, so messages are accepted and stored but none is answered before the crash.
        cluster.Upstreams.OpenAI.Hang = true;
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        var sent = new List<(string Bot, string User, string Text)>();
        for (var u = 0; u < 4; u++)
        {
            var bot = bots[u % bots.Length];
            var user = $"+5699000{u:D4}";
            for (var m = 1; m <= 3; m++)
            {
                var text = $"u{u}-m{m}";
                var response = await webhooks.SendAsync(bot, user, text);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                sent.Add((bot, user, text));
            }
        }

        Assert.Equal(sent.Count, (int)await cluster.Database.ScalarAsync<long>("select count(*) from messages where direction = 'inbound'"));
        await first.KillAsync();
        cluster.Upstreams.OpenAI.Hang = false;
        cluster.StartSilo("silo-b");

        // The recovery reminder brings each conversation back on the new silo; one turn answers all its messages.
        var replies = await Eventually.WaitAsync(
            () => Task.FromResult(cluster.Upstreams.TwilioMessages.ToList()),
            r => sent.Select(s => s.User).Distinct().All(user => r.Any(m => m.To == "whatsapp:" + user)),
            TimeSpan.FromMinutes(4), "a reply to every user after the restart");
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where direction = 'inbound' and status = 'answered'") == sent.Count, TimeSpan.FromSeconds(60), "every inbound message marked answered");

        foreach (var group in sent.GroupBy(s => (s.Bot, s.User)))
        {
            var reply = Assert.Single(cluster.Upstreams.TwilioMessages, m => m.To == "whatsapp:" + group.Key.User);
            Assert.Equal("whatsapp:" + group.Key.Bot, reply.From);
            Assert.Contains(string.Join("\n", group.Select(g => g.Text)), reply.Body);
            Assert.Contains("Tenant " + group.Key.Bot, reply.Body);
        }

        Assert.Equal(0, cluster.Upstreams.ConversationLockedCount);
    }
}
