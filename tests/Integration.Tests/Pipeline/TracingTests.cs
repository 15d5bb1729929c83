using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.ServiceDefaults.Logging;
using HorizonAI.ServiceDefaults.Telemetry;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// One WhatsApp message, one trace: the webhook's span is its root, and the forward, the grain calls, the turn (read
/// back from the table), the assistant's HTTP call, the send and Twilio's HTTP call all belong to it, parented in that
/// order; the status callback links to the send it settles and the group-commit flushes link to the traces they serve.
/// Recorded with the product's tracing configuration and the in-memory exporter, through the real path.
/// </summary>
public sealed class TracingTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OneMessageIsOneTraceFromTheWebhookToItsDeliveryWithoutItsText()
    {
        using var traces = new RecordedTraces();
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Restaurante Trazas");
        var secret = "mesa-" + Guid.NewGuid().ToString("N")[..12];
        var sid = "SMtrace" + Guid.NewGuid().ToString("N")[..27];

        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, $"Hola, {secret} para cuatro", sid)).StatusCode);
        var reply = (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience))[0];
        Assert.Contains(secret, reply.Body, StringComparison.Ordinal); // the stand-in echoes it: the reply's text carries it too
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.PostAsync("/webhook/status", new Dictionary<string, string>
        {
            ["MessageSid"] = reply.Sid,
            ["MessageStatus"] = "delivered",
            ["AccountSid"] = TestSystem.AccountSid,
            ["From"] = "whatsapp:" + bot,
            ["To"] = "whatsapp:" + user,
        })).StatusCode);

        var webhook = await traces.WaitForAsync(s => s.Kind == ActivityKind.Server && Tag(s, HorizonTracing.MessageSidTag) == sid, Patience, "the webhook's span");
        var send = await traces.WaitForAsync(s => s.OperationName == "horizonai.send" && Tag(s, HorizonTracing.MessageSidTag) == reply.Sid, Patience, "the send's span");
        var callback = await traces.WaitForAsync(
            s => s.Kind == ActivityKind.Server && Tag(s, HorizonTracing.MessageSidTag) == reply.Sid && Tag(s, HorizonTracing.OutcomeTag) is not null, Patience, "the status callback's span");
        var trace = traces.InTrace(webhook.TraceId);

        // The webhook is the root; the forward is its background child and carries the grain call to the silo.
        Assert.Equal(default, webhook.ParentSpanId);
        Assert.Equal(bot, Tag(webhook, HorizonTracing.BotTag));
        Assert.Equal(PhoneMask.Mask(user), Tag(webhook, HorizonTracing.UserTag));
        var forward = Assert.Single(trace, s => s.OperationName == "horizonai.forward");
        Assert.Equal(webhook.SpanId, forward.ParentSpanId);
        Assert.Contains(trace, s => s.Source.Name == TelemetryExtensions.OrleansSource && s.ParentSpanId == forward.SpanId);

        // The turn was started from the traceparent stored with the message's row: the webhook's child.
        var turn = Assert.Single(trace, s => s.OperationName == "horizonai.turn");
        Assert.Equal(webhook.SpanId, turn.ParentSpanId);
        Assert.Equal(bot, Tag(turn, HorizonTracing.BotTag));
        Assert.Equal(PhoneMask.Mask(user), Tag(turn, HorizonTracing.UserTag));
        Assert.Equal([sid], (string[])turn.GetTagItem(HorizonTracing.MessageSidsTag)!);
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && Url(s).Contains("/v1/", StringComparison.Ordinal) && RecordedTraces.IsUnder(s, turn, trace));

        // The send is the turn's child (from the part's stored traceparent), Twilio's HTTP call the send's.
        Assert.Equal(send.TraceId, webhook.TraceId);
        Assert.Equal(turn.SpanId, send.ParentSpanId);
        Assert.Contains(trace, s => s.Kind == ActivityKind.Client && Url(s).EndsWith("/Messages.json", StringComparison.Ordinal) && s.ParentSpanId == send.SpanId);

        // The status callback has its own trace, linked to the send it settles; a flush linked to the message's trace.
        Assert.NotEqual(webhook.TraceId, callback.TraceId);
        Assert.Contains(callback.Links, l => l.Context.TraceId == send.TraceId && l.Context.SpanId == send.SpanId);
        Assert.Contains(traces.All(), s => s.OperationName == "horizonai.store.flush" && s.Links.Any(l => l.Context.TraceId == webhook.TraceId));

        // Nothing of the message's or the reply's text, nor the user's number, in any span of either trace.
        foreach (var span in trace.Append(callback))
        {
            Assert.All(RecordedTraces.TextOf(span), text =>
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                Assert.DoesNotContain(user, text, StringComparison.Ordinal);
                Assert.DoesNotContain(user.TrimStart('+'), text, StringComparison.Ordinal);
            });
        }

        // The row keeps the webhook's traceparent.
        Assert.Equal(webhook.Id, await fixture.System.Database.ScalarAsync<string>("select traceparent from messages where twilio_sid = @sid", ("sid", sid)));
    }

    [Fact]
    public async Task AKeywordsAnswerIsATurnOfItsMessagesTraceAndAnOperatorsMessageIsSentInTheTraceOfItsRequest()
    {
        using var traces = new RecordedTraces();
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia Trazas");
        var sid = "SMtrace" + Guid.NewGuid().ToString("N")[..27];

        // The user writes to the bot (which opens the 24-hour window), then stops its messages with a keyword.
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        await fixture.Webhooks.SendAsync(bot, user, "STOP", sid);
        var confirmation = (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 2, Patience))[1];
        var webhook = await traces.WaitForAsync(s => s.Kind == ActivityKind.Server && Tag(s, HorizonTracing.MessageSidTag) == sid, Patience, "the keyword's webhook span");
        var keywordSend = await traces.WaitForAsync(s => s.OperationName == "horizonai.send" && Tag(s, HorizonTracing.MessageSidTag) == confirmation.Sid, Patience,
            "the confirmation's send");
        var trace = traces.InTrace(webhook.TraceId);
        var turn = Assert.Single(trace, s => s.OperationName == "horizonai.turn");
        Assert.Equal((webhook.SpanId, "keyword"), (turn.ParentSpanId, Tag(turn, HorizonTracing.OutcomeTag)));
        Assert.Equal(turn.SpanId, keywordSend.ParentSpanId);

        // Back again, then an operator writes through the admin API: the send is in the trace of that request.
        await fixture.Webhooks.SendAsync(bot, user, "START");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 3, Patience);
        var posted = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}/messages", new { text = "Su pedido está listo", sent_by = "Ana" });
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var operatorMessage = (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 4, Patience))[3];
        var operatorSend = await traces.WaitForAsync(s => s.OperationName == "horizonai.send" && Tag(s, HorizonTracing.MessageSidTag) == operatorMessage.Sid, Patience,
            "the operator's send");
        var request = await traces.WaitForAsync(s => s.Kind == ActivityKind.Server && s.TraceId == operatorSend.TraceId && s.ParentSpanId == default, Patience,
            "the admin request's span");
        Assert.EndsWith("/messages", Tag(request, "url.path") ?? Tag(request, "http.route") ?? request.DisplayName, StringComparison.Ordinal);
        Assert.True(RecordedTraces.IsUnder(operatorSend, request, traces.InTrace(request.TraceId)));
    }

    [Fact]
    public async Task EachCampaignMessageIsATraceFromItsQueueingToItsSend()
    {
        using var traces = new RecordedTraces();
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Restaurante Campañas", new
        {
            templates = new object[] { new { name = "aviso", content_sid = "HX" + new string('7', 32), language = "es", variables = new[] { "name" } } },
        });
        var created = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/campaigns", new
        {
            name = "Aviso", template = "aviso", recipients = new[] { new { to = user, variables = new Dictionary<string, string> { ["name"] = "Ana" } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var sent = (await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience))[0];
        var send = await traces.WaitForAsync(s => s.OperationName == "horizonai.send" && Tag(s, HorizonTracing.MessageSidTag) == sent.Sid, Patience, "the campaign message's send");
        var queued = await traces.WaitForAsync(s => s.OperationName == "horizonai.campaign.queue" && s.TraceId == send.TraceId, Patience, "its queueing");
        Assert.Equal((default, bot, PhoneMask.Mask(user)), (queued.ParentSpanId, Tag(queued, HorizonTracing.BotTag), Tag(queued, HorizonTracing.UserTag)));
        Assert.True(RecordedTraces.IsUnder(send, queued, traces.InTrace(send.TraceId)));
    }

    [Fact]
    public async Task AMessageHeldForAPersonIsATurnOfItsTraceThatAnswersNothing()
    {
        using var traces = new RecordedTraces();
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Tienda Trazas");
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PutAsJsonAsync($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}/mode", new { mode = "human" })).StatusCode);

        var sid = "SMtrace" + Guid.NewGuid().ToString("N")[..27];
        Assert.Equal(HttpStatusCode.OK, (await fixture.Webhooks.SendAsync(bot, user, "¿hay alguien?", sid)).StatusCode);
        await fixture.System.Database.WaitForInboundStatusesAsync(bot, ["answered", "held"], Patience);

        var webhook = await traces.WaitForAsync(s => s.Kind == ActivityKind.Server && Tag(s, HorizonTracing.MessageSidTag) == sid, Patience, "the held message's webhook span");
        var turn = await traces.WaitForAsync(s => s.OperationName == "horizonai.turn" && s.TraceId == webhook.TraceId, Patience, "the hold's turn span");
        Assert.Equal((webhook.SpanId, "held", bot), (turn.ParentSpanId, Tag(turn, HorizonTracing.OutcomeTag), Tag(turn, HorizonTracing.BotTag)));
        Assert.Equal([sid], (string[])turn.GetTagItem(HorizonTracing.MessageSidsTag)!);
        Assert.DoesNotContain(traces.InTrace(webhook.TraceId), s => s.OperationName == "horizonai.send");
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static string Url(Activity span) => Tag(span, "url.full") ?? "";
}
