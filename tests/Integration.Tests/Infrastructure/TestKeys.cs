using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace HorizonAI.Integration.Tests.Infrastructure;

/// <summary>Scoped API keys made through the admin API, and clients that present them.</summary>
public static class TestKeys
{
    public static async Task<(string Id, string Key)> CreateAsync(HttpClient admin, string role, params string[] bots)
    {
        var response = await admin.PostAsJsonAsync("/keys", new { name = $"{role} key", role, bots });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating a {role} key failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("id").GetString()!, created.GetProperty("key").GetString()!);
    }

    public static HttpClient ClientFor(this TestSystem system, string key)
    {
        var client = system.Gateway.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
