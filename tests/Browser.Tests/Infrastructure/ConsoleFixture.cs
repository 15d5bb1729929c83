using System.Globalization;
using System.Net.Http.Headers;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace HorizonAI.Browser.Tests.Infrastructure;

/// <summary>
/// The product as an operator runs it: real Silo and Gateway processes (Kestrel on a loopback port, so a browser can
/// reach it) on a fresh test database, the sandbox stand-ins for Twilio and OpenAI, and Debian's headless Chromium
/// driven by Playwright. <c>PUBLIC_BASE_URL</c> is the Gateway's own URL and the stand-in posts signed status
/// callbacks, so replies move through queued, sent and delivered as they would with Twilio.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly List<ProductProcess> _processes = [];

    public ProcessCluster Cluster { get; private set; } = null!;

    public ProductProcess Gateway { get; private set; } = null!;

    /// <summary>The Gateway's origin, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>An HTTP client for the Gateway carrying the admin key, to arrange and check what the browser did.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/ensure-chromium.sh (apt-get install chromium) first.");
        }

        Cluster = await ProcessCluster.StartAsync();
        Cluster.Upstreams.SendStatusCallbacks = true;

        var port = ProductProcess.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";

        var silo = Cluster.Settings(ProductProcess.FreePort());
        silo["ORLEANS_SILO_PORT"] = ProductProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        silo["ORLEANS_GATEWAY_PORT"] = ProductProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        silo["PUBLIC_BASE_URL"] = BaseUrl;
        _processes.Add(ProductProcess.Start("Silo", "silo", silo));

        var gateway = Cluster.Settings(port);
        gateway["PUBLIC_BASE_URL"] = BaseUrl;
        Gateway = ProductProcess.Start("Gateway", "gateway", gateway);
        _processes.Add(Gateway);

        Admin = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(40) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestSystem.AdminKey);
        await Cluster.WaitUntilReadyAsync(Admin, TimeSpan.FromSeconds(120), Gateway);

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Playwright's own browser download is not available here: always Debian's Chromium.
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Assertions.SetDefaultExpectTimeout(20_000);
        await WarmUpAsync();
    }

    /// <summary>
    /// Loads the console once before any test, so that a cold browser and a cold Gateway (first static files, first
    /// JIT) cost the fixture, not whichever test the runner happens to put first under its 20-second step deadline.
    /// </summary>
    private async Task WarmUpAsync()
    {
        await using var console = await OpenAsync();
        await console.Page.GotoAsync(BaseUrl + "/console/", new() { Timeout = 120_000 });
        await console.Page.Locator("#signin-key").WaitForAsync(new() { Timeout = 120_000 });
    }

    /// <summary>A fresh browser profile (no cookies) at the given viewport, recording every request the page makes.</summary>
    public async Task<ConsolePage> OpenAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        return new ConsolePage(this, context, page);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        Admin?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}
