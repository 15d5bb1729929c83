using HorizonAI.Storage;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Storage.Messages;
using HorizonAI.Grains.Tools;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The message store's rules on PostgreSQL: one
/// row per MessageSid, a turn's claim all or nothing, parts recorded once and settling what they answer, statuses only
/// moving forward, early callbacks kept for their part, open work found again, and the reads agreeing.
/// </summary>
public sealed class MessageStoreContractTests
{
    private const string Bot = "+15550000101";
    private const string User = "+56900000101";
    private const string OtherUser = "+56900000102";
    private const string OtherBot = "+15550000102";

    /// <summary>Where the tests that drive the store's clock start it (to the microsecond, as PostgreSQL keeps times).</summary>
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AMessagesLifeFollowsTheSameRulesInBothStores()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var (store, queries) = (test.Store, test.Queries);
        var now = DateTimeOffset.UtcNow;

        // Stored once per (bot, MessageSid); a repeat finds the row that is there.
        var first = await store.AcceptAsync(Inbound("SMin1", User, "hola", now), MessageStatus.Received);
        Assert.True(first.Inserted);
        var again = await store.AcceptAsync(Inbound("SMin1", User, "hola otra vez", now), MessageStatus.Received);
        Assert.Equal((false, first.Id, MessageStatus.Received), (again.Inserted, again.Id, again.Status));
        Assert.True((await store.AcceptAsync(Inbound("SMin1", User, "hola", now) with { BotNumber = "+15550000999", BotId = "+15550000999" }, MessageStatus.Received)).Inserted);

        // A conversation reads its open work, and only its own.
        var other = await store.AcceptAsync(Inbound("SMin2", OtherUser, "buenas", now), MessageStatus.Received);
        Assert.Equal(["SMin2"], (await store.LoadAsync(Bot, OtherUser)).Inbox.Select(m => m.MessageSid));
        var opened = await store.LoadAsync(Bot, User);
        Assert.Equal((first.Id, "hola", 0), (opened.Inbox.Single().Id, opened.Inbox.Single().Body, opened.Outbox.Count));

        // A turn claims its messages and stores its parts and state; claiming the same messages again fails.
        var turn = new TurnRecord(Bot, User, [first.Id!.Value], ["¡Hola!", "¿En qué te ayudo?"], 10, 5, 2, null, null,
            new ConversationState("conv_1", [new HistoryTurn { Role = HistoryTurn.User, Text = "hola" }]));
        var parts = (await store.CommitTurnAsync(turn))!;
        Assert.Equal(["¡Hola!", "¿En qué te ayudo?"], parts.Select(p => p.Body));
        Assert.Null(await store.CommitTurnAsync(turn));
        var claimed = await store.LoadAsync(Bot, User);
        Assert.Equal((0, 2, "conv_1", "hola"), (claimed.Inbox.Count, claimed.Outbox.Count, claimed.AssistantConversationId, claimed.History.Single().Text));

