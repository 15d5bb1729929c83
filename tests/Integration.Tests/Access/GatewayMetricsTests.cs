using System.Net;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Access;

/// <summary>The Gateway's /metrics carries a client's own traffic: webhooks by outcome and status callbacks by status, per bot.</summary>
public sealed class GatewayMetricsTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task WebhooksAndStatusCallbacksAreCountedPerBot()
    {
        var bot = SystemFixture.NewBotNumber();
        var other = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        await TestBots.CreateAsync(fixture.Admin, other, "Restaurante");

        const string sid = "SMgatewaymetrics00000000000000001";
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "hola", sid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "hola", sid)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(other, user, "hola")).StatusCode);
        var reply = Assert.Single(await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, TimeSpan.FromSeconds(30)), r => r.From == "whatsapp:" + bot);
        var status = new Dictionary<string, string>
        {
            ["MessageSid"] = reply.Sid,
            ["MessageStatus"] = "delivered",
            ["AccountSid"] = TestSystem.AccountSid,
            ["From"] = "whatsapp:" + bot,
            ["To"] = "whatsapp:" + user,
        };
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.PostAsync("/webhook/status", status)).StatusCode);

        using var scraper = fixture.System.Gateway.CreateClient();
        var metrics = await scraper.GetStringAsync("/metrics");
        Assert.Equal(1, Value(metrics, "horizonai_gateway_webhooks_total", bot, "outcome=\"accepted\""));
        Assert.Equal(1, Value(metrics, "horizonai_gateway_webhooks_total", bot, "outcome=\"duplicate\""));
        Assert.Equal(1, Value(metrics, "horizonai_gateway_webhooks_total", other, "outcome=\"accepted\""));
        Assert.Equal(0, Value(metrics, "horizonai_gateway_webhooks_total", other, "outcome=\"duplicate\""));
        Assert.Equal(1, Value(metrics, "horizonai_gateway_status_callbacks_total", bot, "status=\"delivered\""));

        // They name every bot: never served through the public proxy.
        using var proxied = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        proxied.Headers.Add("X-Forwarded-For", "203.0.113.7");
        Assert.Equal(HttpStatusCode.NotFound, (await scraper.SendAsync(proxied)).StatusCode);
    }

    /// <summary>The sum of a counter's samples for one bot (and label), 0 when it has none.</summary>
    private static double Value(string metrics, string name, string bot, string label) => metrics.Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains($"bot=\"{bot}\"", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
}
