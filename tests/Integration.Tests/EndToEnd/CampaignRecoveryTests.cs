using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>A campaign of 10,000 recipients, paced per bot number, through a kill -9 of the silo sending it.</summary>
public sealed class CampaignRecoveryTests
{
    private const string Template = "HX0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task TenThousandRecipientsAtTheConfiguredRateSurviveAKill9WithNoDuplicateAndNoneMissing()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558880030";
        const int rate = 100;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new
        {
            name = "Campaña", twilio_phone_number = bot, send_rate_per_second = rate,
            templates = new[] { new { name = "promo", content_sid = Template, language = "es", variables = new[] { "name" } } },
        })).StatusCode);
        var users = Enumerable.Range(0, 10_000).Select(i => $"+5698{i:D7}").ToList();
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, users[0], "BAJA")).StatusCode);
        await cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + users[0]), TimeSpan.FromSeconds(30), "the opt-out confirmation");

        var created = await http.PostAsJsonAsync($"/bots/{bot}/campaigns", new
        {
            name = "Diciembre", template = "promo",
            recipients = users.Select((u, i) => new { to = u, variables = new Dictionary<string, string> { ["name"] = $"Cliente {i}" } }),
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var started = DateTimeOffset.UtcNow;

        // A third of the way, the silo sending it dies; another takes over from the tables.
        await cluster.Upstreams.WaitUntilAsync(s => CampaignMessages(s.TwilioMessages, bot).Count >= 3_000, TimeSpan.FromMinutes(2), "3,000 messages sent");
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        cluster.StartSilo("silo-b");

        // While the dead silo is not yet declared dead, reads may answer 503: asked again.
        var done = await Eventually.WaitAsync(async () =>
            {
                var response = await http.GetAsync($"/bots/{bot}/campaigns/{id}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            },
            c => c.ValueKind == JsonValueKind.Object && c.GetProperty("status").GetString() == "done", TimeSpan.FromMinutes(6), "the campaign done");
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            $"select count(*) from messages where bot_id = (select id from bots where phone_number = '{bot}') and status = 'pending'") == 0, TimeSpan.FromMinutes(2), "every queued message sent");
        var took = DateTimeOffset.UtcNow - started;

        var perUser = CampaignMessages(cluster.Upstreams.TwilioMessages, bot).GroupBy(m => m.To["whatsapp:".Length..]).ToDictionary(g => g.Key, g => g.Count());
        var duplicates = perUser.Values.Sum(n => n - 1);
        var missing = users.Skip(1).Count(u => !perUser.ContainsKey(u));
        Assert.True(duplicates == 0 && missing == 0, $"{duplicates} duplicates, {missing} missing of 9,999");
        Assert.False(perUser.ContainsKey(users[0])); // opted out: never sent to
        Assert.Equal((9_999, 1, 0), (done.GetProperty("queued").GetInt32(), done.GetProperty("skipped").GetInt32(), done.GetProperty("pending").GetInt32()));
        Assert.True(took >= TimeSpan.FromSeconds(9_999.0 / rate), $"9,999 messages at {rate} a second took only {took}");
        Assert.True(cluster.Upstreams.WhatsApp.PeakSendsPerSecond[$"whatsapp:{bot}"] <= rate * 1.5,
            $"peak {cluster.Upstreams.WhatsApp.PeakSendsPerSecond[$"whatsapp:{bot}"]} sends in one second at a rate of {rate}");
    }

    private static List<HorizonAI.Sandbox.SentMessage> CampaignMessages(IEnumerable<HorizonAI.Sandbox.SentMessage> messages, string bot) =>
        [.. messages.Where(m => m.From == "whatsapp:" + bot && m.ContentSid == Template)];
}
