using HorizonAI.Storage;
using HorizonAI.Grains.Assistants;
using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Messaging;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;

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

    [Fact]
    public async Task AMessagesLifeFollowsTheSameRulesInBothStores()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var (store, queries) = (test.Store, test.Queries);
        var now = DateTimeOffset.UtcNow;

        // Stored once per (bot, MessageSid); a repeat finds the row that is there.
        var first = await store.AcceptAsync(Inbound("SMin1", User, "hola", now), MessageStatus.Received, loadConversation: false);
        Assert.True(first.Inserted);
        var again = await store.AcceptAsync(Inbound("SMin1", User, "hola otra vez", now), MessageStatus.Received, loadConversation: false);
        Assert.Equal((false, first.Id, MessageStatus.Received), (again.Inserted, again.Id, again.Status));
        Assert.True((await store.AcceptAsync(Inbound("SMin1", User, "hola", now) with { BotNumber = "+15550000999" }, MessageStatus.Received, false)).Inserted);

        // A fresh conversation reads its open work with its first message, and only its own.
        var other = await store.AcceptAsync(Inbound("SMin2", OtherUser, "buenas", now), MessageStatus.Received, loadConversation: true);
        Assert.Equal(["SMin2"], other.Conversation!.Inbox.Select(m => m.MessageSid));
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
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await store.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "delivered", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await store.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        Assert.Equal(Settlement.None, await store.RecordPartAsync(Sent(parts[0], "SMout1", isLast: false)));
        Assert.Equal(Settlement.None, await store.RecordPartAsync(Sent(parts[0], "SMout1", isLast: false)));
        Assert.Equal(DeliveryStatusOutcome.Unchanged, await store.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.Updated, await store.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "read", null)));
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
        var third = await store.AcceptAsync(Inbound("SMin3", OtherUser, "¿hola?", now), MessageStatus.Received, false);
        Assert.Empty((await store.CommitTurnAsync(new TurnRecord(Bot, OtherUser, [third.Id!.Value], [], 0, 0, 0, "http_400", "bad request", null)))!);
        var fourth = await store.AcceptAsync(Inbound("SMin4", OtherUser, "¿sigues?", now), MessageStatus.Received, false);
        Assert.Equal(1, await store.SettleAsync(Bot, OtherUser, [fourth.Id!.Value], MessageStatus.Failed, "bot_disabled", "the bot was disabled"));
        Assert.Equal(0, await store.SettleAsync(Bot, OtherUser, [fourth.Id!.Value], MessageStatus.Failed, "bot_disabled", "the bot was disabled"));
        Assert.Equal(["failed", "failed"], (await Transcript(queries, OtherUser)).Skip(2).Select(m => m.Status));

        // Open work older than the cut is found by exactly one sweep shard; settled conversations are not.
        await store.AcceptAsync(Inbound("SMold", User, "¿alguien?", now.AddMinutes(-2)), MessageStatus.Received, false);
        await store.AcceptAsync(Inbound("SMnew", OtherUser, "recién", now), MessageStatus.Received, false);
        var found = new List<PendingConversation>();
        for (var shard = 0; shard < IInboxSweepGrain.Shards; shard++)
        {
            found.AddRange(await store.FindPendingAsync(shard, IInboxSweepGrain.Shards, now.AddMinutes(-1), now, 100));
        }

        Assert.Equal([new PendingConversation(Bot, User)], found);

        var conversations = await queries.ListConversationsAsync(Bot, 0, 1);
        Assert.Equal(2, conversations.Total);
        Assert.Equal([User, OtherUser], (await store.ListUsersAsync(Bot)).Order(StringComparer.Ordinal));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = (await queries.GetUsageAsync(Bot, today.AddDays(-1), today)).Sum(d => (int)d.InboundMessages);
        Assert.Equal(6, usage);
        var sentToday = Assert.Single(await queries.GetUsageAsync(Bot, today, today));
        Assert.Equal((2, 10L, 5L, 2L), (sentToday.OutboundMessages, sentToday.InputTokens, sentToday.OutputTokens, sentToday.CachedTokens));

        // Erasing takes the messages and the state; the MessageSid can be stored anew.
        Assert.Equal(4, await store.EraseAsync(Bot, User));
        Assert.Empty(await Transcript(queries, User));
        Assert.True(await store.LoadAsync(Bot, User) is { AssistantConversationId: null, History.Count: 0, Inbox.Count: 0, Outbox.Count: 0 });
        Assert.True((await store.AcceptAsync(Inbound("SMin1", User, "hola", now), MessageStatus.Received, false)).Inserted);
        Assert.Equal(5, (await Transcript(queries, OtherUser)).Length);
    }

    [Fact]
    public async Task AClaimIsAllOrNothing()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var store = test.Store;
        var a = await store.AcceptAsync(Inbound("SMa", User, "a", DateTimeOffset.UtcNow), MessageStatus.Received, false);
        var b = await store.AcceptAsync(Inbound("SMb", User, "b", DateTimeOffset.UtcNow), MessageStatus.Received, false);
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
        const int messages = 300;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < messages; i++)
            {
                var user = i % 2 == 0 ? User : $"+5690002{i:D4}";
                await test.Store.AcceptAsync(Inbound($"SMrace{i}", user, $"mensaje {i}", DateTimeOffset.UtcNow), MessageStatus.Received, false);
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
        const string user = "+56900000177";
        var media = Inbound("SMmedia1", user, "mira", DateTimeOffset.UtcNow) with
        {
            MediaUrls = ["https://api.twilio.com/a", "https://api.twilio.com/b"],
            MediaTypes = ["audio/ogg", "image/png"],
        };
        var plain = await test.Store.AcceptAsync(Inbound("SMmedia2", user, "y esto", DateTimeOffset.UtcNow), MessageStatus.Received, false);
        var stored = await test.Store.AcceptAsync(media, MessageStatus.Received, false);

        var inbox = (await test.Store.LoadAsync(Bot, user)).Inbox;
        Assert.Equal([new MediaItem("https://api.twilio.com/a", "audio/ogg"), new MediaItem("https://api.twilio.com/b", "image/png")],
            inbox.Single(m => m.Id == stored.Id).Media);
        Assert.Empty(inbox.Single(m => m.Id == plain.Id).Media);

        // The claim writes what was read beside the messages that had media; the others keep none.
        var parts = await test.Store.CommitTurnAsync(new TurnRecord(Bot, user, [plain.Id!.Value, stored.Id!.Value], ["ok", new ReplyPart("el menú", "https://cdn.example.com/m.pdf")],
            0, 0, 0, null, null, null, new Dictionary<long, MediaReading> { [stored.Id.Value] = new("voice note: hola", 1.5, 42) }));
        Assert.Equal([(null, "ok"), ("https://cdn.example.com/m.pdf", "el menú")], parts!.Select(p => (p.MediaUrl, p.Body)));

        // A reply part's media is in the outbox that a new activation reads.
        Assert.Equal(parts, (await test.Store.LoadAsync(Bot, user)).Outbox);
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
        const string user = "+56900000188";
        var inbound = await test.Store.AcceptAsync(Inbound("SMop1", user, "hola", DateTimeOffset.UtcNow), MessageStatus.Received, false);
        var reply = (await test.Store.CommitTurnAsync(new TurnRecord(Bot, user, [inbound.Id!.Value], ["uno", "dos"], 0, 0, 0, null, null, null)))!;
        var operatorParts = (await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["Le escribe Ana", new ReplyPart("", "https://cdn.example.com/a.jpg")], "Ana"))).Parts;

        // Queued behind the reply, and read back as the operator's after a reactivation.
        Assert.Equal([.. reply, .. operatorParts], (await test.Store.LoadAsync(Bot, user)).Outbox);
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
        const string user = "+56900000199";
        var stop = await test.Store.AcceptAsync(Inbound("SMstop1", user, "STOP", DateTimeOffset.UtcNow), MessageStatus.Received, false);
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

        await test.Store.AcceptAsync(Inbound("SMwin1", user, "hola", DateTimeOffset.UtcNow), MessageStatus.Received, false);
        var open = await test.Store.AddOutboundAsync(Bot, user, new OutboundRequest(["Hola, soy Ana"], "Ana"));
        Assert.Null(open.Refusal);
        Assert.NotNull(open.LastInboundAt);
        Assert.Single(open.Parts);
    }

    private static PartRecord Sent(PendingPart part, string sid, bool isLast) =>
        new(Bot, User, part.Id, sid, "queued", null, null, null, isLast);

    private static async Task<TranscriptMessage[]> Transcript(IMessageLogQueries queries, string user) =>
        (await queries.GetTranscriptAsync(Bot, user, 0, 50)).Items;

    private static InboundMessage Inbound(string sid, string user, string body, DateTimeOffset at) => new()
    {
        MessageSid = sid,
        BotNumber = Bot,
        UserNumber = user,
        Body = body,
        ReceivedAt = at,
    };
}
