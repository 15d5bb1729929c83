using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HorizonAI.Gateway.Console;
using HorizonAI.Integration.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace HorizonAI.Integration.Tests.Console;

/// <summary>
/// The console's simulator endpoint and files, in process: the simulator's post to the Gateway's own webhook goes
/// through the test server's handler instead of a socket.
/// </summary>
public sealed partial class ConsoleApiTests(ConsoleGatewayFixture fixture) : IClassFixture<ConsoleGatewayFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private HttpClient Admin => fixture.Admin;

    [Fact]
    public async Task ASimulatedMessageTakesTheSignedWebhookAndIsAnsweredFromTheBotsNumber()
    {
        var bot = SystemFixture.NewBotNumber();
        var user = SystemFixture.NewUserNumber();
        await TestBots.CreateAsync(Admin, bot, "Simulador");

        var response = await Admin.PostAsJsonAsync("/console/api/simulate", new { bot = bot.TrimStart('+'), user = "whatsapp:" + user, text = "hola" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(200, result.GetProperty("webhook_status").GetInt32());
        Assert.Equal(bot, result.GetProperty("bot").GetString());
        Assert.Equal(user, result.GetProperty("user").GetString());
        var sid = result.GetProperty("message_sid").GetString()!;
        Assert.Matches(SidPattern(), sid);

        await fixture.System.Upstreams.WaitUntilAsync(s => s.TwilioMessages.Any(m => m.To == "whatsapp:" + user), Patience, "the reply");
        var reply = fixture.System.Upstreams.TwilioMessages.Single(m => m.To == "whatsapp:" + user);
        Assert.Equal("whatsapp:" + bot, reply.From);
        Assert.StartsWith("[sandbox] Simulador", reply.Body, StringComparison.Ordinal);

        var transcript = await Eventually.WaitAsync(
            () => Admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}"),
            t => t.GetProperty("total").GetInt32() == 2, Patience, "the transcript");
        var inbound = transcript.GetProperty("items")[0];
        Assert.Equal(sid, inbound.GetProperty("twilio_sid").GetString());
        Assert.Equal("hola", inbound.GetProperty("text").GetString());
    }

    [Fact]
    public async Task WithPublicBaseUrlTheSimulatorSignsTheUrlTheValidatorRebuilds()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, bot, "Detrás de un proxy");
        await using var behindProxy = ConsoleGatewayFixture.WithSelfClient(fixture.System.Gateway.WithWebHostBuilder(web => web.UseSetting("PUBLIC_BASE_URL", "https://whatsapp.example.com/")));
        using var admin = ConsoleGatewayFixture.CreateAdminClient(behindProxy);

        var result = await (await admin.PostAsJsonAsync("/console/api/simulate", new { bot, user = SystemFixture.NewUserNumber(), text = "hola" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(200, result.GetProperty("webhook_status").GetInt32());
    }

    [Fact]
    public async Task ANumberNoBotHasIsReportedWithTheWebhooksAnswer()
    {
        var response = await Admin.PostAsJsonAsync("/console/api/simulate", new { bot = SystemFixture.NewBotNumber(), user = SystemFixture.NewUserNumber(), text = "hola" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(404, result.GetProperty("webhook_status").GetInt32());
        Assert.Contains("No bot has the number", result.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"user":"+56912345678","text":"hola"}""", "bot")]
    [InlineData("""{"bot":"+15551234567","user":"nobody","text":"hola"}""", "user")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","text":"   "}""", "text")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","text":"hola","media":"x"}""", "media")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","media":{"content_type":"image/png","data":"not base64!"}}""", "media.data")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","media":{"content_type":"","data":"iVBORw0KGgo="}}""", "media.content_type")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","media":{"content_type":"image/png","data":""}}""", "media.data")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","media":{"content_type":"image/png x","data":"iVBORw0KGgo="}}""", "media.content_type")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","media":{"content_type":"image/","data":"iVBORw0KGgo="}}""", "media.content_type")]
    [InlineData("""{"bot":"+15551234567","user":"+56912345678","text":1}""", "text")]
    [InlineData("""{"bot":""", "body")]
    public async Task InvalidSimulationsAreRefusedWithAProblemNamingTheField(string json, string field)
    {
        var response = await Admin.PostAsync("/console/api/simulate", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors did not name {field}: {problem}");
    }

    [Fact]
    public async Task TooLongATextIsRefused()
    {
        var response = await Admin.PostAsJsonAsync("/console/api/simulate", new { bot = "+15551234567", user = "+56912345678", text = new string('a', SimulatorEndpoints.MaxTextLength + 1) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("text", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task TheSimulatorNeedsTheAdminKeyOrTheConsoleSession()
    {
        var bot = SystemFixture.NewBotNumber();
        await TestBots.CreateAsync(Admin, bot, "Sesión");
        var body = new { bot, user = SystemFixture.NewUserNumber(), text = "hola" };
        using var browser = fixture.Gateway.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/console/api/simulate", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "not-the-key-0000000000" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/console/session")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = TestSystem.AdminKey }))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.GetAsync("/console/session")).StatusCode);
        var simulated = await browser.PostAsJsonAsync("/console/api/simulate", body);
        Assert.Equal(HttpStatusCode.OK, simulated.StatusCode);
        Assert.Equal(200, (await simulated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("webhook_status").GetInt32());

        Assert.Equal(HttpStatusCode.NoContent, (await browser.DeleteAsync("/console/session")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/console/api/simulate", body)).StatusCode);
    }

    [Fact]
    public async Task TheConsoleIsServedByTheGatewayItselfUnderAStrictContentPolicy()
    {
        using var anonymous = fixture.Gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var redirect = await anonymous.GetAsync("/console");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.EndsWith("/console/", redirect.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var page = await anonymous.GetAsync("/console/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>HorizonAI console</title>", html, StringComparison.Ordinal);
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);

        foreach (var (path, type) in new[] { ("/console/console.css", "text/css"), ("/console/favicon.svg", "image/svg+xml") })
        {
            var asset = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Equal(type, asset.Content.Headers.ContentType?.MediaType);
        }

        // The page's module and every module it imports, all the way down: the console's own files, served as
        // JavaScript (a browser runs a module script only then) under the same policy.
        var entry = ModuleScript().Match(html);
        Assert.True(entry.Success, "the page loads no module script");
        var modules = new List<Uri>();
        var pending = new Queue<Uri>([new Uri(new Uri("http://localhost/console/"), entry.Groups["src"].Value)]);
        while (pending.TryDequeue(out var module))
        {
            if (modules.Contains(module))
            {
                continue;
            }

            modules.Add(module);
            var script = await anonymous.GetAsync(module);
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
            Assert.Equal(policy, script.Headers.GetValues("Content-Security-Policy").Single());
            foreach (Match import in ModuleImport().Matches(await script.Content.ReadAsStringAsync()))
            {
                var specifier = import.Groups["path"].Value;
                Assert.True(specifier.StartsWith("./", StringComparison.Ordinal) || specifier.StartsWith("../", StringComparison.Ordinal), $"{module} imports {specifier}, not one of the console's files");
                pending.Enqueue(new Uri(module, specifier));
            }
        }

        Assert.Contains(modules, m => m.AbsolutePath == "/console/js/bot-fields.js");
        Assert.True(modules.Count > 10, string.Join(", ", modules));

        // Every asset the page names is one of the Gateway's own files.
        foreach (Match reference in AssetReference().Matches(html))
        {
            var url = reference.Groups["url"].Value;
            Assert.False(url.Contains("//", StringComparison.Ordinal), $"{url} is not served by the Gateway");
            if (!url.StartsWith('#'))
            {
                Assert.True((await anonymous.GetAsync(new Uri(new Uri("http://localhost/console/"), url))).IsSuccessStatusCode, url);
            }
        }
    }

    [GeneratedRegex("^SM[0-9a-f]{32}$")]
    private static partial Regex SidPattern();

    [GeneratedRegex("""<script type="module" src="(?<src>[^"]+)"></script>""")]
    private static partial Regex ModuleScript();

    [GeneratedRegex("""^\s*(?:import|export)\b[^'"]*?\bfrom\s*'(?<path>[^']+)'""", RegexOptions.Multiline)]
    private static partial Regex ModuleImport();

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)"(?![^>]*target=)""")]
    private static partial Regex AssetReference();
}
