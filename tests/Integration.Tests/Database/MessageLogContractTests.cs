using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Grains.Storage.Memory;
using HorizonAI.Integration.Tests.Infrastructure;
using Npgsql;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>
/// The message log's rules, the same for PostgreSQL and for the in-memory log of <c>STORAGE_MODE=memory</c>: one row
/// per MessageSid, statuses only move forward, early callbacks are kept for their reply, and the reads agree.
/// </summary>
public sealed class MessageLogContractTests
{
    private const string Bot = "+15550000101";
    private const string User = "+56900000101";
    private const string OtherUser = "+56900000102";

    [Theory]
    [InlineData("postgres")]
    [InlineData("memory")]
    public async Task BothLogsKeepTheSameRules(string kind)
    {
        await using var store = await Store.CreateAsync(kind);
        var (log, queries) = (store.Log, store.Queries);
        var now = DateTimeOffset.UtcNow;

        Assert.True(await log.RecordInboundAsync(Inbound("SMin1", User, "hola", now), MessageStatus.Received));
        Assert.False(await log.RecordInboundAsync(Inbound("SMin1", User, "hola otra vez", now), MessageStatus.Received));
        Assert.True(await log.InboundExistsAsync(Bot, "SMin1"));
        Assert.False(await log.InboundExistsAsync("+15550000999", "SMin1"));
        Assert.True(await log.RecordInboundAsync(Inbound("SMin2", OtherUser, "buenas", now), MessageStatus.Received));

        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "delivered", null)));
        Assert.Equal(DeliveryStatusOutcome.UnknownMessage, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        await log.RecordOutboundAsync(new OutboundRecord(Bot, User, "¡Hola!", "SMout1", "queued", InputTokens: 10, OutputTokens: 5, CachedTokens: 2));
        await log.RecordOutboundAsync(new OutboundRecord(Bot, User, "¡Hola!", "SMout1", "queued"));
        Assert.False(await log.AreSettledAsync(Bot, ["SMin1"]));
        await log.MarkInboundAsync(Bot, ["SMin1"], MessageStatus.Answered, null, null);
        Assert.True(await log.AreSettledAsync(Bot, ["SMin1"]));
        Assert.False(await log.AreSettledAsync(Bot, ["SMin1", "SMin2"]));

        Assert.Equal(DeliveryStatusOutcome.Unchanged, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "sent", null)));
        Assert.Equal(DeliveryStatusOutcome.Updated, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout1", "read", null)));

        // The reply's last part settles the messages it answers in the same write.
        await log.RecordOutboundAsync(new OutboundRecord(Bot, OtherUser, "fuera de ventana", "SMout2", "queued"),
            new InboundSettlement(["SMin2"], MessageStatus.Failed, "63016", "reply not delivered"));
        Assert.Equal(DeliveryStatusOutcome.Updated, await log.RecordDeliveryStatusAsync(new DeliveryStatusUpdate("SMout2", "failed", "63016")));

        var transcript = await queries.GetTranscriptAsync(Bot, User, 0, 50);
        Assert.Equal(2, transcript.Total);
        Assert.Equal(["inbound", "outbound"], transcript.Items.Select(m => m.Direction));
        Assert.Equal(["answered", "read"], transcript.Items.Select(m => m.Status));
        Assert.Equal("hola", transcript.Items[0].Text);
        Assert.True(transcript.Items[0].Id < transcript.Items[1].Id);

        Assert.True(await log.AreSettledAsync(Bot, ["SMin1", "SMin2"]));
        var settled = (await queries.GetTranscriptAsync(Bot, OtherUser, 0, 50)).Items[0];
        Assert.Equal(("failed", "63016", "reply not delivered"), (settled.Status, settled.ErrorCode, settled.ErrorMessage));
        var failed = (await queries.GetTranscriptAsync(Bot, OtherUser, 0, 50)).Items[1];
        Assert.Equal(("failed", "63016"), (failed.Status, failed.ErrorCode));
        Assert.Contains("24-hour window", failed.ErrorMessage, StringComparison.Ordinal);

        var conversations = await queries.ListConversationsAsync(Bot, 0, 1);
        Assert.Equal(2, conversations.Total);
        Assert.Equal(OtherUser, Assert.Single(conversations.Items).UserNumber);
        Assert.Equal([User, OtherUser], (await log.ListUsersAsync(Bot)).Order(StringComparer.Ordinal));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var usage = Assert.Single(await queries.GetUsageAsync(Bot, today.AddDays(-1), today));
        Assert.Equal((2, 2, 10L, 5L, 2L), (usage.InboundMessages, usage.OutboundMessages, usage.InputTokens, usage.OutputTokens, usage.CachedTokens));

        Assert.Equal(2, await log.DeleteConversationAsync(Bot, User));
        Assert.Equal(0, (await queries.GetTranscriptAsync(Bot, User, 0, 50)).Total);
        Assert.False(await log.InboundExistsAsync(Bot, "SMin1"));
        Assert.Equal(2, (await queries.GetTranscriptAsync(Bot, OtherUser, 0, 50)).Total);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("memory")]
    public async Task PagesAgreeWithTheirTotalsWhileMessagesArrive(string kind)
    {
        await using var store = await Store.CreateAsync(kind);
        const int messages = 300;
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < messages; i++)
            {
                var user = i % 2 == 0 ? User : $"+5690002{i:D4}";
                await store.Log.RecordInboundAsync(Inbound($"SMrace{i}", user, $"mensaje {i}", DateTimeOffset.UtcNow), MessageStatus.Received);
            }
        });

        var reads = 0;
        while (!writer.IsCompleted || reads == 0)
        {
            var whole = await store.Queries.GetTranscriptAsync(Bot, User, 0, 1000);
            Assert.Equal(whole.Total, whole.Items.Length);
            var tail = await store.Queries.GetTranscriptAsync(Bot, User, 10, 20);
            Assert.Equal(Math.Clamp(tail.Total - 10, 0, 20), tail.Items.Length);
            var users = await store.Queries.ListConversationsAsync(Bot, 0, 1000);
            Assert.Equal(users.Total, users.Items.Length);
            var laterUsers = await store.Queries.ListConversationsAsync(Bot, 10, 20);
            Assert.Equal(Math.Clamp(laterUsers.Total - 10, 0, 20), laterUsers.Items.Length);
            reads++;
        }

        await writer;
        var past = await store.Queries.GetTranscriptAsync(Bot, User, messages, 20);
        Assert.Equal((messages / 2, 0), (past.Total, past.Items.Length));
        var pastUsers = await store.Queries.ListConversationsAsync(Bot, messages, 20);
        Assert.Equal((1 + (messages / 2), 0), (pastUsers.Total, pastUsers.Items.Length));
    }

    private static InboundMessage Inbound(string sid, string user, string body, DateTimeOffset at) => new()
    {
        MessageSid = sid,
        BotNumber = Bot,
        UserNumber = user,
        Body = body,
        ReceivedAt = at,
    };

    private sealed class Store(IMessageLog log, IMessageLogQueries queries, IAsyncDisposable? owner) : IAsyncDisposable
    {
        public IMessageLog Log { get; } = log;

        public IMessageLogQueries Queries { get; } = queries;

        public static async Task<Store> CreateAsync(string kind)
        {
            if (kind == "memory")
            {
                var memory = new InMemoryMessageLog(TimeProvider.System);
                return new Store(memory, memory, null);
            }

            var database = await TestDatabase.CreateAsync();
            var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
            return new Store(new MessageLog(dataSource), new MessageLogQueries(dataSource), new Owner(dataSource, database));
        }

        public async ValueTask DisposeAsync()
        {
            if (owner is not null)
            {
                await owner.DisposeAsync();
            }
        }

        private sealed class Owner(NpgsqlDataSource dataSource, TestDatabase database) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await dataSource.DisposeAsync();
                await database.DisposeAsync();
            }
        }
    }
}
