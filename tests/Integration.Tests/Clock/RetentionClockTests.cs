using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox.Business;
using HorizonAI.Storage;
using Npgsql;

namespace HorizonAI.Integration.Tests.Clock;

/// <summary>
/// Retention per bot on the application's clock: settled messages older than <c>retention_days</c> are erased, not a
/// day sooner, and the calls of tools of settled turns with them; unsettled rows, and the calls of an unsettled turn,
/// stay; the usage report (tool calls and knowledge searches too) and the conversation list keep their figures; a
/// conversation left without messages loses its OpenAI conversation upstream; the erasure is audited. After it, an
/// erased user leaves nothing in the conversation list, and a purge reaches users whose messages retention took.
/// </summary>
[Collection(FakeClockCollection.Name)]
public sealed class RetentionClockTests(FakeClockCluster fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private FakeClock Clock => fixture.Clock;

    [Fact]
    public async Task SettledMessagesOlderThanTheRetentionAreErasedWhileTheFiguresStayAndOpenWorkIsKept()
    {
        var bot = SystemFixture.NewBotNumber();
        var botId = await CreateBotAsync(bot, "Retención");
        var (old, recent, waiting) = (SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber());

        // Day 0: a conversation answered (its OpenAI conversation made upstream) after a call of the business's tool,
        // with two searches of the bot's knowledge, one of them a priced file_search.
        var day0 = PostgresTime.Now(Clock);
        await ReceiveAsync(bot, old, Availability("hola, ¿abren hoy?"), "SMretention000000000000000000001");
        await fixture.Upstreams.WaitForRepliesToAsync(old, 1, Patience);
        await WaitForSettledAsync(botId, old);
        var upstream = await fixture.Database.ScalarAsync<string>("select assistant_conversation_id from conversations where bot_id = @bot and user_number = @user",
            ("bot", botId), ("user", old));
        Assert.True(fixture.Upstreams.ConversationExists(upstream));
        await fixture.Database.ExecuteAsync(
            $"update messages set knowledge_searches = 2, file_searches = 1 where bot_id = '{botId}' and user_number = '{old}' and direction = 'outbound'");

        // The call was stamped by the application's clock, as the messages are, not by the database's.
        var call = Assert.Single(await fixture.Database.QueryAsync(
            "select status, created_at, finished_at, turn_key from tool_calls where bot_id = @bot and user_number = @user", ("bot", botId), ("user", old)));
        Assert.Equal(("ok", day0, day0), ((string)call["status"]!, Utc(call["created_at"]), Utc(call["finished_at"])));
        var oldTurn = (long)call["turn_key"]!;

        // A message whose turn never ended, with the calls it had made (one ended, one still running): a turn run again
        // needs them. And a call a settled turn left running (a crash during the call): nothing will ever end it.
        var unsettled = await fixture.Database.ScalarAsync<long>(
            "insert into messages (bot_id, user_number, direction, body, status, created_at, updated_at) values (@bot, @user, 'inbound', 'a medias', 'answering', @at, @at) returning id",
            ("bot", botId), ("user", waiting), ("at", day0.UtcDateTime));
        await InsertCallAsync(botId, waiting, unsettled, "call_waiting_ended", "ok", day0);
        await InsertCallAsync(botId, waiting, unsettled, "call_waiting_running", "running", day0);
        await InsertCallAsync(botId, old, oldTurn, "call_left_running", "running", day0);

        // Day 20: another user's conversation.
        await Clock.AdvanceAsync(TimeSpan.FromDays(20));
        await ReceiveAsync(bot, recent, "¿tienen mesa?", "SMretention000000000000000000002");
        await fixture.Upstreams.WaitForRepliesToAsync(recent, 1, Patience);
        await WaitForSettledAsync(botId, recent);

        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var queries = new MessageLogQueries(dataSource);
        var usageBefore = await UsageAsync(queries, botId, day0);
        var listBefore = await ListAsync(queries, botId);
        Assert.Equal(3, listBefore.Length);
        var firstDay = (await queries.GetUsageAsync(botId, DateOnly.FromDateTime(day0.UtcDateTime), DateOnly.FromDateTime(day0.UtcDateTime)))[0];
        Assert.Equal((4, 2, 1), (firstDay.ToolCalls, firstDay.KnowledgeSearches, firstDay.FileSearches));

        // Day 29 and a bit: nothing is old enough yet.
        await Clock.AdvanceAsync(TimeSpan.FromDays(9) + TimeSpan.FromHours(23));
        await fixture.Client.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
        Assert.Equal(2, await CountAsync(botId, old));
        Assert.Equal(4, await CallsAsync(botId));

        // Day 31: the first conversation's settled messages go, with its OpenAI conversation; the rest stays.
        await Clock.AdvanceAsync(TimeSpan.FromDays(1) + TimeSpan.FromHours(1));
        // (The silo's daily sweeper runs on the same clock and may be the one that erases them.)
        await fixture.Client.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
        await Eventually.TrueAsync(async () => await CountAsync(botId, old) == 0, Patience, "the old conversation erased");
        Assert.Equal(2, await CountAsync(botId, recent));
        Assert.Equal(1, await CountAsync(botId, waiting)); // unsettled: never touched
        Assert.Equal(["call_waiting_ended", "call_waiting_running"], (await fixture.Database.QueryAsync(
            "select call_id from tool_calls where bot_id = @bot order by call_id", ("bot", botId))).Select(r => (string)r["call_id"]!));
        Assert.False(fixture.Upstreams.ConversationExists(upstream));
        Assert.Equal("", await fixture.Database.ScalarAsync<string>("select coalesce(assistant_conversation_id, '') from conversations where bot_id = @bot and user_number = @user",
            ("bot", botId), ("user", old)));

        // The usage report and the conversation list say what they said before.
        Assert.Equal(usageBefore, await UsageAsync(queries, botId, day0));
        Assert.Equal(listBefore, await ListAsync(queries, botId));

        // The erasure is audited, under the bot's number.
        var actions = (await Eventually.WaitAsync(() => fixture.Database.QueryAsync("select key_id, action from audit_log where bot_number = @bot", ("bot", bot)),
                rows => rows.Count > 0, Patience, "the erasure audited"))
            .Select(r => ((string)r["key_id"]!, (string)r["action"]!)).ToList();
        Assert.Equal(("retention", "retention: 2 message(s) and 2 tool call(s) older than 30 day(s) erased"), Assert.Single(actions));

        // A second pass finds nothing more.
        await fixture.Client.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
        Assert.Single(await fixture.Database.QueryAsync("select 1 from audit_log where bot_number = @bot", ("bot", bot)));
    }

    [Fact]
    public async Task AnErasedUserLeavesNothingButTheBotsUsageAndAPurgeReachesUsersWhoseMessagesRetentionTook()
    {
        var bot = SystemFixture.NewBotNumber();
        var botId = await CreateBotAsync(bot, "Borrado");
        var (ana, luis) = (SystemFixture.NewUserNumber(), SystemFixture.NewUserNumber());
        var day0 = PostgresTime.Now(Clock);
        await ReceiveAsync(bot, ana, Availability("¿hay mesa?"), "SMretention000000000000000000011");
        await ReceiveAsync(bot, luis, "hola", "SMretention000000000000000000012");
        await fixture.Upstreams.WaitForRepliesToAsync(ana, 1, Patience);
        await fixture.Upstreams.WaitForRepliesToAsync(luis, 1, Patience);
        await WaitForSettledAsync(botId, ana);
        await WaitForSettledAsync(botId, luis);

        // Day 31: retention took both conversations' messages; the list still shows them, from what it kept.
        await Clock.AdvanceAsync(TimeSpan.FromDays(31));
        await fixture.Client.GetGrain<IRetentionGrain>(0).EraseExpiredAsync();
        await Eventually.TrueAsync(async () => await CountAsync(botId, ana) + await CountAsync(botId, luis) == 0, Patience, "both conversations erased");
        Assert.Equal(0, await CallsAsync(botId));

        // Ana writes again, and the bot calls the business for her.
        await ReceiveAsync(bot, ana, Availability("¿y mañana?"), "SMretention000000000000000000013");
        await fixture.Upstreams.WaitForRepliesToAsync(ana, 2, Patience);
        await WaitForSettledAsync(botId, ana);
        Assert.Equal(1, await CallsAsync(botId));

        await using var dataSource = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        var queries = new MessageLogQueries(dataSource);
        var usageBefore = await UsageAsync(queries, botId, day0);
        Assert.Equal(2, usageBefore.Length);
        Assert.Equal(new[] { ana, luis }.Order(StringComparer.Ordinal), (await ListAsync(queries, botId)).Select(line => line.Split(' ')[0]).Order(StringComparer.Ordinal));

        // Ana's erasure (what DELETE /bots/{number}/conversations/{user} does) leaves nothing of her, not even her line
        // in the conversation list with its old count, nor her OpenAI conversation; the bot's usage per day, which
        // names no user, stays.
        var upstream = await fixture.Database.ScalarAsync<string>("select assistant_conversation_id from conversations where bot_id = @bot and user_number = @user",
            ("bot", botId), ("user", ana));
        Assert.True(fixture.Upstreams.ConversationExists(upstream));
        await fixture.Client.GetGrain<IConversationGrain>(ConversationKey.For(bot, botId, ana)).ResetAsync(ana);
        await Eventually.TrueAsync(() => Task.FromResult(!fixture.Upstreams.ConversationExists(upstream)), TimeSpan.FromSeconds(30),
            "her OpenAI conversation deleted upstream after the erasure");
        Assert.Equal(new Dictionary<string, long> { ["messages"] = 0, ["tool_calls"] = 0, ["conversations"] = 0, ["conversations_erased"] = 0 }, await RowsOfAsync(botId, ana));
        Assert.Equal([luis], (await ListAsync(queries, botId)).Select(line => line.Split(' ')[0]));
        Assert.Equal(usageBefore, await UsageAsync(queries, botId, day0));

        // A purge of the bot erases Luis too, though retention left him no message: only his state and his line.
        Assert.Equal(1, (await RowsOfAsync(botId, luis))["conversations_erased"]);
        Assert.True(await fixture.Client.GetGrain<IBotGrain>(bot).DeleteAsync(purge: true));
        Assert.Equal(new Dictionary<string, long> { ["messages"] = 0, ["tool_calls"] = 0, ["conversations"] = 0, ["conversations_erased"] = 0 }, await RowsOfAsync(botId, luis));
        Assert.Equal(0, (await queries.ListConversationsAsync(botId, 0, 50)).Total);
    }

    private async Task<string> CreateBotAsync(string bot, string instructions)
    {
        var created = await fixture.Client.GetGrain<IBotGrain>(bot).SaveAsync(new BotDefinition
        {
            Name = instructions,
            PhoneNumber = bot,
            Instructions = instructions,
            RetentionDays = 30,
            Tools =
            [
                new FunctionTool
                {
                    Name = "check_availability",
                    Description = "Whether a table is free.",
                    Parameters = """{"type":"object","properties":{}}""",
                    Url = fixture.SandboxUrl + SandboxBusiness.RestaurantPath + "/check_availability",
                },
            ],
            ToolsSecret = SandboxBusiness.ToolsSecret,
        }, BotWriteMode.Create);
        return created.Bot!.Id!;
    }

    /// <summary>The user's text with the sandbox model's tag that makes it call the restaurant's availability tool.</summary>
    private static string Availability(string text) => text + """ #tool:check_availability{"people":2,"time":"21:00"}""";

    private Task InsertCallAsync(string botId, string user, long turnKey, string callId, string status, DateTimeOffset at) =>
        fixture.Database.ScalarAsync<long>("""
            insert into tool_calls (bot_id, user_number, turn_key, through_message_id, round, position, call_id, tool, arguments, idempotency_key, status, created_at)
            values (@bot, @user, @turn, @turn, 0, 1, @call, 'check_availability', '{}', 'hzc_' || @call, @status, @at) returning id
            """, ("bot", botId), ("user", user), ("turn", turnKey), ("call", callId), ("status", status), ("at", at.UtcDateTime));

    private Task<long> CallsAsync(string botId) =>
        fixture.Database.ScalarAsync<long>("select count(*) from tool_calls where bot_id = @bot", ("bot", botId));

    /// <summary>How many rows of each table that keeps something of a user hold this one.</summary>
    private async Task<Dictionary<string, long>> RowsOfAsync(string botId, string user)
    {
        var rows = new Dictionary<string, long>();
        foreach (var table in new[] { "messages", "tool_calls", "conversations", "conversations_erased" })
        {
            rows[table] = await fixture.Database.ScalarAsync<long>(
                $"select count(*) from {table} where bot_id = @bot and user_number = @user", ("bot", botId), ("user", user));
        }

        return rows;
    }

    private static DateTimeOffset Utc(object? value) => new(DateTime.SpecifyKind((DateTime)value!, DateTimeKind.Utc));

    private Task<ReceiveOutcome> ReceiveAsync(string bot, string user, string body, string sid) =>
        fixture.Client.GetGrain<IBotGrain>(bot).ReceiveAsync(new InboundMessage
        {
            MessageSid = sid,
            BotNumber = bot,
            UserNumber = user,
            Body = body,
            ReceivedAt = Clock.GetUtcNow(),
        });

    private Task WaitForSettledAsync(string botId, string user) => Eventually.TrueAsync(
        async () => await fixture.Database.ScalarAsync<long>(
            "select count(*) from messages where bot_id = @bot and user_number = @user and status in ('received', 'answering', 'pending')", ("bot", botId), ("user", user)) == 0,
        Patience, "the conversation settled");

    private Task<long> CountAsync(string botId, string user) =>
        fixture.Database.ScalarAsync<long>("select count(*) from messages where bot_id = @bot and user_number = @user", ("bot", botId), ("user", user));

    private static async Task<string[]> UsageAsync(MessageLogQueries queries, string botId, DateTimeOffset from) =>
        [.. (await queries.GetUsageAsync(botId, DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(from.UtcDateTime.AddDays(60)))).Select(d => d.ToString())];

    private static async Task<string[]> ListAsync(MessageLogQueries queries, string botId) =>
        [.. (await queries.ListConversationsAsync(botId, 0, 50)).Items.Select(c => $"{c.UserNumber} {c.StartedAt:O} {c.LastMessageAt:O} {c.MessageCount}")];
}
