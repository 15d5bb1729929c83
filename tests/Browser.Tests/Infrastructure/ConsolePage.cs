using System.Collections.Concurrent;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace HorizonAI.Browser.Tests.Infrastructure;

/// <summary>One browser tab on the console, with the steps an operator takes and every request the page made.</summary>
public sealed class ConsolePage(ConsoleFixture fixture, IBrowserContext context, IPage page) : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = Track(page);

    public IPage Page => page;

    public IBrowserContext Context => context;

    /// <summary>Every URL the page requested (documents, scripts, styles, images, fetches), in order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    private static ConcurrentQueue<string> Track(IPage page)
    {
        var requests = new ConcurrentQueue<string>();
        page.Request += (_, request) => requests.Enqueue(request.Url);
        return requests;
    }

    public async Task GotoAsync(string path = "/console/") => await page.GotoAsync(fixture.BaseUrl + path);

    public async Task SignInAsync(string key = TestSystem.AdminKey)
    {
        await page.GotoAsync(fixture.BaseUrl + "/console/");
        await page.GetByLabel("Admin API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#nav")).ToBeVisibleAsync();
        await Expect(page.Locator("#bots-title")).ToBeVisibleAsync();
    }

    /// <summary>Fills the bot form and saves it; the caller checks the outcome.</summary>
    public async Task SubmitBotAsync(string name, string number, string instructions)
    {
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("WhatsApp number (E.164)").FillAsync(number);
        await page.GetByLabel("Instructions").FillAsync(instructions);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save bot" }).ClickAsync();
    }

    public async Task CreateBotAsync(string name, string number, string instructions)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "New bot" }).ClickAsync();
        await SubmitBotAsync(name, number, instructions);
        await Expect(page.Locator($"#bots-table tr[data-number='{number}']")).ToBeVisibleAsync();
    }

    /// <summary>Saves a screenshot (the whole page, or what the screen shows) under artifacts/screenshots/ at the repository root.</summary>
    public async Task<string> ScreenshotAsync(string name, bool fullPage = true)
    {
        var path = Path.Combine(Artifacts.ScreenshotsDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        return path;
    }

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
