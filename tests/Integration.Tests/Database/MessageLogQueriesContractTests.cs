using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The message log's reads on PostgreSQL beyond what <see cref="MessageStoreContractTests"/> reads back: the
/// conversation list as operators see it (latest first, mode, handoff, unread) and usage by UTC day.
/// </summary>
public sealed class MessageLogQueriesContractTests
{
    private const string Bot = "+15550000601";
    private const string OtherBot = "+15550000602";
    private const string Ana = "+56900000601";
    private const string Beto = "+56900000602";

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task TheConversationListShowsEachConversationsModeAndWhatItHasNotAnswered()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        var (store, queries) = (test.Store, test.Queries);

        // Ana was answered once and wrote twice since; Beto wrote later and a person took his conversation.
        await store.AnswerAsync(Bot, Ana, [await store.ReceiveAsync(Bot, Ana, "SMlist1", Start)], "Hola");
        await store.ReceiveAsync(Bot, Ana, "SMlist2", Start.AddMinutes(1));
        await store.ReceiveAsync(Bot, Ana, "SMlist3", Start.AddMinutes(2));
        await store.ReceiveAsync(Bot, Beto, "SMlist4", Start.AddMinutes(3));
        await store.ReceiveAsync(OtherBot, Ana, "SMlist5", Start.AddMinutes(4));
        clock.Advance(TimeSpan.FromMinutes(4));
        var handoff = await store.TakeOverAsync(Bot, Beto, new HumanMode(clock.GetUtcNow(), Handoff.ByKeyword, "the user wrote \"humano\"", null, clock.GetUtcNow(), false));

        var list = await queries.ListConversationsAsync(Bot, 0, 10);
        Assert.Equal(2, list.Total);
        Assert.Equal(
            [
                new ConversationSummary(Beto, Start.AddMinutes(3), Start.AddMinutes(3), 1)
                {
                    Mode = "human", HumanSince = handoff.Since, HandoffTrigger = Handoff.ByKeyword, HandoffReason = handoff.Reason, Unread = 1,
                },
                new ConversationSummary(Ana, Start, Start.AddMinutes(2), 4) { Unread = 2 },
            ],
            list.Items);

        // An operator's message answers what Ana wrote as soon as it is queued, and makes hers the latest conversation again.
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Single((await store.AddOutboundAsync(Bot, Ana, new OutboundRequest(["Ya le respondo"], "ana"))).Parts);
        var latest = await queries.ListConversationsAsync(Bot, 0, 1);
        Assert.Equal((2, new ConversationSummary(Ana, Start, Start.AddMinutes(5), 5)), (latest.Total, Assert.Single(latest.Items)));
    }

    [Fact]
    public async Task UsageCountsEachUtcDayBetweenItsDatesAndOnlyWhatTwilioTook()
    {
        var lateNight = new DateTimeOffset(2026, 12, 1, 23, 59, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(lateNight);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        var store = test.Store;

        // Late on the first day: a voice note and a PDF, transcribed by a model billed by the minute (no tokens), answered
        // in two parts of which Twilio has taken only the first.
        var first = await ReceiveMediaAsync(store, "SMuse1", lateNight, "audio/ogg", "application/pdf");
        var parts = (await store.CommitTurnAsync(new TurnRecord(Bot, Ana, [first], ["uno", "dos"], 100, 20, 50, null, null, null,
            new Dictionary<long, MediaReading> { [first] = new("[voice note] hola", 12.5, 0) })))!;
        await store.SentAsync(Bot, Ana, parts[0], "SMuse2", isLast: false);

        // Past midnight: a voice note transcribed by a model billed by tokens, whose turn failed with nothing to send; and another bot's message.
        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await ReceiveMediaAsync(store, "SMuse3", clock.GetUtcNow(), "audio/mpeg");
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, Ana, [second], [], 0, 0, 0, "http_400", "bad request", null,
            new Dictionary<long, MediaReading> { [second] = new("[voice note] adiós", 3, 40) })));
        await store.ReceiveAsync(OtherBot, Ana, "SMuse4", clock.GetUtcNow());

        var day1 = DateOnly.FromDateTime(lateNight.UtcDateTime);
        var firstDay = new UsageDay(day1, 1, 1, 100, 20, 50) { AudioItems = 1, Documents = 1, TranscribedSeconds = 12.5, MinuteBilledSeconds = 12.5 };
        var secondDay = new UsageDay(day1.AddDays(1), 1, 0, 0, 0, 0) { AudioItems = 1, TranscribedSeconds = 3, TranscriptionTokens = 40 };
        Assert.Equal([firstDay], await test.Queries.GetUsageAsync(Bot, day1, day1));
        Assert.Equal([firstDay, secondDay], await test.Queries.GetUsageAsync(Bot, day1, day1.AddDays(1)));
        Assert.Empty(await test.Queries.GetUsageAsync(Bot, day1.AddDays(2), day1.AddDays(9)));
    }

    private static async Task<long> ReceiveMediaAsync(IMessageStore store, string sid, DateTimeOffset at, params string[] types)
    {
        var message = StoreSteps.Inbound(Bot, Ana, sid, "", at) with
        {
            MediaUrls = [.. types.Select((_, i) => $"https://api.twilio.com/{sid}/{i}")],
            MediaTypes = types,
        };
        return (await store.AcceptAsync(message, MessageStatus.Received)).Id!.Value;
    }
}
