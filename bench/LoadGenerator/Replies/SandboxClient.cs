using System.Net.Http.Json;
using System.Text.Json;

namespace HorizonAI.LoadGenerator.Replies;

/// <summary>The sandbox's control routes: its latency switches and what it recorded. Nothing is added to the sandbox.</summary>
public sealed class SandboxClient(Uri sandbox) : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http = new() { BaseAddress = sandbox, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>Clears what the sandbox recorded, and its switches (conversations stay).</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync("/_sandbox/reset", null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task SetLatencyAsync(string upstream, int latencyMs, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync($"/_sandbox/faults/{upstream}", new { latencyMs }, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"the sandbox refused latency {latencyMs} ms for {upstream}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public async Task<List<SandboxReply>> TwilioMessagesAsync(CancellationToken cancellationToken)
    {
        await using var body = await _http.GetStreamAsync("/_sandbox/twilio/messages", cancellationToken);
        return await JsonSerializer.DeserializeAsync<List<SandboxReply>>(body, Json, cancellationToken) ?? [];
    }

    public async Task<JsonElement> CountersAsync(CancellationToken cancellationToken) =>
        await _http.GetFromJsonAsync<JsonElement>("/_sandbox/counters", cancellationToken);

    public void Dispose() => _http.Dispose();
}
