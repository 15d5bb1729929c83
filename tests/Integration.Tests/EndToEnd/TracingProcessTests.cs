using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>
/// One message's trace survives a kill -9 of the silo running its turn, between real processes: the Gateway's line
/// about the webhook, the first silo's line about the message and the second silo's line about its reply carry the
/// same trace id. The processes export to an OTLP endpoint where nothing listens (an in-memory exporter cannot see
/// into another process); the trace ids on their log lines are those of their spans.
/// </summary>
public sealed partial class TracingProcessTests
{
    [Fact]
    public async Task TheTurnRetriedAfterAKill9OfItsSiloIsInTheWebhooksTrace()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        cluster.ExtraSettings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:" + ProductProcess.FreePort();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558870001";
        const string user = "+56990070001";
        const string sid = "SMtraceprocess000000000000000001";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Trazas", twilio_phone_number = bot, instructions = "Trazas" })).StatusCode);

        // The turn hangs at the assistant: the silo dies mid-turn, with the message claimed by nothing but its row.
        cluster.Upstreams.OpenAI.Hang = true;
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, user, "hola", sid)).StatusCode);
        var webhookTrace = await TraceOfAsync(gateway, sid, "the Gateway's line about the webhook");
        Assert.Equal(webhookTrace, await TraceOfAsync(first, "accepted message", "the first silo's line about the message"));
        await first.KillAsync();
        cluster.Upstreams.OpenAI.Hang = false;
        var second = cluster.StartSilo("silo-b");
        var reply = (await Eventually.WaitAsync(() => Task.FromResult(cluster.Upstreams.TwilioMessages.Where(m => m.To == "whatsapp:" + user).ToList()),
            r => r.Count > 0, TimeSpan.FromMinutes(4), "the reply after the restart"))[0];

        Assert.Equal(webhookTrace, await TraceOfAsync(second, reply.Sid, "the second silo's line about the reply"));
    }

    private static async Task<string> TraceOfAsync(ProductProcess process, string text, string what)
    {
        var line = await Eventually.WaitAsync(() => Task.FromResult(process.Lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal) && TraceId().IsMatch(l))),
            l => l is not null, TimeSpan.FromSeconds(30), what + " in\n" + process.Output);
        return TraceId().Match(line!).Groups[1].Value;
    }

    [GeneratedRegex(" trace=([0-9a-f]{32}) ")]
    private static partial Regex TraceId();
}
