using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using HorizonAI.Browser.Tests.Infrastructure;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HorizonAI.Browser.Tests.Console;

/// <summary>
/// The console at <c>/console/</c> in headless Chromium against real Silo and Gateway processes: sign-in, bots,
/// backups, the WhatsApp simulator through the signed webhook, transcripts, campaigns, usage and cluster health.
/// </summary>
public sealed partial class ConsoleBrowserTests(ConsoleFixture fixture) : IClassFixture<ConsoleFixture>
{
    [Fact]
    public async Task AWrongKeyIsRefusedAndTheRightOneOpensAnHttpOnlySession()
    {
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.GotoAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();

        await page.GetByLabel("Admin API key").FillAsync("not-the-admin-key-0000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("That is not a valid key.");
        await Expect(page.Locator("#nav")).ToBeHiddenAsync();
        Assert.Empty(await console.Context.CookiesAsync());
        Assert.Equal(401, await StatusOfAsync(page, "/bots"));
        await console.ScreenshotAsync("signin-refused");

        await console.SignInAsync();
        var cookie = Assert.Single(await console.Context.CookiesAsync());
        Assert.Equal("horizonai_admin", cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(TestSystem.AdminKey, cookie.Value, StringComparison.Ordinal);
        Assert.Equal("", await page.EvaluateAsync<string>("() => document.cookie"));
        Assert.Equal(200, await StatusOfAsync(page, "/bots"));

        // A reload keeps the session; signing out ends it.
        await page.ReloadAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("#signin-error")).ToHaveTextAsync("Signed out.");
        Assert.Equal(401, await StatusOfAsync(page, "/bots"));
        AssertEveryRequestStayedOnTheGateway(console);
    }

    [Fact]
    public async Task TheDashboardSendsABrowserToSignInAndBackAgain()
    {
        await using var console = await fixture.OpenAsync();
        var page = console.Page;

        // Each step has its own deadline and says which one did not happen: the redirect to sign in, the form, the
        // session, or the page that follows it. A slow machine gets a minute for each; none of them is a timing test.
        const float Minute = 60_000;
        await Step("the redirect to the sign-in page", () => page.GotoAsync(fixture.BaseUrl + "/dashboard", new() { Timeout = Minute }));
        Assert.Equal("/console/", new Uri(page.Url).AbsolutePath);
        await Step("the sign-in form", () => page.GetByLabel("Admin API key").FillAsync(TestSystem.AdminKey, new() { Timeout = Minute }));
        var session = await Step("the session", () => page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(new() { Timeout = Minute }),
            response => response.Url.EndsWith("/console/session", StringComparison.Ordinal), new() { Timeout = Minute }));
        Assert.Equal(204, session.Status);

        try
        {
            await page.WaitForURLAsync(DashboardUrl(), new() { WaitUntil = WaitUntilState.Commit, Timeout = Minute });
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"signed in, but the browser stayed on {page.Url} ({await page.Locator("#signin-error").TextContentAsync()})", ex);
        }

        Assert.Equal(200, await StatusOfAsync(page, new Uri(page.Url).PathAndQuery));
    }

    [Fact]
    public async Task AnImageAttachedInTheSimulatorReachesTheAssistantAndTheTranscriptShowsIt()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Tienda de regalos");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        await page.Locator("#nav [data-view=simulator]").ClickAsync();
        var simulator = page.Locator("#view-simulator");
        await simulator.GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        await simulator.GetByLabel("Your number (the WhatsApp user)").FillAsync(user);
        var png = SampleMedia.Png(12, 12);
        await page.Locator("#sim-file").SetInputFilesAsync(new FilePayload { Name = "regalo.png", MimeType = "image/png", Buffer = png });
        await Expect(page.Locator("#sim-file-name")).ToContainTextAsync("regalo.png");
        await simulator.GetByLabel("Message", new() { Exact = true }).FillAsync("¿tienen este?");
        await simulator.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();

