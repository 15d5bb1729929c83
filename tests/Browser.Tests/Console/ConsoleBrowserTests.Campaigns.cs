using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HorizonAI.Browser.Tests.Console;

/// <summary>The Campaigns view: progress, recipients with their status and reason, and cancel as each role allows.</summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task ACampaignsProgressAndRecipientsShowToAReadKeyAndAManageKeyCancelsIt()
    {
        const string name = "Aviso de diciembre";
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Avisos", new
        {
            templates = new object[] { new { name = "aviso", content_sid = "HX0123456789abcdef0123456789abcdef", language = "es", variables = Array.Empty<string>() } },
            send_rate_per_second = 2,
        });
        var optedOut = SystemFixture.NewUserNumber();
        await SimulateAsync(bot, optedOut, "STOP");
        await fixture.Cluster.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + optedOut), TimeSpan.FromSeconds(30), "the opt-out confirmation");

        // PostgreSQL refuses every message row for one user: that recipient fails each try and is failed after its last.
        var refused = SystemFixture.NewUserNumber();
        var guard = "refuse_" + refused.TrimStart('+');
        await fixture.Cluster.Database.ExecuteAsync($"""
            create function {guard}() returns trigger language plpgsql as 'begin raise exception ''no message rows for this user''; end';
            create trigger {guard} before insert on messages for each row when (new.user_number = '{refused}') execute function {guard}();
            """);
        try
        {
            var users = new[] { optedOut, refused }.Concat(Enumerable.Range(0, 200).Select(_ => SystemFixture.NewUserNumber()));
            var created = await fixture.Admin.PostAsJsonAsync($"/bots/{bot}/campaigns", new { name, template = "aviso", recipients = users.Select(u => new { to = u }) });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await Eventually.WaitAsync(() => fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns/{id}"),
                c => c.GetProperty("failed").GetInt32() == 1 && c.GetProperty("queued").GetInt32() >= 1, TimeSpan.FromSeconds(60), "the refused recipient failed");
            var (_, readKey) = await TestKeys.CreateAsync(fixture.Admin, "read", bot);
            var (_, manageKey) = await TestKeys.CreateAsync(fixture.Admin, "manage", bot);

            // A read key sees the campaign run, live, and each recipient's state, but is not offered cancel.
            await using var reader = await fixture.OpenAsync();
            await reader.SignInAsync(readKey);
            await reader.Page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
            var row = reader.Page.Locator($"#campaigns-table tr[data-id='{id}']");
            await Expect(row).ToHaveAttributeAsync("data-status", "running");
            await Expect(row).ToContainTextAsync(name);
            await Expect(row).ToContainTextAsync("1 failed · 1 skipped");
            await Expect(row.GetByRole(AriaRole.Progressbar, new() { Name = $"Progress of {name}" })).ToHaveAttributeAsync("max", "202");
            var progress = await row.Locator(".progress span").TextContentAsync();
            await Expect(row.Locator(".progress span")).Not.ToHaveTextAsync(progress!);
            await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Cancel campaign {name}" })).ToHaveCountAsync(0);
            await row.GetByRole(AriaRole.Button, new() { Name = $"Recipients of {name}" }).ClickAsync();
            var recipients = reader.Page.Locator("#campaign-recipients-table tbody tr");
            await Expect(reader.Page.Locator("#campaign-recipients-title")).ToHaveTextAsync($"Recipients of {name}");
            await Expect(recipients).ToHaveCountAsync(50);
            await Expect(reader.Page.Locator("#campaign-recipients-page")).ToHaveTextAsync("1–50 of 202");
            await Expect(recipients.Nth(0)).ToHaveAttributeAsync("data-status", "skipped");
            await Expect(recipients.Nth(0)).ToContainTextAsync("opted_out");
            await Expect(recipients.Nth(1)).ToHaveAttributeAsync("data-status", "failed");
            await Expect(recipients.Nth(1)).ToContainTextAsync("not queued after 5 attempts");
            await Expect(recipients.Nth(1)).ToContainTextAsync("no message rows for this user");
            await Expect(recipients.Nth(2)).ToHaveAttributeAsync("data-status", "queued");
            await reader.ScreenshotAsync("campaigns");

            // A manage key cancels it (after a confirmation); both consoles then show it canceled, and so does the API.
            await using var manager = await fixture.OpenAsync();
            await manager.SignInAsync(manageKey);
            await manager.Page.GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
            var managed = manager.Page.Locator($"#campaigns-table tr[data-id='{id}']");
            await managed.GetByRole(AriaRole.Button, new() { Name = $"Cancel campaign {name}" }).ClickAsync();
            await manager.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
            await Expect(managed).ToHaveAttributeAsync("data-status", "canceled");
            await Expect(managed.GetByRole(AriaRole.Button, new() { Name = $"Cancel campaign {name}" })).ToHaveCountAsync(0);
            await Expect(managed.GetByRole(AriaRole.Progressbar, new() { Name = $"Progress of {name}" })).Not.ToHaveAttributeAsync("value", "202");
            var canceled = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/campaigns/{id}");
            Assert.Equal(("canceled", 0), (canceled.GetProperty("status").GetString(), canceled.GetProperty("pending").GetInt32()));
            Assert.True(canceled.GetProperty("canceled").GetInt32() > 0);
            await managed.GetByRole(AriaRole.Button, new() { Name = $"Recipients of {name}" }).ClickAsync();
            await manager.Page.GetByRole(AriaRole.Button, new() { Name = "Next recipients" }).ClickAsync();
            await Expect(manager.Page.Locator("#campaign-recipients-page")).ToHaveTextAsync("51–100 of 202");
            await Expect(manager.Page.Locator("#campaign-recipients-table tbody tr[data-status='canceled']").First).ToContainTextAsync("canceled");
            await Expect(row).ToHaveAttributeAsync("data-status", "canceled");
            await manager.ScreenshotAsync("campaigns-canceled");
            AssertEveryRequestStayedOnTheGateway(manager);
        }
        finally
        {
            await fixture.Cluster.Database.ExecuteAsync($"drop trigger {guard} on messages; drop function {guard}();");
        }
    }
}
