using System.Text.RegularExpressions;
using HorizonAI.Integration.Tests.Infrastructure;
using HorizonAI.Sandbox;
using HorizonAI.Sandbox.Business;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HorizonAI.Browser.Tests.Console;

/// <summary>A booking made through a bot's tools, seen in the simulator and in the conversation view.</summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task ABookingMadeThroughTheBotsToolsShowsInTheConversationViewWithWhatItWasGivenAndAnswered()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        var restaurant = fixture.Cluster.Sandbox.BaseUrl() + SandboxBusiness.RestaurantPath;
        await TestBots.CreateAsync(fixture.Admin, bot, "Reservas de La Cocina", new
        {
            tools = new object[]
            {
                new
                {
                    name = "book_table",
                    description = "Books a table.",
                    parameters = new { type = "object", properties = new { people = new { type = "integer" }, time = new { type = "string" } }, required = new[] { "people", "time" } },
                    url = restaurant + "/book_table",
                },
            },
            tools_secret = SandboxBusiness.ToolsSecret,
        });
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        // The sandbox's model books when a user asks to reserve and book_table is offered.
        await page.Locator("#nav [data-view=simulator]").ClickAsync();
        var simulator = page.Locator("#view-simulator");
        await simulator.GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        await simulator.GetByLabel("Your number (the WhatsApp user)").FillAsync(user);
        await simulator.GetByLabel("Message", new() { Exact = true }).FillAsync("Quiero reservar para 3 a las 21:00");
        await simulator.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        var reply = page.Locator("#sim-log li.bubble.bot");
        await Expect(reply).ToHaveCountAsync(1);
        await Expect(reply).ToContainTextAsync("book_table → {\"booking_id\":\"BK-");
        var booking = Assert.Single(fixture.Cluster.Upstreams.Business.Bookings, b => b.People == 3 && b.Time == "21:00");
        await Expect(page.Locator("#sim-log li.chat-tool")).ToHaveTextAsync(new Regex(@"^Tool book_table: ok, \d+ ms$"));

        // The conversation view lists the call between the user's message and the reply, with its arguments and output.
        await page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await page.Locator("#view-conversations").GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {user}" }).ClickAsync();
        var entries = page.Locator("#transcript li.entry");
        await Expect(entries).ToHaveCountAsync(3);
        var call = entries.Nth(1);
        await Expect(call).ToHaveClassAsync(new Regex(@"\btool\b"));
        await Expect(call).ToContainTextAsync("Tool: book_table");
        await Expect(call).ToHaveAttributeAsync("data-status", "ok");
        await Expect(call).ToContainTextAsync(" ms");
        await call.GetByText("Arguments and output").ClickAsync();
        await Expect(call.Locator("pre")).ToContainTextAsync(booking.BookingId);
        await Expect(call.Locator("pre")).ToContainTextAsync("\"people\":3");
        await Expect(page.Locator("#transcript-page")).ToHaveTextAsync("1–2 of 2");
        await console.ScreenshotAsync("transcript-tool-call");
    }
}
