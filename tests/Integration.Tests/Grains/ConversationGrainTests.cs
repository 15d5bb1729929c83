using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Grains;

/// <summary>
/// The conversation rules, proven on the grains themselves (no HTTP in front): one reply per MessageSid, replies in
/// arrival order with messages that arrive during a turn answered together, never two turns in flight on one
/// conversation, and pending messages answered once after the silo holding them is killed: by the next message, or by
/// the recovery sweep when none comes.
/// </summary>
public sealed class ConversationGrainTests(GrainCluster fixture) : IClassFixture<GrainCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ARedeliveredMessageSidIsADuplicateAndGetsOneReply()
    {
        var bot = await CreateBotAsync("Panadería");
        var user = SystemFixture.NewUserNumber();
        var message = Inbound(bot, user, "hola", "SMgrain0000000000000000000000001");

        Assert.Equal(ReceiveOutcome.Accepted, await Bot(bot).ReceiveAsync(message));
        Assert.Equal(ReceiveOutcome.Duplicate, await Bot(bot).ReceiveAsync(message));
        await WaitForStatusAsync(message.MessageSid, "answered");
        Assert.Equal(ReceiveOutcome.Duplicate, await Bot(bot).ReceiveAsync(message));

        var reply = Assert.Single(fixture.Upstreams.RepliesTo(user));
        Assert.Equal("whatsapp:" + bot, reply.From);
        Assert.Contains("hola", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesAreAnsweredInArrivalOrderBatchedDuringATurnAndNeverTwoTurnsAtOnce()
    {
        var bot = await CreateBotAsync("Farmacia");
        var user = SystemFixture.NewUserNumber();
        var texts = Enumerable.Range(1, 6).Select(i => $"<m{i}>").ToArray();

        // The stand-in's turn counters start from this test (another test's slow turn may have ended just now).
        fixture.Upstreams.Reset();
        fixture.Upstreams.OpenAI.LatencyMs = 400;
        try
        {
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.Equal(ReceiveOutcome.Accepted, await Bot(bot).ReceiveAsync(Inbound(bot, user, texts[i], $"SMgrainorder{i:D20}")));
                await Task.Delay(100);
            }

            for (var i = 0; i < texts.Length; i++)
            {
                await WaitForStatusAsync($"SMgrainorder{i:D20}", "answered");
            }
        }
        finally
        {
            fixture.Upstreams.OpenAI.LatencyMs = 0;
        }

        // Each message is answered once, and in the order the messages arrived.
        var replies = fixture.Upstreams.RepliesTo(user);
        var answered = replies.SelectMany(r => texts.Where(t => r.Body.Contains(t, StringComparison.Ordinal))
            .OrderBy(t => r.Body.IndexOf(t, StringComparison.Ordinal))).ToList();
        Assert.Equal(texts, answered);

        // Those that arrived during a turn were answered together in the next one.
        Assert.InRange(replies.Count, 2, texts.Length - 1);
        Assert.Equal(1, fixture.Upstreams.MaxConcurrentTurnsPerConversation);
        Assert.Equal(0, fixture.Upstreams.ConversationLockedCount);
    }

    [Fact]
    public async Task PendingMessagesAreAnsweredOnceAfterTheSiloHoldingThemIsKilled()
    {
        var bot = await CreateBotAsync("Ferretería");
        var user = SystemFixture.NewUserNumber();
        var conversation = await fixture.Client.ConversationAsync(bot, user);
        Orleans.Runtime.SiloAddress? killed;

        // A slow assistant keeps the first message's turn open while its silo dies.
        fixture.Upstreams.OpenAI.LatencyMs = 3_000;
        try
        {
            Assert.Equal(ReceiveOutcome.Accepted, await Bot(bot).ReceiveAsync(Inbound(bot, user, "<antes>", "SMgrainkill0000000000000000000001")));
            await WaitForStatusAsync("SMgrainkill0000000000000000000001", "received");
            killed = await fixture.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetActivationAddress(conversation);
            Assert.NotNull(killed);
            var silo = fixture.Cluster.GetSiloForAddress(killed);
            Assert.NotNull(silo);
            await fixture.Cluster.KillSiloAsync(silo);
        }
        finally
        {
            fixture.Upstreams.OpenAI.LatencyMs = 0;
        }

        // The next message reaches the conversation once Orleans has declared the silo dead; the conversation comes
        // back elsewhere from its stored inbox and answers both, each once.
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return await Bot(bot).ReceiveAsync(Inbound(bot, user, "<despues>", "SMgrainkill0000000000000000000002")) is ReceiveOutcome.Accepted or ReceiveOutcome.Duplicate;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                return false;
            }
        }, Patience, "the conversation to take messages again");
        await WaitForStatusAsync("SMgrainkill0000000000000000000001", "answered");
        await WaitForStatusAsync("SMgrainkill0000000000000000000002", "answered");

        var replies = fixture.Upstreams.RepliesTo(user);
        Assert.Single(replies, r => r.Body.Contains("<antes>", StringComparison.Ordinal));
        Assert.Single(replies, r => r.Body.Contains("<despues>", StringComparison.Ordinal));

        // Answered by an activation on the other silo.
        var newHost = await HostAfterKillAsync(conversation);
        Assert.NotNull(newHost);
        Assert.NotEqual(killed, newHost);
        await fixture.Cluster.StartAdditionalSiloAsync(); // two silos again for the other tests
    }

    [Fact]
    public async Task TheSweepAnswersAPendingMessageOfAKilledSiloOnce()
    {
        var bot = await CreateBotAsync("Zapatería");
        var user = SystemFixture.NewUserNumber();
        var conversation = await fixture.Client.ConversationAsync(bot, user);
        const string sid = "SMgrainsweep000000000000000000001";

        // A slow assistant keeps the turn open while its silo dies; no later message comes to bring it back.
        fixture.Upstreams.OpenAI.LatencyMs = 3_000;
        Orleans.Runtime.SiloAddress? killed;
        try
        {
            Assert.Equal(ReceiveOutcome.Accepted, await Bot(bot).ReceiveAsync(Inbound(bot, user, "<solo>", sid)));
            killed = await fixture.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetActivationAddress(conversation);
            await fixture.Cluster.KillSiloAsync(fixture.Cluster.GetSiloForAddress(killed!)!);
        }
        finally
        {
            fixture.Upstreams.OpenAI.LatencyMs = 0;
        }

        await WaitForStatusAsync(sid, "answered");
        Assert.Single(fixture.Upstreams.RepliesTo(user), r => r.Body.Contains("<solo>", StringComparison.Ordinal));
        var newHost = await HostAfterKillAsync(conversation);
        Assert.NotNull(newHost);
        Assert.NotEqual(killed, newHost);

        // Later sweeps find nothing open and wake nothing: still one reply.
        using (var metrics = new RecordedMetrics(() => RecordedMetrics.Silos(fixture.Cluster.Silos)))
        {
            Assert.Equal(0L, await metrics.WakesInWholeSweepsAsync(bot));
        }

        Assert.Single(fixture.Upstreams.RepliesTo(user));
        await fixture.Cluster.StartAdditionalSiloAsync(); // two silos again for the other tests
    }

    /// <summary>
    /// Where the conversation lives now. The client may still try the killed silo as its gateway for a moment after the
    /// kill (its connection then fails and the client moves to the other gateway), so a failed connection is asked again.
    /// </summary>
    private Task<Orleans.Runtime.SiloAddress?> HostAfterKillAsync(Orleans.Runtime.IAddressable conversation) =>
        Eventually.WaitAsync<Orleans.Runtime.SiloAddress?>(async () =>
        {
            try
            {
                return await fixture.Client.GetGrain<Orleans.Runtime.IManagementGrain>(0).GetActivationAddress(conversation);
            }
            catch (Orleans.Runtime.Messaging.ConnectionFailedException)
            {
                return null;
            }
        }, host => host is not null, TimeSpan.FromSeconds(30), "the conversation's host after the kill");

    private IBotGrain Bot(string number) => fixture.Client.GetGrain<IBotGrain>(number);

    private async Task<string> CreateBotAsync(string instructions)
    {
        var number = SystemFixture.NewBotNumber();
        var result = await Bot(number).SaveAsync(new BotDefinition { Name = instructions, PhoneNumber = number, Instructions = instructions }, BotWriteMode.Create);
        Assert.Equal(BotWriteOutcome.Created, result.Outcome);
        return number;
    }

    private static InboundMessage Inbound(string bot, string user, string body, string sid) => new()
    {
        MessageSid = sid,
        BotNumber = bot,
        UserNumber = user,
        Body = body,
        ReceivedAt = DateTimeOffset.UtcNow,
    };

    private Task WaitForStatusAsync(string sid, string status) => fixture.Database.WaitForInboundStatusAsync(sid, status, Patience);
}
