using System.Net.Http.Json;
using System.Text.Json;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Reads a conversation's transcript through the admin API, as an operator sees it.</summary>
public static class AdminTranscripts
{
    public static async Task<List<JsonElement>> TranscriptItemsAsync(this HttpClient admin, string bot, string user) =>
        [.. (await admin.GetFromJsonAsync<JsonElement>($"/bots/{bot}/conversations/{Uri.EscapeDataString(user)}")).GetProperty("items").EnumerateArray()];
}
