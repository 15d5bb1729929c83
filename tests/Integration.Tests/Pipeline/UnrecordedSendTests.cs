using System.Net.Http.Headers;
using System.Text;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;

namespace HorizonAI.Integration.Tests.Pipeline;

/// <summary>
/// A part left pending by a crash between Twilio accepting it and its record (its row says its send was claimed): the
/// next activation finds it in Twilio's Messages list (a message from the bot to the user that no row carries) and
/// records it instead of sending it again.
/// </summary>
public sealed class UnrecordedSendTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task APendingPartTwilioAlreadyHasIsRecordedNotSentAgainAndOneItHasNotIsSent()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia");
        await fixture.Webhooks.SendAsync(bot, user, "hola");
        await fixture.System.Upstreams.WaitForRepliesToAsync(user, 1, Patience);

        // As a crash leaves it: the row still pending with its send claimed, while Twilio took the message.
        var claimed = DateTimeOffset.UtcNow.AddSeconds(-1);
        var sid = await SendThroughTwilioAsync(bot, user, "Su receta está lista.");
        var id = await fixture.System.Database.ScalarAsync<long>(
            $"insert into messages (bot_id, user_number, direction, body, status, sent_by, sending_since) values ((select id from bots where phone_number = '{bot}'), '{user}', 'outbound', 'Su receta está lista.', 'pending', 'Ana', @claimed) returning id",
            ("claimed", claimed.UtcDateTime));
        await WakeAsync(bot, user);
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<string>($"select coalesce(twilio_sid, '') from messages where id = {id}") == sid,
            Patience, "the pending part recorded with the SID Twilio has");
        Assert.Equal(2, fixture.System.Upstreams.RepliesTo(user).Count);

        // A pending part whose claimed send Twilio does not have is sent.
        var other = await fixture.System.Database.ScalarAsync<long>(
            $"insert into messages (bot_id, user_number, direction, body, status, sent_by, sending_since) values ((select id from bots where phone_number = '{bot}'), '{user}', 'outbound', 'Pase a recogerla.', 'pending', 'Ana', @claimed) returning id",
            ("claimed", DateTimeOffset.UtcNow.AddSeconds(-1).UtcDateTime));
        await WakeAsync(bot, user);
        var sent = await fixture.System.Upstreams.WaitForRepliesToAsync(user, 3, Patience);
        Assert.Equal("Pase a recogerla.", sent[2].Body);
        await Eventually.TrueAsync(async () => await fixture.System.Database.ScalarAsync<string>($"select coalesce(twilio_sid, '') from messages where id = {other}") == sent[2].Sid,
            Patience, "the second part recorded");
    }

    private async Task WakeAsync(string bot, string user)
    {
        // A fresh activation, as after a crash: it reads the open work from the table.
        await fixture.System.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await (await fixture.System.Client.ConversationAsync(bot, user)).WakeAsync(user);
    }

    /// <summary>A message from the bot to the user straight through the Twilio stand-in's REST API, as an earlier activation sent it.</summary>
    private async Task<string> SendThroughTwilioAsync(string bot, string user, string body)
    {
        using var http = new HttpClient { BaseAddress = new Uri(fixture.System.Sandbox.BaseUrl()) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestSystem.AccountSid}:{TestSystem.AuthToken}")));
        var response = await http.PostAsync($"/2010-04-01/Accounts/{TestSystem.AccountSid}/Messages.json", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["To"] = "whatsapp:" + user,
            ["From"] = "whatsapp:" + bot,
            ["Body"] = body,
        }));
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sid").GetString()!;
    }
}
