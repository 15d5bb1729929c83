using System.Net;
using System.Net.Http.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>Nothing acknowledged is lost when the silo holding the conversations dies mid-turn or mid-commit.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task AcknowledgedMessagesSurviveAKill9OfTheSiloDuringAFlushOfTheirTurns()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558880010";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Flush", twilio_phone_number = bot })).StatusCode);

        // While hold_commits has a row, a transaction that stores a reply part holds its commit for 2 s (once), after
        // its statements ran: the flush carrying those turns is under way, its callers waiting, when the silo dies.
        await cluster.Database.ExecuteAsync("""
            create table hold_commits (held boolean);
            insert into hold_commits values (true);
            create function hold_commit() returns trigger language plpgsql as
            'begin
               if new.direction = ''outbound'' and exists (select 1 from hold_commits) and current_setting(''test.held'', true) is null then
                 perform set_config(''test.held'', ''yes'', true);
                 perform pg_sleep(2);
               end if;
               return null;
             end';
            create constraint trigger hold_commit after insert on messages deferrable initially deferred
                for each row execute function hold_commit();
            """);
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        var sent = Enumerable.Range(0, 20).Select(i => (User: $"+5699100{i:D4}", Text: $"k{i}")).ToList();
        var answers = await Task.WhenAll(sent.Select(m => webhooks.SendAsync(bot, m.User, m.Text)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));

        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from pg_stat_activity where wait_event = 'PgSleep'") > 0, TimeSpan.FromSeconds(30), "a flush of turns held at its commit");
        await first.KillAsync();
        Assert.Equal(137, first.ExitCode);
        await cluster.Database.ExecuteAsync("delete from hold_commits");
        cluster.StartSilo("silo-b");

        // Whether the held flush committed after its silo died or not, every acknowledged message is answered once.
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from messages where status in ('received', 'answering', 'pending')") == 0, TimeSpan.FromMinutes(2), "every message settled");
        foreach (var (user, text) in sent)
        {
            var reply = Assert.Single(cluster.Upstreams.TwilioMessages, r => r.To == "whatsapp:" + user);
            Assert.EndsWith("you said: " + text, reply.Body, StringComparison.Ordinal);
        }

        Assert.Equal(sent.Count, (int)await cluster.Database.ScalarAsync<long>("select count(*) from messages where direction = 'inbound' and status = 'answered'"));
    }

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

    [Fact]
    public async Task AutoResumeIsKeptInTheDatabaseAndHappensAfterTheSiloHoldingTheConversationIsKilled()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var (gateway, http) = cluster.StartGateway();
        var first = cluster.StartSilo("silo-a");
        await cluster.WaitUntilReadyAsync(http, TimeSpan.FromSeconds(90), gateway);
        const string bot = "+15558880020";
        const string user = "+56991110001";
        var conversation = $"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}";
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsJsonAsync("/bots", new { name = "Resume", twilio_phone_number = bot, auto_resume_minutes = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync(conversation + "/mode", new { mode = "human", by = "Ana" })).StatusCode);
        var webhooks = new WebhookClient(http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') };
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, user, "¿hay alguien?")).StatusCode);
        await cluster.Database.WaitForInboundStatusesAsync(bot, ["held"], TimeSpan.FromSeconds(30));

        // The activation that would have resumed it dies with its timer; the idle minute passes while no silo runs.
        await first.KillAsync();
        await cluster.Database.ExecuteAsync(
            $"update conversations set operator_active_at = operator_active_at - interval '1 minute' where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'");
        var second = cluster.StartSilo("silo-b");

        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<string>(
            $"select mode from conversations where bot_id = (select id from bots where phone_number = '{bot}') and user_number = '{user}'") == "bot", TimeSpan.FromMinutes(2), "the conversation back with the bot");
        using var siloHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{second.HttpPort}") };
        Assert.Matches($"horizonai_handoff_resumes_total\\{{[^}}]*bot=\"\\{bot}\"[^}}]*trigger=\"auto_resume\"[^}}]*\\}} 1", await siloHttp.GetStringAsync("/metrics"));
        Assert.Equal(HttpStatusCode.OK, (await webhooks.SendAsync(bot, user, "hola")).StatusCode);
        await cluster.Database.WaitForInboundStatusesAsync(bot, ["held", "answered"], TimeSpan.FromSeconds(60));
        var reply = Assert.Single(cluster.Upstreams.TwilioMessages, m => m.To == "whatsapp:" + user);
        Assert.EndsWith("you said: hola", reply.Body, StringComparison.Ordinal); // the held message stays unanswered
    }
}
