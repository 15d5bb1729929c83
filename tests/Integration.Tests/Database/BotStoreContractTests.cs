using HorizonAI.Grains.Interfaces;
using HorizonAI.Grains.Storage;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace HorizonAI.Integration.Tests.Database;

/// <summary>The bots table on PostgreSQL: a bot is read back as written, field by field, and its number is taken once.</summary>
public sealed class BotStoreContractTests
{
    /// <summary>A time with microseconds and no finer, as PostgreSQL keeps it.</summary>
    private static readonly DateTimeOffset Created = new DateTimeOffset(2026, 11, 30, 8, 15, 30, TimeSpan.Zero).AddTicks(1230);

    [Fact]
    public async Task ABotIsReadBackWithEveryFieldAndItsNumberIsTakenOnce()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var bots = test.Services.GetRequiredService<IBotStore>();
        var bot = Configured("+15550000301");

        Assert.Equal(BotInsertOutcome.Inserted, await bots.InsertAsync(bot));
        Assert.Equal(BotInsertOutcome.IdTaken, await bots.InsertAsync(bot with { Name = "impostor", Enabled = true }));
        Assert.Equal(BotInsertOutcome.NumberTaken, await bots.InsertAsync(bot with { Id = BotIds.New(), Name = "impostor" }));
        Assert.Equivalent(bot, await bots.GetAsync(bot.PhoneNumber), strict: true);
        Assert.Null(await bots.GetAsync("+15550000399"));
    }

    [Fact]
    public async Task AnUpdateRewritesTheConfigurationButNotWhenTheBotWasCreated()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var bots = test.Services.GetRequiredService<IBotStore>();
        var bot = Configured("+15550000302");
        Assert.Equal(BotInsertOutcome.Inserted, await bots.InsertAsync(bot));

        // Every optional field cleared; an empty keyword list stays apart from none (none means the platform's words).
        var plain = new BotDefinition
        {
            Id = bot.Id,
            Name = "plain",
            PhoneNumber = bot.PhoneNumber,
            OptOutKeywords = [],
            CreatedAt = Created.AddDays(1),
            UpdatedAt = Created.AddDays(2),
        };
        Assert.Equal(BotUpdateOutcome.Updated, await bots.UpdateAsync(plain));
        Assert.Equivalent(plain with { CreatedAt = bot.CreatedAt }, await bots.GetAsync(bot.PhoneNumber), strict: true);

        Assert.Equal(BotUpdateOutcome.NotFound, await bots.UpdateAsync(plain with { PhoneNumber = "+15550000399" }));
        Assert.Null(await bots.GetAsync("+15550000399"));
    }

    [Fact]
    public async Task TheListHoldsEveryBotByNumberAndADeletedBotIsGone()
    {
        await using var test = await TestMessageStore.CreateAsync();
        var bots = test.Services.GetRequiredService<IBotStore>();
        foreach (var number in new[] { "+15550000312", "+15550000310", "+15550000311" })
        {
            Assert.Equal(BotInsertOutcome.Inserted, await bots.InsertAsync(new BotDefinition { Id = BotIds.New(), Name = "bot " + number, PhoneNumber = number }));
        }

        Assert.Equal(["+15550000310", "+15550000311", "+15550000312"], (await bots.ListAsync()).Select(b => b.PhoneNumber));
        Assert.NotNull(await bots.DeleteAsync("+15550000310"));
        Assert.Null(await bots.DeleteAsync("+15550000310"));
        Assert.Equal(["+15550000311", "+15550000312"], (await bots.ListAsync()).Select(b => b.PhoneNumber));
        Assert.Null(await bots.GetAsync("+15550000310"));
    }

    /// <summary>A bot with every field set, none to its default, so that a column written or read wrong shows.</summary>
    private static BotDefinition Configured(string number) => new()
    {
        Id = BotIds.New(),
        Name = "Farmacia Central",
        PhoneNumber = number,
        AssistantId = "pmpt_0123",
        Instructions = "Responde breve.",
        Model = "gpt-5-mini",
        Enabled = false,
        DebounceMs = 1500,
        FallbackMessage = "Ahora no puedo responder.",
        Metadata = new() { ["tier"] = "gold", ["region"] = "sur" },
        TypingIndicator = false,
        CreatedAt = Created,
        UpdatedAt = Created.AddMinutes(1),
        TranscriptionModel = "gpt-4o-mini-transcribe",
        UnreadableMediaMessage = "No pude leer el archivo.",
        OptOutKeywords = ["BASTA"],
        OptInKeywords = ["VOLVER", "ALTA"],
        OptOutMessage = "No le escribiremos más.",
        OptInMessage = "Bienvenido de vuelta.",
        HandoffKeywords = ["humano"],
        HandoffTool = true,
        HandoffMessage = "Le atiende una persona.",
        HandoffWebhookUrl = "https://example.com/handoff",
        HandoffWebhookSecret = "whsec_0123",
        AutoResumeMinutes = 45,
        ResetKeyword = "/reset",
        ResetMessage = "Empecemos de nuevo.",
        Templates = [new MessageTemplate("cita", "HX0123456789abcdef0123456789abcdef", "es", ["nombre", "hora"])],
        ReengagementTemplate = "cita",
        SendRatePerSecond = 20,
        RetentionDays = 90,
        Tools =
        [
            new FunctionTool
            {
                Name = "book_table",
                Description = "Reserva una mesa.",
                Parameters = """{"type":"object","properties":{"people":{"type":"integer"}},"required":["people"]}""",
                Url = "https://api.restaurant.example/horizon/book",
                TimeoutMs = 8000,
            },
            new FunctionTool { Name = "menu", Parameters = """{"type":"object"}""", Url = "http://booking.internal/menu" },
        ],
        ToolsSecret = "tools-secret-0123456789abcdef0123456789",
        McpServers =
        [
            new McpServer
            {
                Label = "inventory",
                Url = "https://mcp.farmacia.example/mcp",
                Headers = new() { ["Authorization"] = "Bearer mcp-token" },
                AllowedTools = ["stock_lookup"],
            },
            new McpServer { Label = "catalog", Url = "https://mcp.catalog.example/mcp" },
        ],
    };
}
