using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HorizonAI.Browser.Tests.Console;

/// <summary>The Knowledge view: a file uploaded, listed with its status, previewed and deleted; a read key only sees.</summary>
public sealed partial class ConsoleBrowserTests
{
    [Fact]
    public async Task AnUploadedDocumentIsListedPreviewedAndDeletedAndAReadKeyOnlySeesIt()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(fixture.Admin, bot, "Eres la panadería.");
        await using var console = await fixture.OpenAsync();
        var page = console.Page;
        await console.SignInAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Knowledge" }).ClickAsync();
        var view = page.Locator("#view-knowledge");
        await view.GetByLabel("Bot", new() { Exact = true }).SelectOptionAsync(bot);
        await Expect(page.Locator("#knowledge-empty")).ToBeVisibleAsync();

        var text = "Horario de la panadería\n\nAbrimos de lunes a sábado de 7:00 a 14:00. Pan de masa madre los viernes.";
        await page.Locator("#knowledge-file").SetInputFilesAsync(new FilePayload { Name = "horario.md", MimeType = "text/markdown", Buffer = System.Text.Encoding.UTF8.GetBytes(text) });
        await view.GetByLabel("Title (empty: the file's name)").FillAsync("Horario");
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Horario was added");
        var row = page.Locator("#knowledge-table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Horario");
        await Expect(row).ToContainTextAsync("horario.md");
        Assert.Contains(await row.GetAttributeAsync("data-status"), new[] { "processing", "ready" });

        await row.GetByRole(AriaRole.Button, new() { Name = "Preview Horario" }).ClickAsync();
        await Expect(page.Locator("#knowledge-preview-text")).ToContainTextAsync("Pan de masa madre los viernes.");

        // A file of a type not taken is refused with the types that are, beside the file.
        await page.Locator("#knowledge-file").SetInputFilesAsync(new FilePayload { Name = "foto.png", MimeType = "image/png", Buffer = [0x89, 0x50, 0x4E, 0x47] });
        await page.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        await Expect(page.Locator("#knowledge-file-error")).ToContainTextAsync(".docx");
        await console.ScreenshotAsync("knowledge");

        // A read key sees the document and its preview, and is offered no upload and no delete.
        var (_, readKey) = await TestKeys.CreateAsync(fixture.Admin, "read", bot);
        await using (var reader = await fixture.OpenAsync())
        {
            await reader.SignInAsync(readKey);
            await reader.Page.GetByRole(AriaRole.Link, new() { Name = "Knowledge" }).ClickAsync();
            var readerRow = reader.Page.Locator("#knowledge-table tbody tr");
            await Expect(readerRow).ToContainTextAsync("Horario");
            await Expect(reader.Page.Locator("#knowledge-add")).ToBeHiddenAsync();
            await Expect(readerRow.GetByRole(AriaRole.Button, new() { Name = "Delete Horario" })).ToHaveCountAsync(0);
            await readerRow.GetByRole(AriaRole.Button, new() { Name = "Preview Horario" }).ClickAsync();
            await Expect(reader.Page.Locator("#knowledge-preview-text")).ToContainTextAsync("masa madre");
        }

        await row.GetByRole(AriaRole.Button, new() { Name = "Delete Horario" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Horario was deleted");
        await Expect(row).ToHaveCountAsync(0);
        await Expect(page.Locator("#knowledge-empty")).ToBeVisibleAsync();
        var list = await fixture.Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/knowledge");
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        AssertEveryRequestStayedOnTheGateway(console);
    }
}
