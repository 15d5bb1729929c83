using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.Admin;

/// <summary>The Orleans Dashboard and the OpenAPI description on the Gateway.</summary>
public sealed class OperationsApiTests(SystemFixture fixture) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task TheDashboardIsServedOnlyToHoldersOfTheAdminKey()
    {
        using var anonymous = fixture.System.Gateway.CreateClient(new() { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard/DashboardCounters")).StatusCode);

        var browser = new HttpRequestMessage(HttpMethod.Get, "/dashboard");
        browser.Headers.Accept.ParseAdd("text/html");
        var redirected = await anonymous.SendAsync(browser);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.StartsWith("/console/", redirected.Headers.Location?.OriginalString);

        // The dashboard redirects /dashboard to /dashboard/; HttpClient drops Authorization on redirects, so ask for the page itself.
        var page = await fixture.Admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        // A browser signs in once and then reaches the dashboard with its session cookie.
        var signIn = await anonymous.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = TestSystem.AdminKey }));
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestSystem.AdminKey, cookie, StringComparison.Ordinal);
        var withCookie = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        withCookie.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(withCookie)).StatusCode);

        var wrong = await anonymous.PostAsync("/console/session", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = "wrong-key-000000000000" }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheAdminApiWithSchemasAndExamples()
    {
        using var anonymous = fixture.System.Gateway.CreateClient();
        var document = await anonymous.GetFromJsonAsync<JsonElement>("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/bots", "/bots/import", "/bots/{number}", "/bots/{number}/conversations", "/bots/{number}/conversations/{user}", "/bots/{number}/conversations/{user}/messages", "/bots/{number}/usage" })
        {
            Assert.True(paths.TryGetProperty(path, out _) || paths.TryGetProperty(path + "/", out _), $"{path} is missing from the OpenAPI document");
        }

        var bot = document.GetProperty("components").GetProperty("schemas").GetProperty("BotDocument");
        Assert.True(bot.GetProperty("properties").TryGetProperty("twilio_phone_number", out _));
        Assert.Equal("Restaurante La Cocina", bot.GetProperty("examples")[0].GetProperty("name").GetString());
        Assert.DoesNotContain("/webhook/whatsapp", paths.EnumerateObject().Select(p => p.Name));

        var reference = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("openapi/v1.json", await reference.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
