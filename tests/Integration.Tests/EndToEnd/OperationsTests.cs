using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HorizonAI.Integration.Tests.Infrastructure;
using Npgsql;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>Metrics, logs and health of real Silo and Gateway processes.</summary>
public sealed partial class OperationsTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task PerBotCountersMoveByTheRightAmountsAndLogsNameTheBotButNoSecrets()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var silo = cluster.StartSilo("silo");
        await cluster.WaitUntilReadyAsync(http, Startup, gateway);
        var siloHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{silo.HttpPort}") };

        const string restaurant = "+15556660001";
        const string pharmacy = "+15556660002";
        const string user = "+56987654321";
        const string body = "mi-mensaje-privado-7731";
        foreach (var bot in new[] { restaurant, pharmacy })
        {
            Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Bot", twilio_phone_number = bot, instructions = "Hola" })).StatusCode);
        }

        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        for (var i = 0; i < 3; i++)
        {
            await webhooks.SendAsync(restaurant, user, $"{body} {i}");
            await cluster.Upstreams.WaitForTwilioMessagesAsync(i + 1, TimeSpan.FromSeconds(30));
        }

        await webhooks.SendAsync(pharmacy, user, body);
        await cluster.Upstreams.WaitForTwilioMessagesAsync(4, TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Forbidden, (await webhooks.PostAsync("/webhook/whatsapp", WebhookClient.Inbound(restaurant, user, "x"), signature: "forged")).StatusCode);

        var siloMetrics = await Eventually.WaitAsync(() => siloHttp.GetStringAsync("/metrics"),
            m => Value(m, "horizonai_messages_sent_total", restaurant) == 3, TimeSpan.FromSeconds(30), "the silo's sent counter");
        Assert.Equal(3, Value(siloMetrics, "horizonai_messages_received_total", restaurant));
        Assert.Equal(1, Value(siloMetrics, "horizonai_messages_received_total", pharmacy));
        Assert.Equal(1, Value(siloMetrics, "horizonai_messages_sent_total", pharmacy));
        Assert.Equal(0, Value(siloMetrics, "horizonai_inbox_backlog", restaurant));
        Assert.True(Value(siloMetrics, "horizonai_tokens_total", restaurant, "kind=\"input\"") > 0);
        Assert.Equal(3, Value(siloMetrics, "horizonai_assistant_latency_seconds_count", restaurant));
        Assert.Contains("dotnet_gc_", siloMetrics, StringComparison.Ordinal);
        Assert.Contains("orleans_", siloMetrics, StringComparison.Ordinal);

        var gatewayMetrics = await http.GetStringAsync("/metrics");
        Assert.Matches("horizonai_webhook_rejections_total\\{[^}]*reason=\"bad_signature\"[^}]*\\} 1", gatewayMetrics);
        Assert.Contains("http_server_request_duration_seconds", gatewayMetrics, StringComparison.Ordinal);

        // Logs: the bot's number is on the message-path lines; no secret, full user number or message body is.
        var logs = silo.Output + "\n" + gateway.Output;
        Assert.Contains(silo.Lines, l => l.Contains(restaurant, StringComparison.Ordinal) && l.Contains("accepted message", StringComparison.Ordinal));
        Assert.Contains(silo.Lines, l => l.Contains(pharmacy, StringComparison.Ordinal) && l.Contains("accepted by Twilio", StringComparison.Ordinal));
        Assert.Contains("***4321", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(user, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(user.TrimStart('+'), logs, StringComparison.Ordinal);
        Assert.DoesNotContain(body, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSystem.AuthToken, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(TestSystem.AdminKey, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-key", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonLogsCarryTheBotNumberAsAStructuredProperty()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        cluster.ExtraSettings["LOG_FORMAT"] = "json";
        var (gateway, http) = cluster.StartGateway();
        var silo = cluster.StartSilo("silo");
        await cluster.WaitUntilReadyAsync(http, Startup, gateway);
        const string bot = "+15556660003";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Bot", twilio_phone_number = bot, instructions = "Hola" })).StatusCode);
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        await webhooks.SendAsync(bot, "+56911112222", "hola");
        await cluster.Upstreams.WaitForTwilioMessagesAsync(1, TimeSpan.FromSeconds(30));

        var accepted = await Eventually.WaitAsync(
            () => Task.FromResult(silo.Lines.Where(l => l.StartsWith('{') && l.Contains("accepted message", StringComparison.Ordinal)).ToList()),
            l => l.Count > 0, TimeSpan.FromSeconds(10), "a JSON line about the accepted message");
        using var json = JsonDocument.Parse(accepted[0]);
        Assert.Equal(bot, json.RootElement.GetProperty("State").GetProperty("BotNumber").GetString());
        Assert.Contains(json.RootElement.GetProperty("Scopes").EnumerateArray(), s => s.TryGetProperty("BotNumber", out var b) && b.GetString() == bot);
    }

    [Fact]
    public async Task ReadinessFailsWhileTheDatabaseIsUnreachableAndOnlyReportsTheClusterWhileNoSiloAnswers()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var database = new NpgsqlConnectionStringBuilder(cluster.Database.ConnectionString);
        await using var proxy = new TcpProxy(database.Host!, database.Port);
        database.Host = "127.0.0.1";
        database.Port = proxy.Port;
        database.Pooling = false;
        cluster.GatewayDatabaseUrl = database.ConnectionString;

        var (gateway, http) = cluster.StartGateway();
        var silo = cluster.StartSilo("silo");
        await cluster.WaitUntilReadyAsync(http, Startup, gateway);

        proxy.Cut();
        await Eventually.TrueAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "not ready without the database");
        Assert.Contains("database unreachable", await (await http.GetAsync("/health/ready")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        proxy.Restore();
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(30), gateway);

        // Without any silo the Gateway still stores webhooks: it stays ready and says how the cluster is.
        await silo.KillAsync();
        var degraded = await Eventually.WaitAsync(async () => await http.GetAsync("/health/ready"),
            r => r.Content.ReadAsStringAsync().Result.Contains("\"cluster\":{\"status\":\"Degraded\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(60), "the cluster reported degraded without any silo");
        Assert.Equal(HttpStatusCode.OK, degraded.StatusCode);
        // A lone new silo must first see the killed one declared dead, which takes Orleans a couple of minutes.
        cluster.StartSilo("silo-2");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromMinutes(4), gateway);
    }

    private static double Value(string metrics, string name, string bot, string? extraLabel = null)
    {
        var total = 0d;
        var found = false;
        foreach (var line in metrics.Split('\n'))
        {
            if (!line.StartsWith(name + "{", StringComparison.Ordinal) || !line.Contains($"bot=\"{bot}\"", StringComparison.Ordinal)
                || (extraLabel is not null && !line.Contains(extraLabel, StringComparison.Ordinal)))
            {
                continue;
            }

            var value = SampleValue().Match(line);
            total += double.Parse(value.Groups[1].Value, CultureInfo.InvariantCulture);
            found = true;
        }

        return found ? total : double.NaN;
    }

    [GeneratedRegex(@"\}\s+([-+0-9.eE]+)")]
    private static partial Regex SampleValue();
}
