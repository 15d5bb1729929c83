using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using HorizonAI.Integration.Tests.Infrastructure;

namespace HorizonAI.Integration.Tests.EndToEnd;

/// <summary>Real processes: two silos and a gateway forming one cluster through PostgreSQL.</summary>
public sealed class ClusterProcessTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task GatewayWaitsForSilosThenSurvivesAKill9OfTheSiloHostingTheGrain()
    {
        await using var cluster = await ProcessCluster.StartAsync();

        // The gateway comes first: alive at once, and ready with the database's schema in place even before any silo
        // joins (it stores webhooks meanwhile), saying that no silo answers yet.
        var (gateway, http) = cluster.StartGateway();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/live")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Startup, "the gateway to answer /health/live");
        var early = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, early.StatusCode);
        Assert.Contains("\"cluster\":{\"status\":\"Degraded\"", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var silos = new[] { cluster.StartSilo("silo-a"), cluster.StartSilo("silo-b") };
        await cluster.WaitUntilReadyAsync(http, Startup, gateway);
        await Eventually.TrueAsync(async () => await cluster.Database.ScalarAsync<long>(
            "select count(*) from orleans_cluster_member where deploymentid = @cluster and status = 3", ("cluster", cluster.ClusterId)) == 2,
            Startup, "both silo processes to be active in the membership table");

        const string number = "+15557770001";
        var created = await http.PostAsJsonAsync("/bots", new { name = "Restaurante La Cocina", twilio_phone_number = number, instructions = "Hola" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var host = await Eventually.WaitAsync(() => Task.FromResult(silos.FirstOrDefault(s => s.HasLine($"Bot {number} activated"))), s => s is not null, Startup, "the bot grain's activation log line");
        await host!.KillAsync();

        // The next call succeeds on the surviving silo, with the state read back from PostgreSQL.
        var bot = await Eventually.WaitAsync(async () =>
        {
            try
            {
                var response = await http.GetAsync($"/bots/{Uri.EscapeDataString(number)}");
                return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : (JsonElement?)null;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return null;
            }
        }, b => b is not null, TimeSpan.FromSeconds(120), "the bot to be served again after the kill");
        Assert.Equal("Restaurante La Cocina", bot!.Value.GetProperty("name").GetString());
        var survivor = silos.Single(s => s != host);
        Assert.True(survivor.HasLine($"Bot {number} activated"), "the surviving silo did not activate the grain");
    }

    [Fact]
    public async Task SiloStopsGracefullyOnSigtermAndServesHealth()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var port = ProductProcess.FreePort();
        var settings = cluster.Settings(port);
        settings["ORLEANS_SILO_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["ORLEANS_GATEWAY_PORT"] = ProductProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var silo = ProductProcess.Start("Silo", "silo", settings);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        await cluster.WaitUntilReadyAsync(http, Startup, silo);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);

        Assert.True(await silo.TerminateAsync(TimeSpan.FromSeconds(60)), "the silo did not stop within 60 s of SIGTERM");
        Assert.Equal(0, silo.ExitCode);
        Assert.Equal(0, await cluster.Database.ScalarAsync<long>(
            "select count(*) from orleans_cluster_member where deploymentid = @cluster and status = 3", ("cluster", cluster.ClusterId)));
    }

    // Each line is the whole message, one of each kind of rule: a secret not set, a setting only the silo needs, a
    // malformed number, one out of range, a URL, a pattern, a choice among values, a connection string.
    [Theory]
    [InlineData("TWILIO_AUTH_TOKEN", null, "TWILIO_AUTH_TOKEN is not set; copy it from the Twilio console into the environment or .env")]
    [InlineData("TWILIO_ACCOUNT_SID", null, "TWILIO_ACCOUNT_SID is not set; copy it (AC…) from the Twilio console into the environment or .env")]
    [InlineData("OPENAI_API_KEY", null, "OPENAI_API_KEY is not set; create a key in the OpenAI dashboard and put it in the environment or .env")]
    [InlineData("ORLEANS_SILO_PORT", "eleven", "ORLEANS_SILO_PORT must be a TCP port number between 1 and 65535")]
    [InlineData("DATABASE_URL", "postgres://", "DATABASE_URL has no host; set it to e.g. postgres://user:password@host:5432/horizonai")]
    [InlineData("UPSTREAM_MAX_RETRIES", "many", "UPSTREAM_MAX_RETRIES must be a whole number from 0 to 20")]
    [InlineData("UPSTREAM_ATTEMPT_TIMEOUT_SECONDS", "soon", "UPSTREAM_ATTEMPT_TIMEOUT_SECONDS must be a number of seconds above 0")]
    [InlineData("UPSTREAM_TOTAL_TIMEOUT_SECONDS", "0", "UPSTREAM_TOTAL_TIMEOUT_SECONDS must be a number of seconds above 0")]
    [InlineData("GROUP_COMMIT_DELAY_MS", "-1", "GROUP_COMMIT_DELAY_MS must be a whole number of milliseconds from 0 to 100")]
    [InlineData("RECOVERY_SWEEP_SECONDS", "often", "RECOVERY_SWEEP_SECONDS must be a whole number of seconds from 1 to 300")]
    [InlineData("RECOVERY_MIN_AGE_SECONDS", "601", "RECOVERY_MIN_AGE_SECONDS must be a whole number of seconds from 1 to 600")]
    [InlineData("MEDIA_MAX_IMAGE_BYTES", "big", "MEDIA_MAX_IMAGE_BYTES must be a whole number of bytes, 1 or more")]
    [InlineData("OUTBOUND_RATE_PER_SECOND", "1001", "OUTBOUND_RATE_PER_SECOND must be a whole number of messages per second from 1 to 1000")]
    [InlineData("CAMPAIGN_MAX_ATTEMPTS", "0", "CAMPAIGN_MAX_ATTEMPTS must be a whole number of attempts from 1 to 100")]
    [InlineData("OPENAI_BASE_URL", "api.openai.com/v1", "OPENAI_BASE_URL must be an absolute http(s) URL including /v1, such as https://api.openai.com/v1")]
    [InlineData("OPENAI_API", "completions", "OPENAI_API must be 'responses' or 'chat_completions'")]
    [InlineData("TWILIO_WHATSAPP_FROM", "+15550000000", "TWILIO_WHATSAPP_FROM must look like whatsapp:+15550000000")]
    public async Task AMissingOrMalformedSettingStopsTheSiloWithOneLineNamingIt(string variable, string? value, string expected)
    {
        await using var cluster = await ProcessCluster.StartAsync();
        var settings = cluster.Settings(ProductProcess.FreePort());
        settings[variable] = value;
        await using var silo = ProductProcess.Start("Silo", "silo", settings);

        // Waiting for the exit (not polling HasExited) also waits for the last lines of its output to be read.
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the silo did not exit within 60 s");
        Assert.NotEqual(0, silo.ExitCode);
        var errors = silo.Lines.Where(l => l.StartsWith("[stderr] Configuration error:", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(errors);
        Assert.Equal("[stderr] Configuration error: " + expected, line);
        Assert.DoesNotContain("   at ", silo.Output);
    }

    [Theory]
    [InlineData("WEBHOOK_STORE_TIMEOUT_SECONDS", "20", "WEBHOOK_STORE_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 14 (Twilio waits 15 s)")]
    [InlineData("WEBHOOK_STORE_TIMEOUT_SECONDS", "ten", "WEBHOOK_STORE_TIMEOUT_SECONDS must be a whole number of seconds from 1 to 14 (Twilio waits 15 s)")]
    [InlineData("WEBHOOK_MAX_CONCURRENCY", "0", "WEBHOOK_MAX_CONCURRENCY must be a whole number of requests, 1 or more")]
    [InlineData("WEBHOOK_QUEUE_LIMIT", "-1", "WEBHOOK_QUEUE_LIMIT must be a whole number of requests, 0 or more")]
    [InlineData("ADMIN_AUTH_FAILURES_PER_MINUTE", "0", "ADMIN_AUTH_FAILURES_PER_MINUTE must be a whole number of attempts, 1 or more")]
    [InlineData("ADMIN_API_KEY", "too-short", "ADMIN_API_KEY must be at least 16 characters long; generate one with `openssl rand -hex 24`")]
    [InlineData("PUBLIC_BASE_URL", "whatsapp.example.com", "PUBLIC_BASE_URL must be an absolute http(s) URL such as https://whatsapp.example.com")]
    [InlineData("PRICE_PER_MESSAGE_USD", "cheap", "PRICE_PER_MESSAGE_USD must be a non-negative number of US dollars, such as 0.005")]
    [InlineData("PRICE_PER_1K_TOKENS_USD", "-0.01", "PRICE_PER_1K_TOKENS_USD must be a non-negative number of US dollars, such as 0.005")]
    [InlineData("TWILIO_API_BASE_URL", "ftp://api.twilio.com", "TWILIO_API_BASE_URL must be an absolute http(s) URL such as https://api.twilio.com")]
    public async Task AMalformedSettingStopsTheGatewayWithOneLineNamingIt(string variable, string value, string expected)
    {
        await using var cluster = await ProcessCluster.StartAsync();
        cluster.ExtraSettings[variable] = value;
        var (gateway, _) = cluster.StartGateway();

        Assert.True(await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the gateway did not exit within 60 s");
        Assert.NotEqual(0, gateway.ExitCode);
        var line = Assert.Single(gateway.Lines, l => l.StartsWith("[stderr] Configuration error:", StringComparison.Ordinal));
        Assert.Equal("[stderr] Configuration error: " + expected, line);
        Assert.DoesNotContain("   at ", gateway.Output);
    }
}
