using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HorizonAI.Sandbox.Business;

namespace HorizonAI.Integration.Tests.Sandbox;

/// <summary>
/// The demo business's function-tool endpoints as the platform calls them: a signed JSON POST with an
/// Idempotency-Key. It verifies the signature, books once per key, and misbehaves on demand.
/// </summary>
public sealed class SandboxBusinessTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private SandboxBusiness Business => sandbox.State.Business;

    [Fact]
    public async Task AWellSignedCallIsAnsweredAndABadlySignedOneIsRefusedWith401AndRecorded()
    {
        var callId = NewId();
        using var good = await PostAsync("/demo/restaurant/check_availability", "check_availability", """{"time":"20:00","people":2}""", callId);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var answer = JsonDocument.Parse(await good.Content.ReadAsStringAsync()).RootElement;
        Assert.True(answer.GetProperty("available").GetBoolean());
        Assert.Equal("20:00", answer.GetProperty("time").GetString());

        var badId = NewId();
        using var bad = await PostAsync("/demo/restaurant/check_availability", "check_availability", """{"time":"20:00","people":2}""", badId, secret: "not-the-demo-secret-at-all-not-at-all");
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("application/json", bad.Content.Headers.ContentType?.MediaType);

        var recorded = Business.Calls.Single(c => c.CallId == callId);
        Assert.True(recorded.SignatureValid);
        Assert.Equal((200, "check_availability", "+15550001111", "+56911112222", "Ana"), (recorded.Status, recorded.Tool, recorded.Bot, recorded.User, recorded.ProfileName));
        Assert.Equal("""{"time":"20:00","people":2}""", recorded.Arguments);
        var refused = Business.Calls.Single(c => c.CallId == badId);
        Assert.False(refused.SignatureValid);
        Assert.Equal(401, refused.Status);
    }

    [Fact]
    public async Task TheSameIdempotencyKeyBooksOnceAndGetsTheSameBookingBack()
    {
        var key = NewId();
        using var first = await PostAsync("/demo/restaurant/book_table", "book_table", """{"people":2,"time":"20:00","name":"Ana"}""", NewId(), key);
        using var again = await PostAsync("/demo/restaurant/book_table", "book_table", """{"people":2,"time":"20:00","name":"Ana"}""", NewId(), key);
        using var other = await PostAsync("/demo/restaurant/book_table", "book_table", """{"people":3,"time":"21:00"}""", NewId(), NewId());

        var firstId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("booking_id").GetString();
        Assert.StartsWith("BK-", firstId, StringComparison.Ordinal);
        Assert.Equal(firstId, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("booking_id").GetString());
        Assert.NotEqual(firstId, JsonDocument.Parse(await other.Content.ReadAsStringAsync()).RootElement.GetProperty("booking_id").GetString());
        var booked = Assert.Single(Business.Bookings, b => b.IdempotencyKey == key);
        Assert.Equal((firstId, 2, "20:00", "Ana"), (booked.BookingId, booked.People, booked.Time, booked.Name));
    }

    [Fact]
    public async Task TheEchoEndpointAnswersTheStatusSizeAndInvalidJsonItIsAskedFor()
    {
        using var echoed = await PostAsync("/demo/tools/echo", "echo", """{"q":1}""", NewId());
        Assert.Equal("""{"ok":true,"tool":"echo","arguments":{"q":1}}""", await echoed.Content.ReadAsStringAsync());

        using var failed = await PostAsync("/demo/tools/echo?status=503", "echo", "{}", NewId());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);

        using var big = await PostAsync("/demo/tools/echo?bytes=20000", "echo", "{}", NewId());
        Assert.Equal(20_000, (await big.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(await big.Content.ReadAsStringAsync()).RootElement.ValueKind);

        using var invalid = await PostAsync("/demo/tools/echo?invalid=1&status=201", "echo", "{}", NewId());
        Assert.Equal(HttpStatusCode.Created, invalid.StatusCode);
        Assert.Equal("application/json", invalid.Content.Headers.ContentType?.MediaType);
        var text = await invalid.Content.ReadAsStringAsync();
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task ParallelDelayedCallsOverlapAndACallerThatGoesAwayIsRecordedAs499()
    {
        var ids = new[] { NewId(), NewId() };
        await Task.WhenAll(ids.Select(async id => (await PostAsync("/demo/tools/echo?delay_ms=300", "echo", "{}", id)).Dispose()));
        var calls = Business.Calls.Where(c => ids.Contains(c.CallId)).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.True(calls[0].StartedAt < calls[1].FinishedAt && calls[1].StartedAt < calls[0].FinishedAt, "the two calls were under way at the same time");

        var gone = NewId();
        using var abort = new CancellationTokenSource();
        var caller = PostAsync("/demo/tools/echo?delay_ms=60000", "echo", "{}", gone, cancellation: abort.Token);
        await sandbox.State.WaitUntilAsync(s => s.Business.Calls.Any(c => c.CallId == gone), Patience, "the delayed call to arrive");
        await abort.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => caller);
        await sandbox.State.WaitUntilAsync(s => s.Business.Calls.Single(c => c.CallId == gone).Status == 499, Patience, "the abandoned call recorded as 499");
    }

    [Fact]
    public async Task AHeldCallAnswersOnlyWhenReleasedThroughTheControlApi()
    {
        var id = NewId();
        var held = PostAsync("/demo/tools/echo?hold=1", "echo", "{}", id);
        await sandbox.State.WaitUntilAsync(s => s.Business.HeldCount >= 1, Patience, "the call to be held");
        Assert.Null(Business.Calls.Single(c => c.CallId == id).Status);
        Assert.False(held.IsCompleted);

        using var release = await sandbox.Http.PostAsync("/_sandbox/business/release", null);
        Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        using var answer = await held.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

        var listed = JsonDocument.Parse(await sandbox.Http.GetStringAsync("/_sandbox/business/calls")).RootElement;
        Assert.Contains(listed.EnumerateArray(), c => c.GetProperty("callId").GetString() == id && c.GetProperty("status").GetInt32() == 200);
    }

    [Fact]
    public async Task TheDemoRestaurantBotsDefinitionPointsItsToolsAtThisSandboxWithTheDemoSecret()
    {
        var bot = JsonDocument.Parse(await sandbox.Http.GetStringAsync("/_sandbox/business/demo-bots/restaurant")).RootElement;

        Assert.Equal(SandboxBusiness.ToolsSecret, bot.GetProperty("tools_secret").GetString());
        Assert.Equal(
            [sandbox.BaseUrl + "/demo/restaurant/check_availability", sandbox.BaseUrl + "/demo/restaurant/book_table"],
            bot.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("url").GetString()));
        var pharmacy = JsonDocument.Parse(await sandbox.Http.GetStringAsync("/_sandbox/business/demo-bots/pharmacy")).RootElement;
        Assert.Equal(sandbox.BaseUrl + "/demo/mcp", pharmacy.GetProperty("mcp_servers")[0].GetProperty("url").GetString());
    }

    private async Task<HttpResponseMessage> PostAsync(
        string path, string tool, string arguments, string callId, string? key = null, string secret = SandboxBusiness.ToolsSecret, CancellationToken cancellation = default)
    {
        var body = Encoding.UTF8.GetBytes($$"""{"tool":"{{tool}}","arguments":{{arguments}},"call_id":"{{callId}}","bot":"+15550001111","user":"+56911112222","profile_name":"Ana"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(SandboxBusiness.SignatureHeader, Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        request.Headers.Add(SandboxBusiness.IdempotencyKeyHeader, key ?? NewId());
        return await sandbox.Http.SendAsync(request, cancellation);
    }

    /// <summary>The platform's signature, written out here so that the test does not trust the sandbox's own code.</summary>
    private static string Sign(string secret, long timestamp, byte[] body)
    {
        var signed = Encoding.UTF8.GetBytes($"{timestamp}.").Concat(body).ToArray();
        return $"t={timestamp},v1={Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    private static string NewId() => "call_" + Guid.NewGuid().ToString("N");
}