        // The Gateway put the file on the Twilio stand-in; the Silo fetched it and gave it to the model as image data.
        var reply = page.Locator("#sim-log li.bubble.bot");
        await Expect(reply).ToHaveCountAsync(1);
        await Expect(reply).ToContainTextAsync($"[image image/png {png.Length} bytes png]");
        var sent = page.Locator("#sim-log li.bubble.user");
        await Expect(sent).ToContainTextAsync("¿tienen este?");
        await Expect(sent).ToContainTextAsync("Attachment: image/png");
        await console.ScreenshotAsync("simulator-image");
        Assert.Contains(fixture.Cluster.Upstreams.Media.Fetches, f => f.Stage == "cdn" && f.Status == 200 && !f.Authorized);
    }

    [Fact]
    public async Task AnOperatorWritesToAUserAsTheBotWithMediaFromTheTranscript()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Librería");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PostAsJsonAsync("/console/api/simulate", new { bot, user, text = "¿tienen el libro?" })).StatusCode);
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + user), TimeSpan.FromSeconds(30), "the bot's reply");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await page.Locator("#view-conversations").GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {user}" }).ClickAsync();
        var form = page.Locator("#operator-form");
        await form.GetByLabel("Media URL (optional: a public image, PDF or audio)").FillAsync("not a url");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send as operator" }).ClickAsync();
        await Expect(page.Locator("#operator-media-error")).ToContainTextAsync("media_url must be a public http(s) URL");
        await Expect(form.GetByLabel("Media URL (optional: a public image, PDF or audio)")).ToHaveAttributeAsync("aria-invalid", "true");

        await form.GetByLabel("Message").FillAsync("Sí, se lo reservo. Aquí la portada:");
        await form.GetByLabel("Media URL (optional: a public image, PDF or audio)").FillAsync("https://cdn.example.com/portada.jpg");
        await form.GetByLabel("Your name (shown in the transcript)").FillAsync("Ana");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send as operator" }).ClickAsync();

        await Expect(page.Locator("#operator-status")).ToContainTextAsync("Queued");
        var entries = page.Locator("#transcript li.entry");
        await Expect(entries).ToHaveCountAsync(3);
        await Expect(entries.Nth(2)).ToContainTextAsync("Operator: Ana");
        await Expect(entries.Nth(2)).ToContainTextAsync("Sí, se lo reservo. Aquí la portada:");
        await Expect(entries.Nth(2).Locator(".media-list")).ToContainTextAsync("portada.jpg");
        await fixture.Cluster.Upstreams.WaitUntilAsync(
            s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + user && m.From == "whatsapp:" + bot && m.MediaUrls.Contains("https://cdn.example.com/portada.jpg")),
            TimeSpan.FromSeconds(30), "the operator's message with its media");
        await console.ScreenshotAsync("operator-message");
    }

    [Fact]
    public async Task AnOperatorTakesOverAConversationSeesTheUsersMessagesLiveAnswersThemAndGivesItBack()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        var other = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Farmacia", new { handoff_keywords = new[] { "humano" } });
        await SimulateAsync(bot, user, "hola");
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Count(m => m.To == "whatsapp:" + user) == 1, TimeSpan.FromSeconds(30), "the bot's reply");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await page.Locator("#view-conversations").GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        var item = page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {user}" });
        await item.ClickAsync();
        await Expect(page.Locator("#conv-mode")).ToHaveTextAsync("The bot answers this conversation.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take over this conversation" }).ClickAsync();
        await Expect(page.Locator("#conv-mode")).ToContainTextAsync("A person has this conversation");
        await Expect(item.Locator(".chip.human")).ToHaveTextAsync("person");

        // Nothing is clicked from here to the operator's answer: the view follows what comes in.
        await SimulateAsync(bot, user, "¿me atiende alguien?");
        await Expect(item.Locator(".chip.unread")).ToHaveTextAsync("1 unread");
        var entries = page.Locator("#transcript li.entry");
        await Expect(entries).ToHaveCountAsync(3);
        await Expect(entries.Nth(2).Locator(".chip")).ToHaveTextAsync("held");
        await Expect(entries.Nth(2)).ToContainTextAsync("Not answered: a person has this conversation");
        await Expect(entries.Nth(2).Locator(".error")).ToHaveCountAsync(0);
        await SimulateAsync(bot, other, "humano");
        await Expect(page.Locator("#conv-list li").First.GetByRole(AriaRole.Button)).ToHaveAccessibleNameAsync($"Transcript of {other}"); // newest first
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {other}" }).Locator(".chip.human")).ToHaveTextAsync("person");
        await console.ScreenshotAsync("handoff-held");

        var form = page.Locator("#operator-form");
        await form.GetByLabel("Message").FillAsync("Hola, soy Ana de la farmacia.");
        await form.GetByLabel("Your name (shown in the transcript)").FillAsync("Ana");
        await form.GetByRole(AriaRole.Button, new() { Name = "Send as operator" }).ClickAsync();
        await Expect(entries.Nth(3)).ToContainTextAsync("Operator: Ana");
        await Expect(item.Locator(".chip.unread")).ToHaveCountAsync(0);
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + user && m.Body == "Hola, soy Ana de la farmacia."),
            TimeSpan.FromSeconds(30), "the operator's message");

        await page.GetByRole(AriaRole.Button, new() { Name = "Give this conversation back to the bot" }).ClickAsync();
        await Expect(page.Locator("#conv-mode")).ToHaveTextAsync("The bot answers this conversation.");
        await Expect(item.Locator(".chip")).ToHaveTextAsync("bot");
        var listed = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations");
        Assert.Equal("bot", listed.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("user_number").GetString() == user).GetProperty("mode").GetString());
        Assert.Equal(["hola", "Hola, soy Ana de la farmacia."], RepliesTo(user).Select(m => m.Body.Contains("you said: hola", StringComparison.Ordinal) ? "hola" : m.Body));

        // A stop keyword: the opted-out badge comes in live too.
        await SimulateAsync(bot, user, "STOP");
        await Expect(item.Locator(".chip.opted-out")).ToHaveTextAsync("opted out");
        await Expect(page.Locator("#conv-mode")).ToContainTextAsync("opted out");
        await console.ScreenshotAsync("handoff-opted-out");
    }

    [Fact]
    public async Task TwoClientsSignedInSideBySideEachSeeOnlyTheirOwnBotUsageTranscriptsAndAudit()
    {
        var pharmacy = SystemFixture.NewBotNumber();
        var restaurant = SystemFixture.NewBotNumber();
        var customer = SystemFixture.NewUserNumber();
        var diner = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, pharmacy, "Farmacia");
        await TestBots.CreateAsync(fixture.Admin, restaurant, "Restaurante");
        await SimulateAsync(pharmacy, customer, "¿tienen paracetamol?");
        await SimulateAsync(restaurant, diner, "mesa para dos");
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + customer) && s.TwilioMessages.Any(m => m.To == "whatsapp:" + diner),
            TimeSpan.FromSeconds(30), "both replies");
        var (_, pharmacyKey) = await TestKeys.CreateAsync(fixture.Admin, "operate", pharmacy);
        var (restaurantKeyId, restaurantKey) = await TestKeys.CreateAsync(fixture.Admin, "read", restaurant);

        await using var first = await fixture.OpenAsync();
        await using var second = await fixture.OpenAsync();
        await first.SignInAsync(pharmacyKey);
        await second.SignInAsync(restaurantKey);

        // Each sees its own bot and what its role allows; nothing of the agency's.
        foreach (var (console, mine, theirs) in new[] { (first, pharmacy, restaurant), (second, restaurant, pharmacy) })
        {
            var page = console.Page;
            await Expect(page.Locator("#bots-table tbody tr")).ToHaveCountAsync(1);
            await Expect(page.Locator($"#bots-table tr[data-number='{mine}']")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "New bot" })).ToBeHiddenAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cluster" })).ToBeHiddenAsync();
            Assert.DoesNotContain(theirs, await page.ContentAsync(), StringComparison.Ordinal);
        }

        await Expect(first.Page.Locator("#whoami")).ToHaveTextAsync("operate key · operate");
        await Expect(first.Page.GetByRole(AriaRole.Link, new() { Name = "Simulator" })).ToBeHiddenAsync(); // the agency's tool
        await Expect(second.Page.GetByRole(AriaRole.Link, new() { Name = "Simulator" })).ToBeHiddenAsync();
        await Expect(second.Page.GetByRole(AriaRole.Button, new() { Name = "Edit Bot " + restaurant })).ToHaveCountAsync(0);

        // Transcripts: the pharmacy may write and take over; the restaurant's read key only reads.
        await first.Page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await first.Page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {customer}" }).ClickAsync();
        await Expect(first.Page.Locator("#transcript li.entry").First).ToContainTextAsync("¿tienen paracetamol?");
        await Expect(first.Page.Locator("#operator-form")).ToBeVisibleAsync();
        await Expect(first.Page.GetByRole(AriaRole.Button, new() { Name = "Take over this conversation" })).ToBeVisibleAsync();
        await second.Page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await second.Page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {diner}" }).ClickAsync();
        await Expect(second.Page.Locator("#transcript li.entry").First).ToContainTextAsync("mesa para dos");
        await Expect(second.Page.Locator("#operator-form")).ToBeHiddenAsync();
        await Expect(second.Page.GetByRole(AriaRole.Button, new() { Name = "Take over this conversation" })).ToBeHiddenAsync();
        await Expect(second.Page.Locator("#conv-bot option")).ToHaveCountAsync(1);

        // Usage of its own bot, and an audit log with its own transcript read and nothing of the other client.
        await second.Page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(second.Page.Locator("#usage-inbound")).ToHaveTextAsync("1");
        await Expect(second.Page.Locator("#usage-chart svg")).ToBeVisibleAsync();
        await second.Page.GetByRole(AriaRole.Link, new() { Name = "Audit" }).ClickAsync();
        var rows = second.Page.Locator("#audit-table tbody tr");
        await Expect(rows.Filter(new() { HasText = restaurantKeyId })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = "GET /bots/{number}/conversations/{user}" }).First).ToContainTextAsync(restaurant);
        await Expect(rows.Filter(new() { HasText = pharmacy })).ToHaveCountAsync(0);
        await second.ScreenshotAsync("client-audit");
        await first.ScreenshotAsync("client-conversations");
        Assert.DoesNotContain(pharmacy, await second.Page.ContentAsync(), StringComparison.Ordinal);
    }

    private async Task SimulateAsync(string bot, string user, string text) =>
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PostAsJsonAsync("/console/api/simulate", new { bot, user, text })).StatusCode);

    private List<HorizonAI.Sandbox.SentMessage> RepliesTo(string user) => [.. fixture.Cluster.Upstreams.TwilioMessages.Where(m => m.To == "whatsapp:" + user)];

    [Fact]
    public async Task AnOperatorCreatesABotChatsWithItAndFindsTheSandboxReplyInTheTranscriptAndTheUsage()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        // A refused bot: the problem's errors appear next to their fields.
        await page.GetByRole(AriaRole.Button, new() { Name = "New bot" }).ClickAsync();
        await console.SubmitBotAsync("", "not a number", "Eres asistente");
        await Expect(page.Locator("#bot-name-error")).ToContainTextAsync("name is required");
        await Expect(page.Locator("#bot-number-error")).ToContainTextAsync("E.164");
        await Expect(page.GetByLabel("WhatsApp number (E.164)")).ToHaveAttributeAsync("aria-invalid", "true");
        await console.ScreenshotAsync("bot-form-errors");

        await console.SubmitBotAsync("Restaurante La Cocina", bot, "Eres asistente del restaurante La Cocina");
        var row = page.Locator($"#bots-table tr[data-number='{bot}']");
        await Expect(row).ToContainTextAsync("Restaurante La Cocina");
        await Expect(row).ToContainTextAsync("enabled");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.GetAsync($"/bots/{bot}")).StatusCode);
        await console.ScreenshotAsync("bots");

        // The simulator refuses a user number it cannot parse, next to the field.
        await row.GetByRole(AriaRole.Button, new() { Name = "Chat with Restaurante La Cocina" }).ClickAsync();
        var simulator = page.Locator("#view-simulator");
        await Expect(simulator.GetByLabel("Bot", new() { Exact = true })).ToHaveValueAsync(bot);
        await simulator.GetByLabel("Your number (the WhatsApp user)").FillAsync("not-a-phone");
        await simulator.GetByLabel("Message", new() { Exact = true }).FillAsync("hola");
        await simulator.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#sim-user-error")).ToContainTextAsync("user must be a phone number");

        // Chat as a WhatsApp user: the reply comes back through the pipeline and its status moves to delivered.
        await simulator.GetByLabel("Your number (the WhatsApp user)").FillAsync(user);
        await simulator.GetByLabel("Message", new() { Exact = true }).FillAsync("hola, ¿tienen mesa para dos?");
        await simulator.GetByLabel("Message", new() { Exact = true }).PressAsync("Enter");
        var reply = page.Locator("#sim-log li.bubble.bot");
        await Expect(reply).ToHaveCountAsync(1);
        await Expect(reply).ToContainTextAsync("[sandbox] Eres asistente del restaurante La Cocina");
        await Expect(reply).ToContainTextAsync("hola, ¿tienen mesa para dos?");
        await Expect(reply.Locator(".chip.sandbox")).ToBeVisibleAsync();
        await Expect(reply).ToHaveAttributeAsync("data-status", ReplyStatus());
        await Expect(reply.Locator(".chip[data-status]")).ToHaveTextAsync(ReplyStatus());

        // The bubble follows the transcript: once the stand-in's status callbacks are in (one that overtakes the
        // Silo's own record of the send is kept and applied with it), both say delivered.
        var replySid = await reply.GetAttributeAsync("data-sid");
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.StatusCallbacks.Count(c => c.MessageSid == replySid && c.ResponseStatusCode == 200) == 2, TimeSpan.FromSeconds(30), "the reply's status callbacks");
        await Eventually.TrueAsync(async () => (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}"))
            .GetProperty("items")[1].GetProperty("status").GetString() == "delivered", TimeSpan.FromSeconds(30), "the reply delivered in the transcript");
        await Expect(reply).ToHaveAttributeAsync("data-status", "delivered");
        var sent = page.Locator("#sim-log li.bubble.user");
        await Expect(sent).ToHaveCountAsync(1);
        await Expect(sent).ToHaveAttributeAsync("data-status", "answered");
        await Expect(page.Locator("#sim-user-error")).ToBeHiddenAsync();
        await console.ScreenshotAsync("simulator");

        // It took the real webhook path: signed, accepted, answered through the Twilio stand-in from the bot's number.
        Assert.True(fixture.Gateway.HasLine("console simulator posted"), fixture.Gateway.Output);
        Assert.Contains(fixture.Cluster.Upstreams.TwilioMessages, m => m.To == "whatsapp:" + user && m.From == "whatsapp:" + bot && m.Body.StartsWith("[sandbox]", StringComparison.Ordinal));

        // The transcript shows both messages with their status and Twilio SID.
        await page.GetByRole(AriaRole.Link, new() { Name = "Conversations" }).ClickAsync();
        await Expect(page.Locator("#view-conversations").GetByLabel("Bot", new() { Exact = true })).ToHaveValueAsync(bot);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Transcript of {user}" }).ClickAsync();
        var entries = page.Locator("#transcript li.entry");
        await Expect(entries).ToHaveCountAsync(2);
        await Expect(entries.Nth(0)).ToContainTextAsync("hola, ¿tienen mesa para dos?");
        await Expect(entries.Nth(0)).ToHaveAttributeAsync("data-status", "answered");
        await Expect(entries.Nth(1)).ToContainTextAsync("[sandbox]");
        await Expect(entries.Nth(1)).ToHaveAttributeAsync("data-status", ReplyStatus());
        await Expect(entries.Nth(1).Locator("code")).ToHaveTextAsync(SidPattern());
        await console.ScreenshotAsync("transcript");

        // Usage: today's bar, the cost line and the estimated cost.
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        await Expect(page.Locator("#usage-inbound")).ToHaveTextAsync("1");
        await Expect(page.Locator("#usage-outbound")).ToHaveTextAsync("1");
        await Expect(page.Locator("#usage-total-cost")).ToHaveTextAsync(CostPattern());
        Assert.NotEqual("$0.00", await page.Locator("#usage-total-cost").TextContentAsync());
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var todayBar = page.Locator($"#usage-chart svg g.day[data-day='{today}'] rect.in");
        await Expect(todayBar).ToHaveCountAsync(1);
        Assert.True(double.Parse((await todayBar.GetAttributeAsync("height"))!, CultureInfo.InvariantCulture) > 0);
        await Expect(page.Locator("#usage-chart svg g.day")).ToHaveCountAsync(30);
        await Expect(page.Locator("#usage-chart svg .cost-line polyline")).ToHaveCountAsync(1);
        await console.ScreenshotAsync("usage");

        // Cluster health at a glance, and the way to the Orleans Dashboard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cluster" }).ClickAsync();
        await Expect(page.Locator("#cluster-status")).ToHaveTextAsync("Healthy");
        await Expect(page.Locator("#cluster-checks")).ToContainTextAsync("database");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Orleans Dashboard" })).ToHaveAttributeAsync("href", "/dashboard");
        await console.ScreenshotAsync("cluster");

        AssertEveryRequestStayedOnTheGateway(console);
        Assert.Contains(console.Requests, url => url.EndsWith("/console/js/main.js", StringComparison.Ordinal));
        Assert.Contains(console.Requests, url => url.EndsWith("/console/js/bot-fields.js", StringComparison.Ordinal));
        Assert.Contains(console.Requests, url => url.EndsWith("/console/console.css", StringComparison.Ordinal));
        Assert.Contains(console.Requests, url => url.Contains("/console/api/simulate", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BackupsExportAndImportAndBotsCanBeEditedDisabledAndDeleted()
    {
        var kept = SystemFixture.NewBotNumber();
        var edited = SystemFixture.NewBotNumber();
        var imported = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, kept, "Farmacia");
        await TestBots.CreateAsync(fixture.Admin, edited, "Tienda", new { handoff_keywords = new[] { "humano" }, reset_keyword = "/reset" });
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        // Export: a download of GET /bots exactly as the API answers it.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Export backup" }).ClickAsync());
        Assert.StartsWith("horizonai-bots-", download.SuggestedFilename, StringComparison.Ordinal);
        var backup = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Equal(await fixture.Admin.GetStringAsync("/bots"), backup);

        // Import: one new bot, one update, one rejected with its reasons.
        var file = Path.Combine(Path.GetTempPath(), $"horizonai-import-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new object[]
        {
            new Dictionary<string, object> { ["name"] = "Importada", ["twilio_phone_number"] = imported },
            new Dictionary<string, object> { ["name"] = "Farmacia Salud", ["twilio_phone_number"] = kept, ["instructions"] = "Farmacia" },
            new Dictionary<string, object> { ["name"] = "", ["twilio_phone_number"] = "12" },
        }));
        try
        {
            // The page reads the file after the change event, so it must still exist until the summary is shown.
            await page.Locator("#bots-import-file").SetInputFilesAsync(file);
            await Expect(page.Locator("#import-created")).ToHaveTextAsync("1 created");
        }
        finally
        {
            File.Delete(file);
        }

        await Expect(page.Locator("#import-updated")).ToHaveTextAsync("1 updated");
        await Expect(page.Locator("#import-rejected")).ToHaveTextAsync("1 rejected");
        await Expect(page.Locator("#import-result")).ToContainTextAsync("name is required");
        await Expect(page.Locator($"#bots-table tr[data-number='{imported}']")).ToContainTextAsync("Importada");
        await Expect(page.Locator($"#bots-table tr[data-number='{kept}']")).ToContainTextAsync("Farmacia Salud");
        await console.ScreenshotAsync("bots-import");

        // Edit: the number stays, the name changes.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit Bot {edited}" }).ClickAsync();
        await Expect(page.GetByLabel("WhatsApp number (E.164)")).ToHaveValueAsync(edited);
        await Expect(page.GetByLabel("Instructions")).ToHaveValueAsync("Tienda");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Tienda Central");
        await page.GetByLabel("Metadata (one key=value per line)").FillAsync("cliente=Cliente C");

        // Templates: a JSON list, checked here and by the API, each problem beside the field.
        var templates = page.GetByLabel("Templates (approved WhatsApp templates, sent outside the 24-hour window; JSON)");
        await templates.FillAsync("not json");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(page.Locator("#bot-templates-error")).ToContainTextAsync("Write a JSON array of templates");
        await templates.FillAsync("""[{"name": "pedido_listo", "content_sid": "SM123", "language": "es", "variables": ["nombre"]}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(page.Locator("#bot-templates-error")).ToContainTextAsync("templates[0].content_sid");
        await templates.FillAsync("""[{"name": "pedido_listo", "content_sid": "HX0123456789abcdef0123456789abcdef", "language": "es", "variables": ["nombre"]}]""");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        var row = page.Locator($"#bots-table tr[data-number='{edited}']");
        await Expect(row).ToContainTextAsync("Tienda Central");
        var saved = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{edited}");
        Assert.Equal("Tienda Central", saved.GetProperty("name").GetString());
        Assert.Equal("Tienda", saved.GetProperty("instructions").GetString());
        Assert.Equal("Cliente C", saved.GetProperty("metadata").GetProperty("cliente").GetString());
        Assert.Equal("humano", saved.GetProperty("handoff_keywords")[0].GetString()); // settings the form does not show are kept
        Assert.Equal("/reset", saved.GetProperty("reset_keyword").GetString());
        Assert.Equal("HX0123456789abcdef0123456789abcdef", saved.GetProperty("templates")[0].GetProperty("content_sid").GetString());

        // Disable, then delete (with a confirmation that can also purge conversations).
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable Tienda Central" }).ClickAsync();
        await Expect(row).ToContainTextAsync("disabled");
        Assert.False((await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{edited}")).GetProperty("enabled").GetBoolean());

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete Tienda Central" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Delete Tienda Central?");
        await console.ScreenshotAsync("bot-delete-confirm");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(row).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Delete Tienda Central" }).ClickAsync();
        await dialog.GetByLabel("Also erase its conversations").CheckAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Admin.GetAsync($"/bots/{edited}")).StatusCode);
        AssertEveryRequestStayedOnTheGateway(console);
    }

    [Fact]
    public async Task ASaveOverAnotherEditIsRefusedAndTheFormSaysToReloadTheBot()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, number, "Panadería");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();

        // The form is open when someone else changes the bot through the API.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit Bot {number}" }).ClickAsync();
        await Expect(page.GetByLabel("WhatsApp number (E.164)")).ToHaveValueAsync(number);
        var other = await fixture.Admin.GetFromJsonAsync<Dictionary<string, JsonElement>>($"/bots/{number}");
        other!["instructions"] = JsonSerializer.SerializeToElement("Panadería: abrimos a las 7");
        other.Remove("created_at");
        other.Remove("updated_at");
        Assert.Equal(HttpStatusCode.OK, (await fixture.Admin.PutAsJsonAsync($"/bots/{number}", other)).StatusCode);

        // This save would undo that change: it is refused, and the form says why and offers the bot as it is now.
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Panadería Sol");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(page.Locator("#bot-form-error")).ToContainTextAsync("changed since you opened it");
        await console.ScreenshotAsync("bot-changed-meanwhile");
        Assert.Equal("Panadería: abrimos a las 7", (await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}")).GetProperty("instructions").GetString());

        await page.GetByRole(AriaRole.Button, new() { Name = "Reload the bot" }).ClickAsync();
        await Expect(page.GetByLabel("Instructions")).ToHaveValueAsync("Panadería: abrimos a las 7");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Panadería Sol");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(page.Locator($"#bots-table tr[data-number='{number}']")).ToContainTextAsync("Panadería Sol");
        var saved = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        Assert.Equal(("Panadería Sol", "Panadería: abrimos a las 7"), (saved.GetProperty("name").GetString(), saved.GetProperty("instructions").GetString()));
        AssertEveryRequestStayedOnTheGateway(console);
    }

    [Fact]
    public async Task TheBotFormOffersEveryFieldOfTheBotJsonSavesItBackUnchangedAndLetsAManageKeyChangeOnlyWhatItMay()
    {
        var number = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, number, "Eres asistente del consultorio.\n  Responde breve.", new
        {
            model = "gpt-5-mini",
            assistant_id = "pmpt_consultorio1",
            debounce_ms = 1500,
            typing_indicator = false,
            fallback_message = "Lo siento.\nIntenta de nuevo.",
            metadata = new Dictionary<string, string> { ["cliente"] = "Cliente D", ["plan"] = "pro" },
            transcription_model = "gpt-4o-mini-transcribe",
            unreadable_media_message = "No puedo abrir ese archivo.",
            opt_out_keywords = new[] { "BAJA", "PARAR" },
            opt_in_keywords = new[] { "ALTA" },
            opt_out_message = "Ya no te escribiremos.",
            opt_in_message = "Bienvenido de vuelta.",
            handoff_keywords = new[] { "humano", "persona" },
            handoff_tool = true,
            handoff_message = "Te comunico con una persona.",
            handoff_webhook_url = "https://hooks.example.com/handoff",
            handoff_webhook_secret = "un-secreto-de-prueba-largo",
            auto_resume_minutes = 45,
            reset_keyword = "/reset",
            reset_message = "Empecemos de nuevo.",
            templates = new object[]
            {
                new { name = "retomar", content_sid = "HX0123456789abcdef0123456789abcdef", language = "es", variables = Array.Empty<string>() },
                new { name = "cita", content_sid = "HXfedcba9876543210fedcba9876543210", language = "es", variables = new[] { "nombre", "hora" } },
            },
            reengagement_template = "retomar",
            send_rate_per_second = 5,
            retention_days = 30,
            knowledge_language = "spanish",
            vector_store_ids = new[] { "vs_consultorio_1", "vs_consultorio_2" },
            tools = new object[]
            {
                new
                {
                    name = "agendar_cita",
                    description = "Agenda una cita. Pregunta el día y la hora primero.",
                    parameters = new { type = "object", properties = new { dia = new { type = "string" }, hora = new { type = "string" } }, required = new[] { "dia", "hora" } },
                    url = "https://api.consultorio.example/horizon/citas",
                    timeout_ms = 8000,
                },
            },
            tools_secret = "un-secreto-de-herramientas-de-32-caracteres",
            mcp_servers = new object[]
            {
                new { label = "agenda", url = "https://mcp.consultorio.example/mcp", headers = new Dictionary<string, string> { ["Authorization"] = "Bearer mcp-prueba" }, allowed_tools = new[] { "buscar_hora" } },
            },
        });
        var before = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Edit Bot {number}" }).ClickAsync();

        // One input per field of the server's bot JSON: only what the server sets itself is not offered.
        var offered = await page.Locator("#bot-form [data-json]").EvaluateAllAsync<string[]>("inputs => inputs.map(input => input.dataset.json)");
        string[] serverSet = ["created_at", "updated_at", "warnings"];
        Assert.Equal(before.EnumerateObject().Select(p => p.Name).Except(serverSet).Order(), offered.Order());

        // The id is the bot's own: shown, never editable.
        var id = page.GetByLabel("Id (set by the server)");
        await Expect(id).ToHaveValueAsync(before.GetProperty("id").GetString()!);
        await Expect(id).ToHaveAttributeAsync("readonly", "");
        await Expect(page.GetByLabel("Handoff webhook URL (empty: none)")).ToHaveValueAsync("https://hooks.example.com/handoff");
        await console.ScreenshotAsync("bot-form-every-field");

        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToHaveTextAsync($"Bot {number} was saved.");
        var after = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        foreach (var field in before.EnumerateObject().Where(p => p.Name != "updated_at"))
        {
            Assert.True(JsonElement.DeepEquals(field.Value, after.GetProperty(field.Name)), $"{field.Name} was {field.Value}, is {after.GetProperty(field.Name)}");
        }

        // A new bot's form has no id to show.
        await page.GetByRole(AriaRole.Button, new() { Name = "New bot" }).ClickAsync();
        await Expect(id).ToBeHiddenAsync();
        AssertEveryRequestStayedOnTheGateway(console);

        // A client's manage key changes the assistant's settings; enabled and metadata stay the agency's, and go back as they were.
        var (_, manageKey) = await TestKeys.CreateAsync(fixture.Admin, "manage", number);
        await using var client = await fixture.OpenAsync();
        await client.SignInAsync(manageKey);
        await client.Page.GetByRole(AriaRole.Button, new() { Name = $"Edit Bot {number}" }).ClickAsync();
        await Expect(client.Page.GetByLabel("Enabled (answers messages)")).ToBeDisabledAsync();
        await Expect(client.Page.GetByLabel("Metadata (one key=value per line)")).ToBeDisabledAsync();
        await Expect(client.Page.GetByLabel("Other OpenAI vector stores it searches, comma-separated (empty: none)")).ToBeDisabledAsync();
        await Expect(client.Page.GetByLabel("Language of its documents (a PostgreSQL text search configuration; empty: simple)")).ToBeEditableAsync();
        await Expect(client.Page.GetByLabel("Handoff webhook secret (16 to 200 characters)")).ToBeEditableAsync();
        await Expect(client.Page.GetByLabel("Tools secret (32 to 200 characters; required with tools)")).ToBeEditableAsync();
        await client.Page.GetByLabel("Reset keyword (empty: none)").FillAsync("/nuevo");
        await client.Page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
        await Expect(client.Page.Locator("#toast")).ToHaveTextAsync($"Bot {number} was saved.");
        var changed = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{number}");
        Assert.Equal("/nuevo", changed.GetProperty("reset_keyword").GetString());
        Assert.Equal("Cliente D", changed.GetProperty("metadata").GetProperty("cliente").GetString());
        Assert.Equal(2, changed.GetProperty("vector_store_ids").GetArrayLength());
        Assert.Equal(before.GetProperty("id").GetString(), changed.GetProperty("id").GetString());
    }

    [Fact]
    public async Task TheConsoleFitsAPhoneScreen()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Eres asistente de la tienda");
        await using var console = await fixture.OpenAsync(390, 844);
        var page = console.Page;
        await console.SignInAsync();
        await console.ScreenshotAsync("phone-bots");
        await AssertNoSidewaysScrollingAsync(page, "bots");

        await page.GetByRole(AriaRole.Button, new() { Name = $"Chat with Bot {bot}" }).ClickAsync();
        var simulator = page.Locator("#view-simulator");
        await simulator.GetByLabel("Your number (the WhatsApp user)").FillAsync(user);
        await simulator.GetByLabel("Message", new() { Exact = true }).FillAsync("hola desde el teléfono");
        await simulator.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        await Expect(page.Locator("#sim-log li.bubble.bot")).ToContainTextAsync("[sandbox]");
        await Expect(page.Locator("#sim-log li.bubble.bot")).ToHaveAttributeAsync("data-status", ReplyStatus());
        await page.Locator("#sim-log li.bubble.bot").ScrollIntoViewIfNeededAsync();
        var bubble = await page.Locator("#sim-log li.bubble.bot").BoundingBoxAsync();
        Assert.True(bubble is not null && bubble.X >= 0 && bubble.X + bubble.Width <= 390, $"the reply is outside the screen: {bubble?.X} + {bubble?.Width}");
        await console.ScreenshotAsync("phone-simulator", fullPage: false);
        await AssertNoSidewaysScrollingAsync(page, "simulator");

        foreach (var view in new[] { "Conversations", "Campaigns", "Usage", "Cluster" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = view }).ClickAsync();
            await Expect(page.Locator($"#{view.ToLowerInvariant()}-title")).ToBeVisibleAsync();
            if (view == "Usage")
            {
                await Expect(page.Locator("#usage-chart svg")).ToBeVisibleAsync();
                await console.ScreenshotAsync("phone-usage");
            }

            await AssertNoSidewaysScrollingAsync(page, view);
        }

        AssertEveryRequestStayedOnTheGateway(console);
    }

    [Fact]
    public async Task EveryInputAndButtonIsLabelled()
    {
        await TestBots.CreateAsync(fixture.Admin, SystemFixture.NewBotNumber(), "Etiquetas");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.GotoAsync();
        await Expect(page.GetByLabel("Admin API key")).ToBeVisibleAsync();
        await console.SignInAsync();

        // Visit every view so that the controls built at run time exist too.
        foreach (var view in new[] { "Simulator", "Conversations", "Campaigns", "Usage", "Cluster", "Bots" })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = view }).ClickAsync();
            await Expect(page.Locator($"#{view.ToLowerInvariant()}-title")).ToBeVisibleAsync();
        }

        await Expect(page.Locator("#bots-table tbody tr").First).ToBeVisibleAsync();
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input, select, textarea, button')]
              .filter(element => {
                const aria = (element.getAttribute('aria-label') || '').trim();
                const labels = element.labels ? [...element.labels].map(label => label.textContent.trim()).join(' ') : '';
                return element.tagName === 'BUTTON' ? !aria : !(aria || labels);
              })
              .map(element => element.outerHTML.slice(0, 160))
            """);
        Assert.True(unlabelled.Length == 0, "Unlabelled controls:\n" + string.Join('\n', unlabelled));
        Assert.True(await page.Locator("button").CountAsync() > 20);
    }

    private static async Task<T> Step<T>(string what, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{what} did not happen: {ex.Message}", ex);
        }
    }

    private static async Task Step(string what, Func<Task> action) => await Step(what, async () =>
    {
        await action();
        return true;
    });

    private static async Task<int> StatusOfAsync(IPage page, string path) =>
        await page.EvaluateAsync<int>("async path => (await fetch(path, { headers: { Accept: 'application/json' } })).status", path);

    private static async Task AssertNoSidewaysScrollingAsync(IPage page, string view)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        Assert.True(widths[0] <= widths[1], $"The {view} view is {widths[0]} px wide on a {widths[1]} px screen");
    }

    /// <summary>Every asset and call is served by the Gateway itself: nothing from a CDN or any other host.</summary>
    private void AssertEveryRequestStayedOnTheGateway(ConsolePage console)
    {
        Assert.NotEmpty(console.Requests);
        var elsewhere = console.Requests
            .Where(url => !url.StartsWith(fixture.BaseUrl + "/", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:" + fixture.BaseUrl, StringComparison.Ordinal))
            .ToList();
        Assert.True(elsewhere.Count == 0, "Requests that left the Gateway:\n" + string.Join('\n', elsewhere));
    }

    [GeneratedRegex("^SM[0-9a-f]{32}$")]
    private static partial Regex SidPattern();

    /// <summary>
    /// A reply's Twilio status as the transcript has it at a given moment: <c>queued</c> until the stand-in's signed
    /// status callbacks arrive, then <c>sent</c> and <c>delivered</c>.
    /// </summary>
    [GeneratedRegex("^(queued|sent|delivered)$")]
    private static partial Regex ReplyStatus();

    [GeneratedRegex("/dashboard/?$")]
    private static partial Regex DashboardUrl();

    [GeneratedRegex(@"^\$\d+\.\d{2,4}$")]
    private static partial Regex CostPattern();
}