        // A status that overtakes its part waits for it; once recorded, statuses only move forward.
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "delivered", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        Assert.Equal(Settlement.None, await store.RecordPartAsync(Sent(parts[0], "SMout1", isLast: false)));
        Assert.Equal(Settlement.None, await store.RecordPartAsync(Sent(parts[0], "SMout1", isLast: false)));
        Assert.Equal(DeliveryStatusOutcome.Unchanged, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.Updated, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "read", null)));
        Assert.Equal(MessageStatus.Answering, (await Transcript(queries, User))[0].Status);

        // The last part settles the messages its reply answers.
        Assert.Equal(new Settlement(1, 0, null), await store.RecordPartAsync(Sent(parts[1], "SMout2", isLast: true)));
        Assert.True((await store.LoadAsync(Bot, User)) is { Inbox.Count: 0, Outbox.Count: 0 });
        Assert.Equal(["answered", "read", "queued"], (await Transcript(queries, User)).Select(m => m.Status));

        // A part Twilio refused fails the messages it answers, with its reason.
        var refused = (await store.CommitTurnAsync(new TurnRecord(Bot, OtherUser, [other.Id!.Value], ["fuera de ventana"], 0, 0, 0, null, null, null)))!.Single();
        Assert.Equal(new Settlement(0, 1, "63016"), await store.RecordPartAsync(
            new PartRecord(Bot, OtherUser, refused.Id, null, MessageStatus.Failed, "63016", "outside the window", "reply not delivered: outside the window", true)));
        var otherTranscript = await Transcript(queries, OtherUser);
        Assert.Equal(("failed", "63016", "reply not delivered: outside the window"), (otherTranscript[0].Status, otherTranscript[0].ErrorCode, otherTranscript[0].ErrorMessage));
        Assert.Equal(("failed", "63016"), (otherTranscript[1].Status, otherTranscript[1].ErrorCode));

        // A failed turn without a fallback settles at once; a disabled bot's waiting messages are settled without a turn.
        var third = await store.AcceptAsync(Inbound("SMin3", OtherUser, "¿hola?", now), MessageStatus.Received);
        Assert.Empty((await store.CommitTurnAsync(new TurnRecord(Bot, OtherUser, [third.Id!.Value], [], 0, 0, 0, "http_400", "bad request", null)))!);
        var fourth = await store.AcceptAsync(Inbound("SMin4", OtherUser, "¿sigues?", now), MessageStatus.Received);
        Assert.Equal(1, await store.SettleAsync(Bot, OtherUser, [fourth.Id!.Value], MessageStatus.Failed, "bot_disabled", "the bot was disabled"));
        Assert.Equal(0, await store.SettleAsync(Bot, OtherUser, [fourth.Id!.Value], MessageStatus.Failed, "bot_disabled", "the bot was disabled"));
        Assert.Equal(["failed", "failed"], (await Transcript(queries, OtherUser)).Skip(2).Select(m => m.Status));

        // Open work older than the cut is found by exactly one sweep shard; settled conversations are not.
        await store.AcceptAsync(Inbound("SMold", User, "¿alguien?", now.AddMinutes(-2)), MessageStatus.Received);
        await store.AcceptAsync(Inbound("SMnew", OtherUser, "recién", now), MessageStatus.Received);
        Assert.Equal([new PendingConversation(Bot, Bot, User)], await store.SweepAsync(now.AddMinutes(-1), now));

        var conversations = await queries.ListConversationsAsync(Bot, 0, 1);
        Assert.Equal(2, conversations.Total);
        Assert.Equal([User, OtherUser], (await store.ListUsersAsync(Bot)).Order(StringComparer.Ordinal));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = (await queries.GetUsageAsync(Bot, today.AddDays(-1), today)).Sum(d => (int)d.InboundMessages);
        Assert.Equal(6, usage);
        var sentToday = Assert.Single(await queries.GetUsageAsync(Bot, today, today));
        Assert.Equal((2, 10L, 5L, 2L), (sentToday.OutboundMessages, sentToday.InputTokens, sentToday.OutputTokens, sentToday.CachedTokens));

        // Erasing takes the messages and the state; the MessageSid can be stored anew.
        Assert.Equal(new ErasedConversation(4, "conv_1"), await store.EraseAsync(Bot, User));
        Assert.Empty(await Transcript(queries, User));
        Assert.True(await store.LoadAsync(Bot, User) is { AssistantConversationId: null, History.Count: 0, Inbox.Count: 0, Outbox.Count: 0 });
        Assert.True((await store.AcceptAsync(Inbound("SMin1", User, "hola", now), MessageStatus.Received)).Inserted);
        Assert.Equal(5, (await Transcript(queries, OtherUser)).Length);
    }

    [Fact]
    public async Task ConversationsReadingAtOnceEachGetTheirOwnOpenWorkAndNoOtherBotsOrUsers()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var now = DateTimeOffset.UtcNow;

        // Two bots, the same user numbers under each, one to three messages each (and one user with a reply in flight):
        // the reads asked for together are made together, and each conversation must still get exactly its own rows.
        var users = Enumerable.Range(0, 150).Select(i => $"+5690001{i:D4}").ToArray();
        var expected = new Dictionary<(string Bot, string User), List<string>>();
        foreach (var (bot, user, i) in new[] { Bot, OtherBot }.SelectMany(b => users.Select((u, i) => (b, u, i))))
        {
            var sids = Enumerable.Range(0, 1 + (i % 3)).Select(n => $"SM{bot[^3..]}{i:D4}{n}").ToList();
            foreach (var sid in sids)
            {
                Assert.True((await store.AcceptAsync(StoreSteps.Inbound(bot, user, sid, $"{bot} {user} {sid}", now), MessageStatus.Received)).Inserted);
            }

            expected[(bot, user)] = sids;
        }

        var a = await store.AcceptAsync(StoreSteps.Inbound(Bot, User, "SMreplying", "pregunta", now), MessageStatus.Received);
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, User, [a.Id!.Value], ["respuesta"], 0, 0, 0, null, null, new ConversationState("conv_own", []))));

        (string Bot, string User)[] keys = [.. expected.Keys, (Bot, User), (OtherBot, User)];
        var reads = keys.Select(k => store.LoadAsync(k.Bot, k.User)).ToList();
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(30)); // a read lost in a batch fails here rather than hanging

        foreach (var ((bot, user), read) in keys.Zip(reads))
        {
            var open = await read;
            Assert.Equal(expected.TryGetValue((bot, user), out var sids) ? sids : [], open.Inbox.Select(m => m.MessageSid));
            Assert.All(open.Inbox, m => Assert.Equal($"{bot} {user} {m.MessageSid}", m.Body));
        }

        var replying = await store.LoadAsync(Bot, User);
        Assert.Equal("conv_own", replying.AssistantConversationId);
        Assert.Equal(["respuesta"], replying.Outbox.Select(p => p.Body));
        Assert.True(await store.LoadAsync(OtherBot, User) is { AssistantConversationId: null, Inbox.Count: 0, Outbox.Count: 0 });
    }

    [Fact]
    public async Task AClaimIsAllOrNothing()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var a = await store.AcceptAsync(Inbound("SMa", User, "a", DateTimeOffset.UtcNow), MessageStatus.Received);
        var b = await store.AcceptAsync(Inbound("SMb", User, "b", DateTimeOffset.UtcNow), MessageStatus.Received);
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, User, [b.Id!.Value], ["b!"], 0, 0, 0, null, null, null)));

        // One of the two was claimed by another turn: nothing of this one is written.
        Assert.Null(await store.CommitTurnAsync(new TurnRecord(Bot, User, [a.Id!.Value, b.Id.Value], ["a y b!"], 0, 0, 0, null, null, new ConversationState("conv_x", []))));
        var open = await store.LoadAsync(Bot, User);
        Assert.Equal(["SMa"], open.Inbox.Select(m => m.MessageSid));
        Assert.Equal(["b!"], open.Outbox.Select(p => p.Body));
        Assert.Null(open.AssistantConversationId);
    }

    [Fact]
    public async Task PagesAgreeWithTheirTotalsWhileMessagesArrive()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        const int messages = 300;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < messages; i++)
            {
                var user = i % 2 == 0 ? User : $"+5690002{i:D4}";
                await test.Store.AcceptAsync(Inbound($"SMrace{i}", user, $"mensaje {i}", DateTimeOffset.UtcNow), MessageStatus.Received);
            }
        });

        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var whole = await test.Queries.GetTranscriptAsync(Bot, User, 0, 1000);
            Assert.Equal(whole.Total, whole.Items.Length);
            var tail = await test.Queries.GetTranscriptAsync(Bot, User, 10, 20);
            Assert.Equal(Math.Clamp(tail.Total - 10, 0, 20), tail.Items.Length);
            var users = await test.Queries.ListConversationsAsync(Bot, 0, 1000);
            Assert.Equal(users.Total, users.Items.Length);
            var laterUsers = await test.Queries.ListConversationsAsync(Bot, 10, 20);
            Assert.Equal(Math.Clamp(laterUsers.Total - 10, 0, 20), laterUsers.Items.Length);
            reads++;
        }

        await writer;
        var past = await test.Queries.GetTranscriptAsync(Bot, User, messages, 20);
        Assert.Equal((messages / 2, 0), (past.Total, past.Items.Length));
        var pastUsers = await test.Queries.ListConversationsAsync(Bot, messages, 20);
        Assert.Equal((1 + (messages / 2), 0), (pastUsers.Total, pastUsers.Items.Length));
    }

    [Fact]
    public async Task MediaKeepTheirTypesInTheInboxAndWhatTheTurnReadOfThemInTheTranscript()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        const string user = "+56900000177";
        var media = Inbound("SMmedia1", user, "mira", DateTimeOffset.UtcNow) with
        {
            MediaUrls = ["https://api.twilio.com/a", "https://api.twilio.com/b"],
            MediaTypes = ["audio/ogg", "image/png"],
        };
        var plain = await test.Store.AcceptAsync(Inbound("SMmedia2", user, "y esto", DateTimeOffset.UtcNow), MessageStatus.Received);
        var stored = await test.Store.AcceptAsync(media, MessageStatus.Received);

        var inbox = (await test.Store.LoadAsync(Bot, user)).Inbox;
        Assert.Equal([new MediaItem("https://api.twilio.com/a", "audio/ogg"), new MediaItem("https://api.twilio.com/b", "image/png")],
            inbox.Single(m => m.Id == stored.Id).Media);
        Assert.Empty(inbox.Single(m => m.Id == plain.Id).Media);

        // The claim writes what was read beside the messages that had media; the others keep none.
        var parts = await test.Store.CommitTurnAsync(new TurnRecord(Bot, user, [plain.Id!.Value, stored.Id!.Value], ["ok", new ReplyPart("el menú", "https://cdn.example.com/m.pdf")],
            0, 0, 0, null, null, null, new Dictionary<long, MediaReading> { [stored.Id.Value] = new("voice note: hola", 1.5, 42) }));
        Assert.Equal([(null, "ok"), ("https://cdn.example.com/m.pdf", "el menú")], parts!.Select(p => (p.MediaUrl, p.Body)));

        // A reply part's media is in the outbox that a new activation reads.
        Assert.Equal(parts!.Select(p => p with { ClaimedForSend = false }), (await test.Store.LoadAsync(Bot, user)).Outbox); // a reading claims nothing
        var transcript = await Transcript(test.Queries, user);
        var read = transcript.Single(m => m.Id == stored.Id);
        Assert.Equal("voice note: hola", read.MediaText);
        Assert.Equal([new TranscriptMedia("https://api.twilio.com/a", "audio/ogg"), new TranscriptMedia("https://api.twilio.com/b", "image/png")], read.Media);
        Assert.Null(transcript.Single(m => m.Id == plain.Id).MediaText);

        // The usage report counts the media by kind and what transcribing cost.
        var day = Assert.Single(await test.Queries.GetUsageAsync(Bot, DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.FromDateTime(DateTime.UtcNow)));
        Assert.Equal((1, 1, 0, 1.5, 42L), (day.AudioItems, day.Images, day.Documents, day.TranscribedSeconds, day.TranscriptionTokens));
    }

    [Fact]
    public async Task AnOperatorsPartNeitherSettlesNorFailsTheMessagesAReplyInFlightAnswers()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        const string user = "+56900000188";
        var inbound = await test.Store.AcceptAsync(Inbound("SMop1", user, "hola", DateTimeOffset.UtcNow), MessageStatus.Received);
        var reply = (await test.Store.CommitTurnAsync(new TurnRecord(Bot, user, [inbound.Id!.Value], ["uno", "dos"], 0, 0, 0, null, null, null)))!;
        var operatorParts = (await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["Le escribe Ana", new ReplyPart("", "https://cdn.example.com/a.jpg")], "Ana"))).Parts;

        // Queued behind the reply, and read back as the operator's after a reactivation.
        Assert.Equal([.. reply.Select(p => p with { ClaimedForSend = false }), .. operatorParts], (await test.Store.LoadAsync(Bot, user)).Outbox);
        Assert.All(operatorParts, p => Assert.Equal("Ana", p.SentBy));

        // Its failure, even as the last open part, fails none of the user's messages, and settles nothing.
        Assert.Equal(Settlement.None, await test.Store.RecordPartAsync(new PartRecord(Bot, user, operatorParts[0].Id, null, MessageStatus.Failed, "63016", "outside the window", "x", true) { AnswersInbound = false }));
        Assert.Equal(Settlement.None, await test.Store.RecordPartAsync(new PartRecord(Bot, user, operatorParts[1].Id, "SMop2", "queued", null, null, null, true) { AnswersInbound = false }));
        var transcript = await Transcript(test.Queries, user);
        Assert.Equal((MessageStatus.Answering, null), (transcript[0].Status, transcript[0].ErrorCode));
        Assert.Equal(("Ana", "failed", "63016"), (transcript[3].SentBy, transcript[3].Status, transcript[3].ErrorCode));

        // The reply's own last part still settles the message.
        Assert.Equal(Settlement.None, await test.Store.RecordPartAsync(Sent(reply[0], "SMop3", isLast: false) with { UserNumber = user }));
        Assert.Equal(new Settlement(1, 0, null), await test.Store.RecordPartAsync(Sent(reply[1], "SMop4", isLast: true) with { UserNumber = user }));
    }

    [Fact]
    public async Task AnOptOutIsKeptWithTheConversationRefusesOperatorsAndOutlivesAnErasure()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        const string user = "+56900000199";
        var stop = await test.Store.AcceptAsync(Inbound("SMstop1", user, "STOP", DateTimeOffset.UtcNow), MessageStatus.Received);
        var at = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);
        Assert.NotNull(await test.Store.CommitTurnAsync(new TurnRecord(Bot, user, [stop.Id!.Value], ["Listo"], 0, 0, 0, null, null,
            new ConversationState("conv_stop", []) { OptedOutAt = at })));

        Assert.Equal(at, (await test.Store.LoadAsync(Bot, user)).OptedOutAt);
        Assert.Equal(OutboundResult.OptedOut, (await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["¿Le ayudo?"], "Ana"))).Refusal);
        Assert.Equal(at, (await test.Queries.ListConversationsAsync(Bot, 0, 10)).Items.Single(c => c.UserNumber == user).OptedOutAt);

        await test.Store.EraseAsync(Bot, user);
        var erased = await test.Store.LoadAsync(Bot, user);
        Assert.Equal((at, null), (erased.OptedOutAt, erased.AssistantConversationId));
        var refused = await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["¿Le ayudo?"], "Ana") { ContentSid = "HX" + new string('0', 32) });
        Assert.Equal((OutboundResult.OptedOut, 0), (refused.Refusal, refused.Parts.Count)); // not even a template
    }

    [Fact]
    public async Task FreeTextWaitsForTheUsersMessageAndATemplateGoesWithoutIt()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        const string user = "+56900000211";
        var closed = await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["Hola"], "Ana"));
        Assert.Equal((OutboundResult.OutsideWindow, (DateTimeOffset?)null, 0), (closed.Refusal, closed.LastInboundAt, closed.Parts.Count));

        var template = await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["[template cita] Ana"], "api")
        {
            ContentSid = "HX0123456789abcdef0123456789abcdef",
            ContentVariables = """{"1":"Ana"}""",
        });
        var queued = Assert.Single(template.Parts);
        Assert.Equal(("HX0123456789abcdef0123456789abcdef", """{"1":"Ana"}"""), (queued.ContentSid, queued.ContentVariables));
        Assert.Equal(queued, Assert.Single((await test.Store.LoadAsync(Bot, user)).Outbox));

        await test.Store.AcceptAsync(Inbound("SMwin1", user, "hola", DateTimeOffset.UtcNow), MessageStatus.Received);
        var open = await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["Hola, soy Ana"], "Ana"));
        Assert.Null(open.Refusal);
        Assert.NotNull(open.LastInboundAt);
        Assert.Single(open.Parts);
    }

    [Fact]
    public async Task ATakeOverKeepsTheHandoffThatStands()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, User, [await store.ReceiveAsync(Bot, User, "SMtake1", Start)], ["Hola"], 0, 0, 0, null, null,
            new ConversationState("conv_take", []))));
        var first = new HumanMode(Start, Handoff.ByAdmin, "a complaint", "ana", Start, NoticePending: true);
        Assert.Equal(first, await store.TakeOverAsync(Bot, User, first));

        // A second operator, or the user's keyword, a minute later finds the conversation taken: the first handoff answers.
        clock.Advance(TimeSpan.FromMinutes(1));
        var later = new HumanMode(clock.GetUtcNow(), Handoff.ByKeyword, "the user wrote \"humano\"", null, clock.GetUtcNow(), NoticePending: false);
        Assert.Equal(first, await store.TakeOverAsync(Bot, User, later));
        var taken = await store.LoadAsync(Bot, User);
        Assert.Equal((first, "conv_take"), (taken.Human, taken.AssistantConversationId));

        // Once the conversation is given back, the next take-over is a new handoff.
        Assert.Equal(0, await store.ResumeAsync(Bot, User, answerHeld: false, idleBefore: null));
        Assert.Equal(later, await store.TakeOverAsync(Bot, User, later));
    }

    [Fact]
    public async Task GivingBackWithAnswerHeldReopensWhatThisHandoffHeldAndNothingOlder()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        Assert.Null(await store.ResumeAsync(Bot, User, answerHeld: true, idleBefore: null)); // never in human mode: nothing changes

        // Held by an earlier handoff that was given back without answering: it stays unanswered.
        var earlier = await store.ReceiveAsync(Bot, User, "SMheld0", Start);
        await TakeOverAsync(store, clock);
        Assert.Equal(1, await HoldAsync(store, earlier));
        Assert.Equal(0, await store.ResumeAsync(Bot, User, answerHeld: false, idleBefore: null));

        // One waited in the inbox when the operator took over (received before the handoff), one came during it: this handoff held both.
        clock.Advance(TimeSpan.FromMinutes(5));
        var waiting = await store.ReceiveAsync(Bot, User, "SMheld1", clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(1));
        await TakeOverAsync(store, clock);
        var during = await store.ReceiveAsync(Bot, User, "SMheld2", clock.GetUtcNow());
        Assert.Equal(2, await HoldAsync(store, waiting, during));

        Assert.Equal(2, await store.ResumeAsync(Bot, User, answerHeld: true, idleBefore: null));
        var open = await store.LoadAsync(Bot, User);
        Assert.Null(open.Human);
        Assert.Equal([waiting, during], open.Inbox.Select(m => m.Id));
        var transcript = await Transcript(test.Queries, User);
        Assert.Equal((MessageStatus.Held, MessageStatus.Received, null), (transcript[0].Status, transcript[1].Status, transcript[1].ErrorCode));
        Assert.Null(await store.ResumeAsync(Bot, User, answerHeld: true, idleBefore: null));
    }

    [Fact]
    public async Task AutoResumeWaitsUntilNoOperatorHasWrittenSinceTheIdleCut()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        await store.ReceiveAsync(Bot, User, "SMidle1", Start); // opens the 24-hour window for the operator's free text
        await TakeOverAsync(store, clock);

        // An operator's message ten minutes in is activity: the idle time counts from it.
        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Single((await store.AddOutboundAsync(Bot, User, new OutboundRequest(["Hola, soy Ana"], "ana"))).Parts);
        Assert.Equal(clock.GetUtcNow(), (await store.LoadAsync(Bot, User)).Human!.OperatorActiveAt);

        Assert.Null(await store.ResumeAsync(Bot, User, answerHeld: false, idleBefore: Start.AddMinutes(5)));
        Assert.NotNull((await store.LoadAsync(Bot, User)).Human);
        Assert.Equal(0, await store.ResumeAsync(Bot, User, answerHeld: false, idleBefore: clock.GetUtcNow().AddMinutes(1)));
        Assert.Null((await store.LoadAsync(Bot, User)).Human);
    }

    [Fact]
    public async Task AHandoffNoticeIsDoneOnlyForItsHandoffAndTheSweepFindsItUntilThen()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var handoff = await TakeOverAsync(store, clock, notice: true);
        clock.Advance(TimeSpan.FromMinutes(2));
        var now = clock.GetUtcNow();

        // A notice older than the sweep's cut has lost its activation; a newer one is still the live activation's to send.
        Assert.Equal([new PendingConversation(Bot, Bot, User)], await store.SweepAsync(now.AddMinutes(-1), now));
        Assert.Empty(await store.SweepAsync(Start, now));

        await store.HandoffNoticeDoneAsync(Bot, User, handoff.Since.AddMinutes(-1)); // an earlier handoff's notice
        Assert.True((await store.LoadAsync(Bot, User)).Human!.NoticePending);
        await store.HandoffNoticeDoneAsync(Bot, User, handoff.Since);
        Assert.Equal(handoff with { NoticePending = false }, (await store.LoadAsync(Bot, User)).Human);
        Assert.Empty(await store.SweepAsync(now.AddMinutes(-1), now)); // the bot has no idle time: nothing left to do
    }

    [Fact]
    public async Task TheSweepFindsAConversationInHumanModeOnceItsBotsIdleTimeHasPassed()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        var bots = test.Services.GetRequiredService<IBotStore>();
        Assert.Equal(BotInsertOutcome.Inserted, await bots.InsertAsync(new BotDefinition { Id = Bot, Name = "resumes", PhoneNumber = Bot, AutoResumeMinutes = 30 }));
        Assert.Equal(BotInsertOutcome.Inserted, await bots.InsertAsync(new BotDefinition { Id = OtherBot, Name = "waits for its operators", PhoneNumber = OtherBot }));
        await TakeOverAsync(test.Store, clock, Bot);
        await TakeOverAsync(test.Store, clock, OtherBot);

        Assert.Empty(await test.Store.SweepAsync(Start, Start.AddMinutes(29)));
        Assert.Equal([new PendingConversation(Bot, Bot, User)], await test.Store.SweepAsync(Start, Start.AddMinutes(31)));
    }

    [Fact]
    public async Task AHandoffTurnEntersHumanModeWithItsClaimAndTheAssistantsNextTurnClaimsNothing()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var keyword = await store.ReceiveAsync(Bot, User, "SMhuman1", Start, "humano");
        var handoff = new HumanMode(Start, Handoff.ByKeyword, "the user wrote \"humano\"", null, Start, NoticePending: true);
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, User, [keyword], ["Le atiende una persona"], 0, 0, 0, null, null,
            new ConversationState("conv_h", []) { PendingCallId = "call_1" }) { Handoff = handoff, BotModeOnly = true }));
        var taken = await store.LoadAsync(Bot, User);
        Assert.Equal((handoff, "conv_h", "call_1"), (taken.Human, taken.AssistantConversationId, taken.PendingCallId));

        // The assistant's turn for a later message is refused whole; a turn that is not the assistant's (an opt-out) claims it and keeps the handoff.
        var later = await store.ReceiveAsync(Bot, User, "SMhuman2", Start, "STOP");
        Assert.Null(await store.CommitTurnAsync(new TurnRecord(Bot, User, [later], ["Hola"], 0, 0, 0, null, null, null) { BotModeOnly = true }));
        Assert.Equal([later], (await store.LoadAsync(Bot, User)).Inbox.Select(m => m.Id));
        Assert.NotNull(await store.CommitTurnAsync(new TurnRecord(Bot, User, [later], ["Listo"], 0, 0, 0, null, null,
            new ConversationState("conv_h", []) { OptedOutAt = Start })));
        var optedOut = await store.LoadAsync(Bot, User);
        Assert.Equal((handoff, Start, 0), (optedOut.Human, optedOut.OptedOutAt, optedOut.Inbox.Count));
    }

    [Fact]
    public async Task AnErasureGivesTheConversationBackToTheBotAndKeepsOnlyTheOptOut()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        await store.OptOutAsync(Bot, User, Start);
        await TakeOverAsync(store, clock, notice: true);
        await TakeOverAsync(store, clock, user: OtherUser, notice: true);

        Assert.Equal(2, (await store.EraseAsync(Bot, User)).Messages);
        Assert.Equal(0, (await store.EraseAsync(Bot, OtherUser)).Messages);
        var erased = await store.LoadAsync(Bot, User);
        Assert.Equal((null, Start), (erased.Human, erased.OptedOutAt));
        Assert.Null((await store.LoadAsync(Bot, OtherUser)).Human);
        Assert.Empty(await store.SweepAsync(Start.AddHours(1), Start.AddHours(1))); // no notice left to send
    }

    [Fact]
    public async Task AnErasureAfterRetentionLeavesNothingOfTheUserButWhatTheBotsUsageCounted()
    {
        var clock = new FakeTimeProvider(Start);
        await using var test = await TestMessageStore.CreateAsync(time: clock);
        await test.KnowBotsAsync(Bot, OtherBot);
        var (store, queries) = (test.Store, test.Queries);
        var calls = new PostgresToolCallStore(test.Services.GetRequiredService<NpgsqlDataSource>(), clock);
        var messages = test.Services.GetRequiredKeyedService<NpgsqlDataSource>(MessageDataSource.Key);

        // Day 0: a turn that called a tool, answered. Day 31: retention erases both; the user has no message left, but
        // the conversation list still shows them from what it kept, and a purge must find them.
        var first = await store.ReceiveAsync(Bot, User, "SMgone1", Start);
        await calls.RecordAsync(Bot, User, first, first, 0, [new ModelCall("call_1", "book_table", "{}")], CancellationToken.None);
        await store.SentAsync(Bot, User, (await store.AnswerAsync(Bot, User, [first], "Reservado"))[0], "SMgoneout1");
        clock.Advance(TimeSpan.FromDays(31));
        var now = PostgresTime.Now(clock);
        Assert.Equal(1, await EraseExpired.EraseToolCallsAsync(messages, Bot, now.AddDays(-30)));
        Assert.Equal(2, (await EraseExpired.EraseBatchAsync(messages, Bot, now.AddDays(-30), now, 100)).Messages);
        Assert.Equal([User], await store.ListUsersAsync(Bot));

        // The user writes again, a tool is called for them, and then they are erased.
        var second = await store.ReceiveAsync(Bot, User, "SMgone2", now);
        await calls.RecordAsync(Bot, User, second, second, 0, [new ModelCall("call_2", "book_table", "{}")], CancellationToken.None);
        var (from, to) = (DateOnly.FromDateTime(Start.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime));
        var usage = await queries.GetUsageAsync(Bot, from, to);
        Assert.Equal([(2, 1), (1, 1)], usage.Select(d => (d.InboundMessages + d.OutboundMessages, d.ToolCalls)));
        Assert.Equal(3, (await queries.ListConversationsAsync(Bot, 0, 10)).Items.Single().MessageCount); // two of them erased by retention

        Assert.Equal(new ErasedConversation(1, null), await store.EraseAsync(Bot, User));
        Assert.Equal(0, (await queries.ListConversationsAsync(Bot, 0, 10)).Total);
        Assert.Empty(await store.ListUsersAsync(Bot));
        Assert.Empty(await calls.ListAsync(Bot, User, Start, now.AddDays(1), 10, CancellationToken.None));
        Assert.Equal(usage, await queries.GetUsageAsync(Bot, from, to));
    }

    [Fact]
    public async Task RecordedSidsAreThoseTheConversationsOwnMessagesCarry()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var now = DateTimeOffset.UtcNow;
        var mine = await store.AnswerAsync(Bot, User, [await store.ReceiveAsync(Bot, User, "SMsid1", now)], "uno", "dos");
        var theirs = await store.AnswerAsync(Bot, OtherUser, [await store.ReceiveAsync(Bot, OtherUser, "SMsid2", now)], "tres");
        await store.SentAsync(Bot, User, mine[0], "SMsent1", isLast: false);
        await store.SentAsync(Bot, OtherUser, theirs[0], "SMsent2");

        // Twilio lists everything the bot's number sent; only what this conversation recorded counts as recorded.
        Assert.Equal("SMsent1", Assert.Single(await store.RecordedSidsAsync(Bot, User, ["SMsent1", "SMsent2", "SMunknown"])));
        Assert.Empty(await store.RecordedSidsAsync(Bot, User, []));
    }

    [Fact]
    public async Task APartTwilioRefusedFailsTheMessagesItsReplyAnswersOnceTheLastPartIsRecorded()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var parts = await store.AnswerAsync(Bot, User, [await store.ReceiveAsync(Bot, User, "SMpart1", DateTimeOffset.UtcNow)], "uno", "dos");

        // The first part is refused: the message waits for the rest of its reply, already marked with why it will fail.
        Assert.Equal(Settlement.None, await store.RecordPartAsync(
            new PartRecord(Bot, User, parts[0].Id, null, MessageStatus.Failed, "63003", "unreachable", "reply not delivered: unreachable", IsLast: false)));
        var transcript = await Transcript(test.Queries, User);
        Assert.Equal((MessageStatus.Answering, "63003"), (transcript[0].Status, transcript[0].ErrorCode));

        // The second is sent, and being the last it settles the message failed, with the first part's reason.
        Assert.Equal(new Settlement(0, 1, "63003"), await store.SentAsync(Bot, User, parts[1], "SMpart2"));
        transcript = await Transcript(test.Queries, User);
        Assert.Equal((MessageStatus.Failed, "63003", "reply not delivered: unreachable"), (transcript[0].Status, transcript[0].ErrorCode, transcript[0].ErrorMessage));
        Assert.Equal([MessageStatus.Failed, "queued"], transcript.Skip(1).Select(m => m.Status));
    }

    [Fact]
    public async Task AFailureCallbackThatOvertakesItsPartIsAppliedWithItsReasonWhenThePartIsRecorded()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;
        var part = (await store.AnswerAsync(Bot, User, [await store.ReceiveAsync(Bot, User, "SMearly1", DateTimeOffset.UtcNow)], "hola")).Single();
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly2", "undelivered", "63016")));

        Assert.Equal(new Settlement(1, 0, null), await store.SentAsync(Bot, User, part, "SMearly2"));
        var sent = (await Transcript(test.Queries, User))[1];
        Assert.Equal(("SMearly2", "undelivered", "63016", DeliveryStatuses.Reason("63016")), (sent.TwilioSid, sent.Status, sent.ErrorCode, sent.ErrorMessage));

        // The kept callback was used up by its part: a late "sent" neither moves the part back nor is kept again.
        Assert.Equal(DeliveryStatusOutcome.Unchanged, await test.Intake.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMearly2", "sent", null)));
        Assert.Equal(0L, await test.Database.ScalarAsync<long>("select count(*) from early_delivery_statuses"));
    }

    [Fact]
    public async Task AMessageForADisabledBotIsLoggedButIsNoOnesWork()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        var ignored = await test.Store.AcceptAsync(Inbound("SMoff1", User, "¿hola?", at), MessageStatus.Ignored);

        Assert.Equal((true, MessageStatus.Ignored, 0), (ignored.Inserted, ignored.Status, (await test.Store.LoadAsync(Bot, User)).Inbox.Count));
        Assert.Empty(await test.Store.SweepAsync(at.AddMinutes(1), at.AddMinutes(1)));
        Assert.Equal(MessageStatus.Ignored, Assert.Single(await Transcript(test.Queries, User)).Status);
    }

    [Fact]
    public async Task AConversationCanNeitherClaimNorSettleAnothersMessages()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var theirs = await test.Store.ReceiveAsync(Bot, OtherUser, "SMtheirs", DateTimeOffset.UtcNow);

        Assert.Null(await test.Store.CommitTurnAsync(new TurnRecord(Bot, User, [theirs], ["no es tuyo"], 0, 0, 0, null, null, null)));
        Assert.Equal(0, await test.Store.SettleAsync(Bot, User, [theirs], MessageStatus.Failed, "bot_disabled", "the bot was disabled"));
        Assert.Equal([theirs], (await test.Store.LoadAsync(Bot, OtherUser)).Inbox.Select(m => m.Id));
        Assert.Empty(await Transcript(test.Queries, User));
    }

    [Fact]
    public async Task ASendIsClaimedInItsRowBeforeTwilioIsCalledAndOnlyOnce()
    {
        await using var test = await TestMessageStore.CreateAsync();
        await test.KnowBotsAsync(Bot, OtherBot);
        var store = test.Store;

        // The turn's write claims its first part's send (the outbox was empty), not the second's.
        var first = await store.ReceiveAsync(Bot, User, "SMclaim1", DateTimeOffset.UtcNow);
        var reply = (await store.CommitTurnAsync(new TurnRecord(Bot, User, [first], ["uno", "dos"], 0, 0, 0, null, null, null)))!;
        Assert.Equal([true, false], reply.Select(p => p.ClaimedForSend));
        Assert.NotNull(reply[0].SendingSince);

        // A reading shows which send was claimed (that part may have reached Twilio), and claims nothing itself.
        var read = (await store.LoadAsync(Bot, User)).Outbox;
        Assert.Equal([(true, false), (false, false)], read.Select(p => (p.SendingSince is not null, p.ClaimedForSend)));

        // An operator's part queued behind it is claimed by no write; a turn that finds the outbox busy claims nothing.
        var operatorPart = Assert.Single((await store.AddOutboundAsync(Bot, User, new OutboundRequest(["Le escribe Ana"], "Ana"))).Parts);
        var second = await store.ReceiveAsync(Bot, User, "SMclaim2", DateTimeOffset.UtcNow);
        var later = (await store.CommitTurnAsync(new TurnRecord(Bot, User, [second], ["tres"], 0, 0, 0, null, null, null)))!;
        Assert.False(Assert.Single(later).ClaimedForSend);
        Assert.Null((await store.LoadAsync(Bot, User)).Outbox.Single(p => p.Id == later[0].Id).SendingSince);

        // Recording a part claims the next one's send, once; a claim of its own succeeds once, and never on another's part.
        Assert.True((await store.RecordPartAsync(Sent(reply[0], "SMclaimed1", isLast: false) with { Next = reply[1].Id })).NextClaimed);
        Assert.False((await store.RecordPartAsync(Sent(reply[0], "SMclaimed1", isLast: false) with { Next = reply[1].Id })).NextClaimed);
        Assert.False(await store.ClaimSendAsync(Bot, User, reply[1].Id));
        Assert.False(await store.ClaimSendAsync(Bot, OtherUser, operatorPart.Id));
        Assert.True(await store.ClaimSendAsync(Bot, User, operatorPart.Id));
        Assert.False(await store.ClaimSendAsync(Bot, User, operatorPart.Id));

        // A recorded part is no longer pending: its send cannot be claimed again.
        await store.RecordPartAsync(Sent(reply[1], "SMclaimed2", isLast: true));
        Assert.False(await store.ClaimSendAsync(Bot, User, reply[1].Id));
    }

    [Fact]
    public async Task TheDatabaseRanksStatusesAndExplainsErrorCodesAsTheCodeDoes()
    {
        await using var test = await TestMessageStore.CreateAsync();
        foreach (var (status, rank) in DeliveryStatuses.All)
        {
            Assert.Equal(rank, await test.Database.ScalarAsync<int>($"select delivery_status_rank('{status}')"));
        }

        Assert.Equal(0, await test.Database.ScalarAsync<int>("select delivery_status_rank('something-new')"));
        foreach (var code in DeliveryStatuses.KnownReasons.Keys.Append("99999"))
        {
            Assert.Equal(DeliveryStatuses.Reason(code), await test.Database.ScalarAsync<string>($"select delivery_error_reason('{code}')"));
        }

        Assert.Null(DeliveryStatuses.Reason(null));
        Assert.Equal(0L, await test.Database.ScalarAsync<long>("select count(*) where delivery_error_reason(null) is not null"));
    }

    /// <summary>An operator takes the conversation over now; the handoff as committed.</summary>
    private static Task<HumanMode> TakeOverAsync(IMessageStore store, TimeProvider clock, string bot = Bot, string user = User, bool notice = false)
    {
        var now = clock.GetUtcNow();
        return store.TakeOverAsync(bot, user, new HumanMode(now, Handoff.ByAdmin, null, "ana", now, notice));
    }

    /// <summary>Holds inbox messages for the person who has the conversation, as the conversation does in human mode.</summary>
    private static Task<int> HoldAsync(IMessageStore store, params long[] ids) =>
        store.SettleAsync(Bot, User, ids, MessageStatus.Held, "human_mode", "a person has this conversation");

    private static PartRecord Sent(PendingPart part, string sid, bool isLast) =>
        new(Bot, User, part.Id, sid, "queued", null, null, null, isLast);

    private static Task<TranscriptMessage[]> Transcript(IMessageLogQueries queries, string user) => queries.TranscriptAsync(Bot, user);

    private static InboundMessage Inbound(string sid, string user, string body, DateTimeOffset at) => StoreSteps.Inbound(Bot, user, sid, body, at);
}
