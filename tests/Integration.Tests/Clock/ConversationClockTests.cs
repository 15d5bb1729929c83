using HorizonAI.Grains.Interfaces;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>
/// The conversation's rules of time, driven by the application's clock instead of waited out: the debounce, the
/// auto-resume of a handed-off conversation and the patience with an OpenAI outage.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class ConversationClockTests(FakeClockCluster fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OutageRetry = TimeSpan.FromSeconds(10);

    private FakeClock Clock => fixture.Clock;

    [Fact]
    public async Task ATurnStartsDebounceAfterTheLatestMessageAndAnswersEveryMessageOfTheWaitInOneReply()
    {
        var debounce = TimeSpan.FromSeconds(10);
        var bot = await CreateBotAsync(new() { Name = "Debounce", PhoneNumber = "", DebounceMs = (int)debounce.TotalMilliseconds });
        var user = SystemFixture.NewUserNumber();

        await ReceiveAsync(bot, user, "<uno>", "SMclockdebounce000000000000000001");
        await Clock.WaitForWakeUpAsync(debounce, "the turn set for the debounce after <uno>");
        await Clock.AdvanceAsync(TimeSpan.FromSeconds(6));
        await ReceiveAsync(bot, user, "<dos>", "SMclockdebounce000000000000000002");
        var latest = Clock.GetUtcNow();
        await Clock.WaitForWakeUpAsync(debounce, "the turn set again for the debounce after <dos>");

        // The debounce after <uno> passes here; a turn for it alone would answer it without <dos>.
        await Clock.AdvanceAsync(TimeSpan.FromSeconds(4));
        await Clock.AdvanceAsync(TimeSpan.FromSeconds(6));

        await fixture.Database.WaitForInboundStatusesAsync(bot, ["answered", "answered"], Patience);
        var reply = Assert.Single(fixture.Upstreams.RepliesTo(user));
        Assert.Contains("<uno>", reply.Body, StringComparison.Ordinal);
        Assert.Contains("<dos>", reply.Body, StringComparison.Ordinal);
        Assert.Equal((latest + debounce).UtcDateTime, await fixture.Database.ScalarAsync<DateTime>(
            "select min(created_at) from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'outbound'", ("bot", bot)));
    }

    [Fact]
    public async Task AHandedOffConversationReturnsToTheBotAfterItsIdleTimeWithoutAnOperatorMessage()
    {
        var idle = TimeSpan.FromMinutes(30);
        var bot = await CreateBotAsync(new() { Name = "Resume", PhoneNumber = "", AutoResumeMinutes = (int)idle.TotalMinutes });
        var user = SystemFixture.NewUserNumber();
        var conversation = await fixture.Client.ConversationAsync(bot, user);
        await ReceiveAsync(bot, user, "hola", "SMclockresume0000000000000000001");
        await fixture.Database.WaitForInboundStatusesAsync(bot, ["answered"], Patience);

        Assert.Equal("human", (await conversation.SetModeAsync(new ConversationModeChange { UserNumber = user, Human = true, By = "Ana" })).Mode);
        await Clock.WaitForWakeUpAsync(idle, "the conversation's auto-resume");

        // The operator writes twenty minutes in: the idle time starts again from there.
        await Clock.AdvanceAsync(TimeSpan.FromMinutes(20));
        await conversation.SendOperatorMessageAsync(new OperatorMessage { UserNumber = user, Text = "Soy Ana", SentBy = "Ana" });
        await fixture.Upstreams.WaitForRepliesToAsync(user, 2, Patience);

        // Thirty minutes after the handoff, ten after the operator: the user's message is held for a person.
        await Clock.AdvanceAsync(TimeSpan.FromMinutes(10));
        await ReceiveAsync(bot, user, "¿sigue ahí?", "SMclockresume0000000000000000002");
        await fixture.Database.WaitForInboundStatusesAsync(bot, ["answered", "held"], Patience);

        // Thirty minutes after the operator's message the bot has the conversation again.
        await Clock.WaitForWakeUpAsync(TimeSpan.FromMinutes(20), "the auto-resume thirty minutes after the operator's message");
        await Clock.AdvanceAsync(TimeSpan.FromMinutes(20));
        await Eventually.TrueAsync(async () => await fixture.Database.ScalarAsync<string>(
            "select mode from conversations where bot_id = (select id from bots where phone_number = @bot)", ("bot", bot)) == "bot", Patience, "the conversation back in bot mode");
        await ReceiveAsync(bot, user, "hola otra vez", "SMclockresume0000000000000000003");
        await fixture.Database.WaitForInboundStatusesAsync(bot, ["answered", "held", "answered"], Patience);
        Assert.Contains("you said: hola otra vez", (await fixture.Upstreams.WaitForRepliesToAsync(user, 3, Patience))[2].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessagesOfAnOutageShorterThanThePatienceStayInTheInboxAndAreAnsweredWhenItEnds()
    {
        var bot = await CreateBotAsync(new() { Name = "Patient", PhoneNumber = "", FallbackMessage = "Fallback" });
        var user = SystemFixture.NewUserNumber();
        const string sid = "SMclockoutage0000000000000000001";
        OpenAIDown(true);
        try
        {
            await ReceiveAsync(bot, user, "durante la caída", sid);
            for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(30); waited += OutageRetry)
            {
                await WaitForDeferredTurnAsync(sid);
                await Clock.AdvanceAsync(OutageRetry);
            }

            await WaitForDeferredTurnAsync(sid);
        }
        finally
        {
            OpenAIDown(false);
        }

        await Clock.AdvanceAsync(OutageRetry);
        await fixture.Database.WaitForInboundStatusAsync(sid, "answered", Patience);
        Assert.Contains("you said: durante la caída", Assert.Single(fixture.Upstreams.RepliesTo(user)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOutageLongerThanThePatienceIsAnsweredWithTheFallbackOnceThePatienceEnds()
    {
        var patience = TimeSpan.FromSeconds(60); // OPENAI_OUTAGE_PATIENCE_SECONDS of the fixture
        var bot = await CreateBotAsync(new() { Name = "Impatient", PhoneNumber = "", FallbackMessage = "Volvemos enseguida" });
        var user = SystemFixture.NewUserNumber();
        const string sid = "SMclockoutage0000000000000000002";
        var received = Clock.GetUtcNow();
        OpenAIDown(true);
        try
        {
            await ReceiveAsync(bot, user, "¿hay alguien?", sid);
            while (Clock.GetUtcNow() - received < patience)
            {
                await WaitForDeferredTurnAsync(sid);
                await Clock.AdvanceAsync(OutageRetry);
            }

            await fixture.Database.WaitForInboundStatusAsync(sid, "failed", Patience);
        }
        finally
        {
            OpenAIDown(false);
        }

        Assert.Equal("Volvemos enseguida", Assert.Single(await fixture.Upstreams.WaitForRepliesToAsync(user, 1, Patience)).Body);
        Assert.Equal((received + patience).UtcDateTime, await fixture.Database.ScalarAsync<DateTime>(
            "select created_at from messages where bot_id = (select id from bots where phone_number = @bot) and direction = 'outbound'", ("bot", bot)));
    }

    /// <summary>
    /// OpenAI answers 503 with <c>Retry-After: 0</c>: the upstream pipeline retries at once, taking none of the clock's
    /// time (its delays are on the application's clock too), and the turn fails on the outage at the clock's time.
    /// </summary>
    private void OpenAIDown(bool down)
    {
        fixture.Upstreams.OpenAI.RetryAfterSeconds = down ? 0 : null;
        fixture.Upstreams.OpenAI.Down = down;
    }

    /// <summary>A turn failed on the outage at the clock's time and was set to try again: the message still waits.</summary>
    private async Task WaitForDeferredTurnAsync(string sid)
    {
        await Clock.WaitForWakeUpAsync(OutageRetry, "the turn tried again after the outage retry delay");
        Assert.Equal("received", await fixture.Database.InboundStatusAsync(sid));
    }

    private async Task<string> CreateBotAsync(BotDefinition definition)
    {
        var number = SystemFixture.NewBotNumber();
        var result = await fixture.Client.GetGrain<IBotGrain>(number).SaveAsync(definition with { PhoneNumber = number, Instructions = definition.Name }, BotWriteMode.Create);
        Assert.Equal(BotWriteOutcome.Created, result.Outcome);
        return number;
    }

    private Task<ReceiveOutcome> ReceiveAsync(string bot, string user, string body, string sid) =>
        fixture.Client.GetGrain<IBotGrain>(bot).ReceiveAsync(new InboundMessage
        {
            MessageSid = sid,
            BotNumber = bot,
            UserNumber = user,
            Body = body,
            ReceivedAt = Clock.GetUtcNow(),
        });
}
