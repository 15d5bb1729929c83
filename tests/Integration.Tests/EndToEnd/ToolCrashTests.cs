using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;
using HorizonAI.Sandbox.Business;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>A booking is made once, as the business sees it, when the silo running the turn dies mid-call.</summary>
public sealed class ToolCrashTests
{
    [Fact]
    public async Task AKill9WhileTheBusinessIsBookingLeavesOneBookingUnderOneKeyAndTheUserOneReply()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558880040";
        const string user = "+56991110040";
        var business = cluster.Sandbox.BaseUrl() + SandboxBusiness.RestaurantPath + "/book_table?hold=1";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new
        {
            name = "Restaurante",
            twilio_phone_number = bot,
            instructions = "Reservas",
            tools = new object[]
            {
                new
                {
                    name = "book_table",
                    description = "Books a table.",
                    parameters = new { type = "object", properties = new { people = new { type = "integer" }, time = new { type = "string" } }, required = new[] { "people", "time" } },
                    url = business,
                    timeout_ms = 30_000,
                },
            },
            tools_secret = SandboxBusiness.ToolsSecret,
        })).StatusCode);

        // The business books at once and holds its answer: the silo dies while the call is open.
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, user, """Mesa para 4 a las 21:30 #tool:book_table{"people":4,"time":"21:30"}""")).StatusCode);
        var made = await Eventually.WaitAsync(() => Task.FromResult(cluster.Upstreams.Business.Bookings.ToList()), b => b.Count == 1,
            TimeSpan.FromSeconds(60), "the booking made and its answer held");
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        cluster.Upstreams.Business.Release();

        // The recovery sweep brings the conversation back on a new silo; the turn sends the recorded call again.
        cluster.StartSilo("silo-b");
        var reply = await Eventually.WaitAsync(
            () =>
            {
                cluster.Upstreams.Business.Release();
                return Task.FromResult(cluster.Upstreams.TwilioMessages.Where(m => m.To == "whatsapp:" + user).ToList());
            },
            r => r.Count > 0, TimeSpan.FromMinutes(3), "the reply after the restart");

        var booking = Assert.Single(cluster.Upstreams.Business.Bookings);
        Assert.Equal(made[0].BookingId, booking.BookingId);
        var calls = cluster.Upstreams.Business.Calls.Where(c => c.Tool == "book_table").ToList();
        Assert.True(calls.Count >= 2, $"the call was sent again after the crash ({calls.Count} attempt(s))");
        Assert.Single(calls.Select(c => c.IdempotencyKey).Distinct());
        Assert.All(calls, c => Assert.True(c.SignatureValid));
        Assert.Contains($"\"booking_id\":\"{booking.BookingId}\"", Assert.Single(reply).Body, StringComparison.Ordinal);
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where direction = 'inbound' and status = 'answered'") == 1, TimeSpan.FromSeconds(30), "the message answered");
        Assert.Single(cluster.Upstreams.TwilioMessages, m => m.To == "whatsapp:" + user);
        Assert.Equal(1, await cluster.Database.ScalarAsync<long>("select count(*) from tool_calls where status = 'ok'"));
    }
}
